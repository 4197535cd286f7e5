using System.Globalization;
using System.Numerics;

namespace AstraTrade.Starknet.Tests;

/// <summary>
/// The curve and Pedersen constants are re-derived from the digits of π as cairo-lang's nothing_up_my_sleeve_gen.py
/// documents: β = the first 76 digits + 379; constant point i has x = digits [76·i, 76·(i+1)), incremented until
/// x³ + x + β is a square, and y = the smaller square root. Point 1 is the shift point, 2 the generator, 3–6 the hash points.
/// </summary>
public sealed class ConstantsTests
{
    private static readonly string PiDigits = ComputePi(76 * 7 + 50);

    [Fact]
    public void Pi_digits_are_right()
    {
        Assert.StartsWith("31415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679", PiDigits, StringComparison.Ordinal);
    }

    [Fact]
    public void Beta_comes_from_pi()
    {
        var beta = BigInteger.Parse(PiDigits[..76], CultureInfo.InvariantCulture) + 379;
        Assert.Equal(StarkCurve.Beta, Felt.FromBigInteger(beta));
    }

    [Fact]
    public void Constant_points_come_from_pi()
    {
        var expected = new[] { Pedersen.ShiftPoint, StarkCurve.Generator }.Concat(Pedersen.HashPoints).ToArray();
        for (var i = 1; i <= 6; i++)
        {
            var x = Felt.FromBigIntegerReduced(BigInteger.Parse(PiDigits.Substring(i * 76, 76), CultureInfo.InvariantCulture));
            StarkPoint point;
            while (!StarkPoint.TryFromX(x, false, out point))
            {
                x += Felt.One;
            }

            Assert.Equal(expected[i - 1], point);
        }
    }

    [Fact]
    public void Curve_order_is_the_group_order()
    {
        Assert.True(StarkCurve.Multiply(StarkCurve.Generator, StarkCurve.Order).IsInfinity);
        Assert.Equal(StarkCurve.Generator.Negate(), StarkCurve.Multiply(StarkCurve.Generator, StarkCurve.Order - 1));
        Assert.True(StarkCurve.IsOnCurve(StarkCurve.Generator.X, StarkCurve.Generator.Y));
        Assert.Equal(BigInteger.Pow(2, 251) + (17 * BigInteger.Pow(2, 192)) + 1, Felt.Prime);
    }

    /// <summary>π to <paramref name="digits"/> decimal digits (Machin: π = 16·atan(1/5) − 4·atan(1/239)), as a digit string "31415…".</summary>
    private static string ComputePi(int digits)
    {
        var scale = BigInteger.Pow(10, digits + 10);
        var pi = (16 * ArctanInverse(5, scale)) - (4 * ArctanInverse(239, scale));
        return (pi / BigInteger.Pow(10, 10)).ToString(CultureInfo.InvariantCulture);
    }

    private static BigInteger ArctanInverse(int x, BigInteger scale)
    {
        BigInteger sum = 0, term = scale / x, x2 = x * x;
        for (var n = 0; !term.IsZero; n++)
        {
            var t = term / ((2 * n) + 1);
            sum += n % 2 == 0 ? t : -t;
            term /= x2;
        }

        return sum;
    }
}

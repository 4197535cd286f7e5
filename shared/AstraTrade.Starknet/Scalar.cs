using System.Numerics;

namespace AstraTrade.Starknet;

/// <summary>Arithmetic helpers on integers (scalars mod the curve order and the like).</summary>
internal static class Scalar
{
    /// <summary>The inverse of <paramref name="a"/> modulo the prime <paramref name="m"/> (extended Euclid).</summary>
    public static BigInteger ModInverse(BigInteger a, BigInteger m)
    {
        a %= m;
        if (a.Sign < 0)
        {
            a += m;
        }

        if (a.IsZero)
        {
            throw new DivideByZeroException("Zero has no inverse.");
        }

        BigInteger oldR = a, r = m, oldS = BigInteger.One, s = BigInteger.Zero;
        while (!r.IsZero)
        {
            var q = BigInteger.DivRem(oldR, r, out var rem);
            (oldR, r) = (r, rem);
            (oldS, s) = (s, oldS - (q * s));
        }

        if (!oldR.IsOne)
        {
            throw new ArithmeticException("The value is not invertible.");
        }

        return oldS.Sign < 0 ? oldS + m : oldS;
    }
}

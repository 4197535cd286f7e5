using System.Numerics;

namespace AstraTrade.Starknet;

/// <summary>
/// The STARK curve y² = x³ + α·x + β over the STARK field (α = 1), of prime order <see cref="Order"/>, with Starknet's
/// generator. The parameters are those of cairo-lang's <c>pedersen_params.json</c>; they are derived from the digits of π
/// (β and every constant point), which the tests re-derive.
/// </summary>
public static class StarkCurve
{
    /// <summary>The field prime P.</summary>
    public static BigInteger Prime => Felt.Prime;

    /// <summary>The curve order N (prime; the cofactor is 1).</summary>
    public static readonly BigInteger Order = ParseHex("0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2f");

    /// <summary>α = 1.</summary>
    public static readonly Felt Alpha = Felt.One;

    /// <summary>β = 0x6f21413efbe40de150e596d72f7a8c5609ad26c15c915c1f4cdfcb99cee9e89.</summary>
    public static readonly Felt Beta = Felt.Parse("0x6f21413efbe40de150e596d72f7a8c5609ad26c15c915c1f4cdfcb99cee9e89");

    /// <summary>The generator G (cairo-lang's <c>EC_GEN</c>, constant point 1).</summary>
    public static readonly StarkPoint Generator = StarkPoint.FromCoordinates(
        Felt.Parse("0x1ef15c18599971b7beced415a40f0c7deacfd9b0d1819e03d723d8bc943cfca"),
        Felt.Parse("0x5668060aa49730b7be4801df46ec62de53ecd11abe43a32873000c36e8dc1f"));

    /// <summary>2^251: message hashes and signature r must be below this bound.</summary>
    public static readonly BigInteger MaxValue = BigInteger.One << 251;

    /// <summary>True when (x, y) satisfies y² = x³ + x + β.</summary>
    public static bool IsOnCurve(Felt x, Felt y) => y.Square() == (x.Square() * x) + x + Beta;

    /// <summary>y² for a given x: x³ + x + β.</summary>
    internal static Felt RightHandSide(Felt x) => (x.Square() * x) + x + Beta;

    private static BigInteger ParseHex(string hex) =>
        BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------------------------------------------------
    // Scalar multiplication helpers
    // ------------------------------------------------------------------------------------------------------------

    private static readonly Lazy<AffinePoint[][]> GeneratorTable = new(() => FixedBaseTable.Build(Generator.ToAffine(), 32, 8));

    /// <summary>k·G with a precomputed 4-bit fixed-base table (k is reduced mod N).</summary>
    public static StarkPoint MultiplyGenerator(BigInteger k) => MultiplyGeneratorJacobian(k).ToAffine();

    internal static JacobianPoint MultiplyGeneratorJacobian(BigInteger k)
    {
        k = Mod(k, Order);
        return FixedBaseTable.Multiply(GeneratorTable.Value, k);
    }

    /// <summary>k·P for any point P (k is reduced mod N), fixed 4-bit windows.</summary>
    public static StarkPoint Multiply(StarkPoint point, BigInteger k) => MultiplyJacobian(point, k).ToAffine();

    internal static JacobianPoint MultiplyJacobian(StarkPoint point, BigInteger k)
    {
        if (point.IsInfinity)
        {
            return JacobianPoint.Infinity;
        }

        k = Mod(k, Order);
        if (k.IsZero)
        {
            return JacobianPoint.Infinity;
        }

        // Precompute 1..15 · P in affine coordinates.
        var baseAffine = point.ToAffine();
        var multiples = new JacobianPoint[16];
        multiples[1] = JacobianPoint.FromAffine(baseAffine);
        for (var j = 2; j < 16; j++)
        {
            multiples[j] = multiples[j - 1].AddMixed(baseAffine);
        }

        var table = JacobianPoint.BatchToAffine(multiples.AsSpan(1));
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        k.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        var acc = JacobianPoint.Infinity;
        for (var i = 63; i >= 0; i--)
        {
            var nibble = (bytes[i >> 1] >> ((i & 1) == 0 ? 0 : 4)) & 0xF;
            acc = acc.Double().Double().Double().Double();
            if (nibble != 0)
            {
                acc = acc.AddMixed(table[nibble - 1]);
            }
        }

        return acc;
    }

    internal static BigInteger Mod(BigInteger a, BigInteger m)
    {
        var r = BigInteger.Remainder(a, m);
        return r.Sign < 0 ? r + m : r;
    }
}

/// <summary>A point of the STARK curve in affine coordinates, or the point at infinity.</summary>
public readonly struct StarkPoint : IEquatable<StarkPoint>
{
    private StarkPoint(Felt x, Felt y, bool isInfinity)
    {
        X = x;
        Y = y;
        IsInfinity = isInfinity;
    }

    /// <summary>The point at infinity (the group identity).</summary>
    public static StarkPoint Infinity { get; } = new(Felt.Zero, Felt.Zero, true);

    /// <summary>The x-coordinate (zero for infinity).</summary>
    public Felt X { get; }

    /// <summary>The y-coordinate (zero for infinity).</summary>
    public Felt Y { get; }

    /// <summary>True for the point at infinity.</summary>
    public bool IsInfinity { get; }

    /// <summary>The point (x, y), checked to lie on the curve.</summary>
    /// <exception cref="ArgumentException">(x, y) is not on the curve.</exception>
    public static StarkPoint FromCoordinates(Felt x, Felt y)
    {
        if (!StarkCurve.IsOnCurve(x, y))
        {
            throw new ArgumentException($"({x}, {y}) is not on the STARK curve.");
        }

        return new StarkPoint(x, y, false);
    }

    /// <summary>
    /// The curve point with x-coordinate <paramref name="x"/> and the smaller of the two possible y (or the larger when
    /// <paramref name="largerY"/> is set), or false when no point has that x.
    /// </summary>
    public static bool TryFromX(Felt x, bool largerY, out StarkPoint point)
    {
        point = Infinity;
        if (!StarkCurve.RightHandSide(x).TrySqrt(out var y))
        {
            return false;
        }

        if (largerY)
        {
            y = -y;
        }

        point = new StarkPoint(x, y, false);
        return true;
    }

    /// <summary>
    /// Parses a public key as starknet.js/noble write it: uncompressed "0x04" + x + y (65 bytes), or compressed
    /// "0x02"/"0x03" + x (33 bytes, 03 for odd y).
    /// </summary>
    /// <exception cref="FormatException">Malformed encoding.</exception>
    /// <exception cref="ArgumentException">The point is not on the curve.</exception>
    public static StarkPoint FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var bytes = Hex.DecodeBytes(hex, nameof(hex));
        if (bytes.Length == 65 && bytes[0] == 0x04)
        {
            return FromCoordinates(Felt.FromBytesBigEndian(bytes.AsSpan(1, 32)), Felt.FromBytesBigEndian(bytes.AsSpan(33, 32)));
        }

        if (bytes.Length == 33 && (bytes[0] == 0x02 || bytes[0] == 0x03))
        {
            var x = Felt.FromBytesBigEndian(bytes.AsSpan(1, 32));
            if (!TryFromX(x, false, out var p))
            {
                throw new ArgumentException($"No curve point has x = {x}.", nameof(hex));
            }

            var wantOdd = bytes[0] == 0x03;
            var isOdd = !p.Y.ToBigInteger().IsEven;
            return wantOdd == isOdd ? p : p.Negate();
        }

        throw new FormatException("A public key is 0x04 + 32-byte x + 32-byte y, or 0x02/0x03 + 32-byte x.");
    }

    /// <summary>The uncompressed encoding "0x04" + x + y (64 hex digits each), as starknet.js's <c>getFullPublicKey</c>.</summary>
    public string ToUncompressedHex()
    {
        if (IsInfinity)
        {
            throw new InvalidOperationException("The point at infinity has no encoding.");
        }

        return "0x04" + X.ToPaddedHexString()[2..] + Y.ToPaddedHexString()[2..];
    }

    /// <summary>Point addition.</summary>
    public static StarkPoint operator +(StarkPoint a, StarkPoint b) => JacobianPoint.FromPoint(a).Add(JacobianPoint.FromPoint(b)).ToAffine();

    /// <summary>Point subtraction.</summary>
    public static StarkPoint operator -(StarkPoint a, StarkPoint b) => a + b.Negate();

    /// <summary>Point negation.</summary>
    public static StarkPoint operator -(StarkPoint a) => a.Negate();

    /// <summary>Scalar multiplication (the scalar is taken mod N).</summary>
    public static StarkPoint operator *(BigInteger k, StarkPoint p) => StarkCurve.Multiply(p, k);

    /// <summary>Scalar multiplication (the scalar is taken mod N).</summary>
    public static StarkPoint operator *(StarkPoint p, BigInteger k) => StarkCurve.Multiply(p, k);

    /// <summary>Equality.</summary>
    public static bool operator ==(StarkPoint a, StarkPoint b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(StarkPoint a, StarkPoint b) => !a.Equals(b);

    /// <summary>−P.</summary>
    public StarkPoint Negate() => IsInfinity ? this : new StarkPoint(X, -Y, false);

    /// <summary>2·P.</summary>
    public StarkPoint Double() => JacobianPoint.FromPoint(this).Double().ToAffine();

    /// <inheritdoc />
    public bool Equals(StarkPoint other) =>
        IsInfinity ? other.IsInfinity : !other.IsInfinity && X == other.X && Y == other.Y;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StarkPoint p && Equals(p);

    /// <inheritdoc />
    public override int GetHashCode() => IsInfinity ? 0 : HashCode.Combine(X, Y);

    /// <inheritdoc />
    public override string ToString() => IsInfinity ? "(infinity)" : $"({X}, {Y})";

    internal static StarkPoint FromTrustedCoordinates(Felt x, Felt y) => new(x, y, false);

    internal AffinePoint ToAffine()
    {
        if (IsInfinity)
        {
            throw new InvalidOperationException("The point at infinity has no affine coordinates.");
        }

        return new AffinePoint(X, Y);
    }
}

/// <summary>An affine point known not to be infinity (table entries).</summary>
internal readonly record struct AffinePoint(Felt X, Felt Y);

/// <summary>Jacobian coordinates: (X, Y, Z) stands for (X/Z², Y/Z³); Z = 0 is infinity.</summary>
internal readonly struct JacobianPoint
{
    public readonly Felt X;
    public readonly Felt Y;
    public readonly Felt Z;

    public JacobianPoint(Felt x, Felt y, Felt z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public static JacobianPoint Infinity => new(Felt.One, Felt.One, Felt.Zero);

    public bool IsInfinity => Z.IsZero;

    public static JacobianPoint FromAffine(AffinePoint p) => new(p.X, p.Y, Felt.One);

    public static JacobianPoint FromPoint(StarkPoint p) => p.IsInfinity ? Infinity : new JacobianPoint(p.X, p.Y, Felt.One);

    public StarkPoint ToAffine()
    {
        if (IsInfinity)
        {
            return StarkPoint.Infinity;
        }

        var zInv = Z.Inverse();
        var zInv2 = Felt.Mul(zInv, zInv);
        return StarkPoint.FromTrustedCoordinates(Felt.Mul(X, zInv2), Felt.Mul(Felt.Mul(Y, zInv2), zInv));
    }

    /// <summary>Doubling for a = 1 ("dbl-2007-bl").</summary>
    public JacobianPoint Double()
    {
        if (IsInfinity)
        {
            return this;
        }

        var xx = Felt.Mul(X, X);
        var yy = Felt.Mul(Y, Y);
        var yyyy = Felt.Mul(yy, yy);
        var zz = Felt.Mul(Z, Z);
        var t = Felt.Add(X, yy);
        var s = Felt.Double(Felt.Sub(Felt.Sub(Felt.Mul(t, t), xx), yyyy));
        var m = Felt.Add(Felt.Add(Felt.Double(xx), xx), Felt.Mul(zz, zz)); // 3·XX + a·ZZ², a = 1
        var x3 = Felt.Sub(Felt.Mul(m, m), Felt.Double(s));
        var yyyy8 = Felt.Double(Felt.Double(Felt.Double(yyyy)));
        var y3 = Felt.Sub(Felt.Mul(m, Felt.Sub(s, x3)), yyyy8);
        var yz = Felt.Add(Y, Z);
        var z3 = Felt.Sub(Felt.Sub(Felt.Mul(yz, yz), yy), zz);
        return new JacobianPoint(x3, y3, z3);
    }

    /// <summary>this + affine point ("madd-2007-bl"), with the doubling and inverse cases handled.</summary>
    public JacobianPoint AddMixed(AffinePoint q)
    {
        if (IsInfinity)
        {
            return FromAffine(q);
        }

        var z1z1 = Felt.Mul(Z, Z);
        var u2 = Felt.Mul(q.X, z1z1);
        var s2 = Felt.Mul(Felt.Mul(q.Y, Z), z1z1);
        var h = Felt.Sub(u2, X);
        var r = Felt.Double(Felt.Sub(s2, Y));
        if (h.IsZero)
        {
            return r.IsZero ? Double() : Infinity;
        }

        var hh = Felt.Mul(h, h);
        var i = Felt.Double(Felt.Double(hh));
        var j = Felt.Mul(h, i);
        var v = Felt.Mul(X, i);
        var x3 = Felt.Sub(Felt.Sub(Felt.Mul(r, r), j), Felt.Double(v));
        var y3 = Felt.Sub(Felt.Mul(r, Felt.Sub(v, x3)), Felt.Double(Felt.Mul(Y, j)));
        var zh = Felt.Add(Z, h);
        var z3 = Felt.Sub(Felt.Sub(Felt.Mul(zh, zh), z1z1), hh);
        return new JacobianPoint(x3, y3, z3);
    }

    /// <summary>General addition ("add-2007-bl"), with the special cases handled.</summary>
    public JacobianPoint Add(JacobianPoint q)
    {
        if (IsInfinity)
        {
            return q;
        }

        if (q.IsInfinity)
        {
            return this;
        }

        var z1z1 = Felt.Mul(Z, Z);
        var z2z2 = Felt.Mul(q.Z, q.Z);
        var u1 = Felt.Mul(X, z2z2);
        var u2 = Felt.Mul(q.X, z1z1);
        var s1 = Felt.Mul(Felt.Mul(Y, q.Z), z2z2);
        var s2 = Felt.Mul(Felt.Mul(q.Y, Z), z1z1);
        var h = Felt.Sub(u2, u1);
        var r = Felt.Double(Felt.Sub(s2, s1));
        if (h.IsZero)
        {
            return r.IsZero ? Double() : Infinity;
        }

        var h2 = Felt.Double(h);
        var i = Felt.Mul(h2, h2);
        var j = Felt.Mul(h, i);
        var v = Felt.Mul(u1, i);
        var x3 = Felt.Sub(Felt.Sub(Felt.Mul(r, r), j), Felt.Double(v));
        var y3 = Felt.Sub(Felt.Mul(r, Felt.Sub(v, x3)), Felt.Double(Felt.Mul(s1, j)));
        var zz = Felt.Add(Z, q.Z);
        var z3 = Felt.Mul(Felt.Sub(Felt.Sub(Felt.Mul(zz, zz), z1z1), z2z2), h);
        return new JacobianPoint(x3, y3, z3);
    }

    /// <summary>Converts many points to affine with one inversion. None may be infinity.</summary>
    public static AffinePoint[] BatchToAffine(ReadOnlySpan<JacobianPoint> points)
    {
        var zs = new Felt[points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            if (points[i].IsInfinity)
            {
                throw new InvalidOperationException("A table point is infinity.");
            }

            zs[i] = points[i].Z;
        }

        Felt.BatchInverse(zs);
        var result = new AffinePoint[points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            var zInv2 = Felt.Mul(zs[i], zs[i]);
            result[i] = new AffinePoint(Felt.Mul(points[i].X, zInv2), Felt.Mul(Felt.Mul(points[i].Y, zInv2), zs[i]));
        }

        return result;
    }
}

/// <summary>
/// Fixed-base tables with w-bit windows: entry [i][j − 1] = j·2^(w·i)·P for j in 1..2^w − 1, stored affine so that a
/// multiplication is one mixed addition per non-zero digit and no doublings. w is 4 or 8.
/// </summary>
internal static class FixedBaseTable
{
    public static AffinePoint[][] Build(AffinePoint basePoint, int windows, int windowBits = 4)
    {
        if (windowBits is not (4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(windowBits), "Window width must be 4 or 8 bits.");
        }

        var perWindow = (1 << windowBits) - 1;
        var all = new JacobianPoint[windows * perWindow];
        var windowBase = JacobianPoint.FromAffine(basePoint);
        for (var i = 0; i < windows; i++)
        {
            var acc = windowBase;
            all[i * perWindow] = acc;
            for (var j = 2; j <= perWindow; j++)
            {
                acc = acc.Add(windowBase);
                all[(i * perWindow) + j - 1] = acc;
            }

            windowBase = acc.Add(windowBase); // 2^w · (2^(w·i) · P)
        }

        var affine = JacobianPoint.BatchToAffine(all);
        var table = new AffinePoint[windows][];
        for (var i = 0; i < windows; i++)
        {
            table[i] = affine.AsSpan(i * perWindow, perWindow).ToArray();
        }

        return table;
    }

    /// <summary>Σ table[i][digit_i(k)] for a non-negative k that the table covers.</summary>
    public static JacobianPoint Multiply(AffinePoint[][] table, BigInteger k) => Accumulate(JacobianPoint.Infinity, table, k);

    public static JacobianPoint Accumulate(JacobianPoint acc, AffinePoint[][] table, BigInteger k)
    {
        var windows = table.Length;
        var windowBits = table[0].Length == 255 ? 8 : 4;
        if (k.Sign < 0 || k.GetBitLength() > (long)windowBits * windows || k.GetBitLength() > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(k), "The scalar is too large for the table.");
        }

        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        k.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        for (var i = 0; i < windows; i++)
        {
            var digit = windowBits == 8 ? bytes[i] : (bytes[i >> 1] >> ((i & 1) == 0 ? 0 : 4)) & 0xF;
            if (digit != 0)
            {
                acc = acc.AddMixed(table[i][digit - 1]);
            }
        }

        return acc;
    }
}

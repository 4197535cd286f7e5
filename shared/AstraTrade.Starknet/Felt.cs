using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace AstraTrade.Starknet;

/// <summary>
/// An element of the STARK field, the integers modulo P = 2^251 + 17·2^192 + 1 (Starknet's <c>felt252</c>).
/// </summary>
/// <remarks>
/// Immutable value type. Internally the value is kept in Montgomery form (four 64-bit limbs, R = 2^256), so
/// multiplication needs no division; conversions to and from <see cref="BigInteger"/>, hex and bytes go through the
/// canonical value. Construction validates: a value outside [0, P) is rejected with
/// <see cref="ArgumentOutOfRangeException"/>, malformed text with <see cref="FormatException"/>.
/// Equality, hashing and ordering follow the canonical integer value.
/// </remarks>
public readonly struct Felt : IEquatable<Felt>, IComparable<Felt>
{
    // Limbs of the Montgomery representation (value·2^256 mod P), little-endian.
    private readonly ulong _l0, _l1, _l2, _l3;

    // P = 2^251 + 17·2^192 + 1: limbs (LE) 1, 0, 0, 0x0800000000000011.
    private const ulong P0 = 1UL, P3 = 0x0800000000000011UL;

    /// <summary>The field prime P = 2^251 + 17·2^192 + 1.</summary>
    public static readonly BigInteger Prime = BigInteger.Pow(2, 251) + 17 * BigInteger.Pow(2, 192) + 1;

    // R^2 mod P, used to enter Montgomery form. Computed, not pasted.
    private static readonly Felt R2 = FromCanonicalLimbsUnchecked(BigInteger.ModPow(2, 512, Prime));

    /// <summary>The additive identity.</summary>
    public static readonly Felt Zero;

    /// <summary>The multiplicative identity.</summary>
    public static readonly Felt One = FromUInt64(1);

    /// <summary>The largest element, P − 1 (that is, −1).</summary>
    public static readonly Felt MaxValue = -One;

    private Felt(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        _l0 = l0;
        _l1 = l1;
        _l2 = l2;
        _l3 = l3;
    }

    /// <summary>True when the element is zero.</summary>
    public bool IsZero => (_l0 | _l1 | _l2 | _l3) == 0;

    // ----------------------------------------------------------------------------------------------------------
    // Construction
    // ----------------------------------------------------------------------------------------------------------

    /// <summary>The element with the given small value.</summary>
    public static Felt FromUInt64(ulong value) => ToMontgomery(new Felt(value, 0, 0, 0));

    /// <summary>Implicit conversion from an unsigned 64-bit integer.</summary>
    public static implicit operator Felt(ulong value) => FromUInt64(value);

    /// <summary>The element with value <paramref name="value"/>, which must lie in [0, P).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not below P.</exception>
    public static Felt FromBigInteger(BigInteger value)
    {
        if (value.Sign < 0 || value >= Prime)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A field element must lie in [0, P) with P = 2^251 + 17·2^192 + 1.");
        }

        return ToMontgomery(FromCanonicalLimbsUnchecked(value));
    }

    /// <summary>The element <paramref name="value"/> mod P, for any integer (negative values wrap around).</summary>
    public static Felt FromBigIntegerReduced(BigInteger value)
    {
        var reduced = BigInteger.Remainder(value, Prime);
        if (reduced.Sign < 0)
        {
            reduced += Prime;
        }

        return ToMontgomery(FromCanonicalLimbsUnchecked(reduced));
    }

    /// <summary>Explicit conversion from a <see cref="BigInteger"/> in [0, P).</summary>
    public static explicit operator Felt(BigInteger value) => FromBigInteger(value);

    /// <summary>
    /// Parses a field element from "0x"-prefixed hex (any case, no length limit beyond the value range, "0x" alone is not
    /// accepted) or from unsigned decimal digits.
    /// </summary>
    /// <exception cref="ArgumentNullException">The text is null.</exception>
    /// <exception cref="FormatException">The text is neither hex nor decimal.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The value is not below P.</exception>
    public static Felt Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return FromBigInteger(ParseUnsignedInteger(text, nameof(text)));
    }

    /// <summary>Tries to parse like <see cref="Parse"/>; false when the text is malformed or out of range.</summary>
    public static bool TryParse(string? text, out Felt value)
    {
        value = Zero;
        if (text is null || !TryParseUnsignedInteger(text, out var big) || big >= Prime)
        {
            return false;
        }

        value = FromBigInteger(big);
        return true;
    }

    /// <summary>The element whose big-endian encoding is <paramref name="bytes"/> (at most 32 bytes, value below P).</summary>
    public static Felt FromBytesBigEndian(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 32)
        {
            throw new ArgumentException("A field element has at most 32 bytes.", nameof(bytes));
        }

        return FromBigInteger(new BigInteger(bytes, isUnsigned: true, isBigEndian: true));
    }

    /// <summary>
    /// Encodes an ASCII string of at most 31 characters as a Cairo short string (its bytes read as a big-endian number).
    /// </summary>
    /// <exception cref="ArgumentException">The string is longer than 31 characters or not ASCII.</exception>
    public static Felt FromShortString(string text) => ShortString.Encode(text);

    // ----------------------------------------------------------------------------------------------------------
    // Conversion out
    // ----------------------------------------------------------------------------------------------------------

    /// <summary>The canonical value in [0, P).</summary>
    public BigInteger ToBigInteger()
    {
        var c = FromMontgomery(this);
        Span<byte> bytes = stackalloc byte[32];
        WriteLimbsLittleEndian(c, bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
    }

    /// <summary>Explicit conversion to <see cref="BigInteger"/>.</summary>
    public static explicit operator BigInteger(Felt value) => value.ToBigInteger();

    /// <summary>The canonical value as 32 big-endian bytes.</summary>
    public byte[] ToBytesBigEndian()
    {
        var result = new byte[32];
        WriteBytesBigEndian(result);
        return result;
    }

    /// <summary>Writes the canonical value as 32 big-endian bytes.</summary>
    public void WriteBytesBigEndian(Span<byte> destination)
    {
        if (destination.Length < 32)
        {
            throw new ArgumentException("32 bytes are needed.", nameof(destination));
        }

        var c = FromMontgomery(this);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[..8], c._l3);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[8..16], c._l2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[16..24], c._l1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[24..32], c._l0);
    }

    /// <summary>Lower-case hex with "0x" and no leading zeros ("0x0" for zero), as starknet.js's <c>num.toHex</c>.</summary>
    public string ToHexString()
    {
        var c = FromMontgomery(this);
        if (c._l3 != 0)
        {
            return "0x" + c._l3.ToString("x", CultureInfo.InvariantCulture) + c._l2.ToString("x16", CultureInfo.InvariantCulture)
                + c._l1.ToString("x16", CultureInfo.InvariantCulture) + c._l0.ToString("x16", CultureInfo.InvariantCulture);
        }

        if (c._l2 != 0)
        {
            return "0x" + c._l2.ToString("x", CultureInfo.InvariantCulture) + c._l1.ToString("x16", CultureInfo.InvariantCulture)
                + c._l0.ToString("x16", CultureInfo.InvariantCulture);
        }

        if (c._l1 != 0)
        {
            return "0x" + c._l1.ToString("x", CultureInfo.InvariantCulture) + c._l0.ToString("x16", CultureInfo.InvariantCulture);
        }

        return "0x" + c._l0.ToString("x", CultureInfo.InvariantCulture);
    }

    /// <summary>Lower-case hex padded to 64 digits with "0x".</summary>
    public string ToPaddedHexString() => "0x" + ToHexString()[2..].PadLeft(64, '0');

    /// <summary>The hex form (see <see cref="ToHexString"/>).</summary>
    public override string ToString() => ToHexString();

    // ----------------------------------------------------------------------------------------------------------
    // Arithmetic
    // ----------------------------------------------------------------------------------------------------------

    /// <summary>Sum mod P.</summary>
    public static Felt operator +(Felt a, Felt b) => Add(a, b);

    /// <summary>Difference mod P.</summary>
    public static Felt operator -(Felt a, Felt b) => Sub(a, b);

    /// <summary>Additive inverse mod P.</summary>
    public static Felt operator -(Felt a) => Sub(Zero, a);

    /// <summary>Product mod P.</summary>
    public static Felt operator *(Felt a, Felt b) => Mul(a, b);

    /// <summary>Quotient mod P.</summary>
    /// <exception cref="DivideByZeroException">The divisor is zero.</exception>
    public static Felt operator /(Felt a, Felt b) => Mul(a, b.Inverse());

    /// <summary>Equality of values.</summary>
    public static bool operator ==(Felt a, Felt b) => a.Equals(b);

    /// <summary>Inequality of values.</summary>
    public static bool operator !=(Felt a, Felt b) => !a.Equals(b);

    /// <summary>Order of canonical values.</summary>
    public static bool operator <(Felt a, Felt b) => a.CompareTo(b) < 0;

    /// <summary>Order of canonical values.</summary>
    public static bool operator >(Felt a, Felt b) => a.CompareTo(b) > 0;

    /// <summary>Order of canonical values.</summary>
    public static bool operator <=(Felt a, Felt b) => a.CompareTo(b) <= 0;

    /// <summary>Order of canonical values.</summary>
    public static bool operator >=(Felt a, Felt b) => a.CompareTo(b) >= 0;

    /// <summary>The square mod P.</summary>
    public Felt Square() => Mul(this, this);

    /// <summary>The element raised to a non-negative power.</summary>
    public Felt Pow(BigInteger exponent)
    {
        if (exponent.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), "The exponent must be non-negative.");
        }

        var result = One;
        var bits = exponent.GetBitLength();
        for (var i = bits - 1; i >= 0; i--)
        {
            result = Mul(result, result);
            if (!(exponent >> (int)i).IsEven)
            {
                result = Mul(result, this);
            }
        }

        return result;
    }

    /// <summary>The multiplicative inverse (extended Euclid on the canonical value).</summary>
    /// <exception cref="DivideByZeroException">The element is zero.</exception>
    public Felt Inverse()
    {
        if (IsZero)
        {
            throw new DivideByZeroException("Zero has no inverse in the STARK field.");
        }

        return FromBigInteger(Scalar.ModInverse(ToBigInteger(), Prime));
    }

    /// <summary>The inverse by Fermat's little theorem, a^(P−2), with an addition chain (used to cross-check).</summary>
    internal Felt InverseByFermat()
    {
        // P − 2 = 2^251 + 2^196 + (2^192 − 1) = (2^59 + 2^4)·2^192 + (2^192 − 1).
        var x = this;
        var x2 = Mul(SquareN(x, 1), x);          // 2^2 − 1
        var x4 = Mul(SquareN(x2, 2), x2);        // 2^4 − 1
        var x8 = Mul(SquareN(x4, 4), x4);        // 2^8 − 1
        var x16 = Mul(SquareN(x8, 8), x8);       // 2^16 − 1
        var x32 = Mul(SquareN(x16, 16), x16);    // 2^32 − 1
        var x64 = Mul(SquareN(x32, 32), x32);    // 2^64 − 1
        var x128 = Mul(SquareN(x64, 64), x64);   // 2^128 − 1
        var x192 = Mul(SquareN(x128, 64), x64);  // 2^192 − 1
        var y = SquareN(Mul(SquareN(x, 55), x), 4); // x^(2^59 + 2^4)
        return Mul(SquareN(y, 192), x192);
    }

    /// <summary>True when the element is a square (zero counts as a square).</summary>
    public bool IsQuadraticResidue() => IsZero || Pow((Prime - 1) / 2) == One;

    /// <summary>
    /// A square root, the smaller of the two (as cairo-lang's <c>sqrt_mod</c> and noble pick for point generation), or
    /// false when the element is not a square. Tonelli–Shanks (P − 1 = 2^192 · (2^59 + 17)).
    /// </summary>
    public bool TrySqrt(out Felt root)
    {
        root = Zero;
        if (IsZero)
        {
            return true;
        }

        if (!IsQuadraticResidue())
        {
            return false;
        }

        const int twoAdicity = 192;
        var q = (Prime - 1) >> twoAdicity;
        var z = FromUInt64(3); // 3 generates the multiplicative group, so it is a non-residue.
        var m = twoAdicity;
        var c = z.Pow(q);
        var t = Pow(q);
        var r = Pow((q + 1) / 2);
        while (t != One)
        {
            var i = 0;
            var t2 = t;
            while (t2 != One)
            {
                t2 = t2.Square();
                i++;
            }

            var b = SquareN(c, m - i - 1);
            m = i;
            c = b.Square();
            t = Mul(t, c);
            r = Mul(r, b);
        }

        var other = -r;
        root = r.CompareTo(other) <= 0 ? r : other;
        return true;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Equality / ordering
    // ----------------------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public bool Equals(Felt other) => _l0 == other._l0 && _l1 == other._l1 && _l2 == other._l2 && _l3 == other._l3;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Felt other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_l0, _l1, _l2, _l3);

    /// <inheritdoc />
    public int CompareTo(Felt other)
    {
        var a = FromMontgomery(this);
        var b = FromMontgomery(other);
        if (a._l3 != b._l3)
        {
            return a._l3.CompareTo(b._l3);
        }

        if (a._l2 != b._l2)
        {
            return a._l2.CompareTo(b._l2);
        }

        return a._l1 != b._l1 ? a._l1.CompareTo(b._l1) : a._l0.CompareTo(b._l0);
    }

    // ----------------------------------------------------------------------------------------------------------
    // Montgomery arithmetic on four 64-bit limbs
    // ----------------------------------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Felt Add(in Felt a, in Felt b)
    {
        // a, b < P < 2^252, so the sum fits in 256 bits.
        var r0 = a._l0 + b._l0;
        var c = r0 < a._l0 ? 1UL : 0UL;
        var s1 = a._l1 + b._l1;
        var r1 = s1 + c;
        c = (s1 < a._l1 ? 1UL : 0UL) | (r1 < s1 ? 1UL : 0UL);
        var s2 = a._l2 + b._l2;
        var r2 = s2 + c;
        c = (s2 < a._l2 ? 1UL : 0UL) | (r2 < s2 ? 1UL : 0UL);
        var r3 = a._l3 + b._l3 + c;
        return ReduceOnce(r0, r1, r2, r3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Felt Sub(in Felt a, in Felt b)
    {
        var r0 = a._l0 - b._l0;
        var borrow = a._l0 < b._l0 ? 1UL : 0UL;
        var d1 = a._l1 - b._l1;
        var r1 = d1 - borrow;
        borrow = (a._l1 < b._l1 ? 1UL : 0UL) | (d1 < borrow ? 1UL : 0UL);
        var d2 = a._l2 - b._l2;
        var r2 = d2 - borrow;
        borrow = (a._l2 < b._l2 ? 1UL : 0UL) | (d2 < borrow ? 1UL : 0UL);
        var d3 = a._l3 - b._l3;
        var r3 = d3 - borrow;
        borrow = (a._l3 < b._l3 ? 1UL : 0UL) | (d3 < borrow ? 1UL : 0UL);
        if (borrow != 0)
        {
            // Add P back (limbs 1, 0, 0, P3); the result is below P, so the carry out of the top limb is dropped.
            r0 += P0;
            var c = r0 < P0 ? 1UL : 0UL;
            r1 += c;
            c = r1 < c ? 1UL : 0UL;
            r2 += c;
            c = r2 < c ? 1UL : 0UL;
            r3 += P3 + c;
        }

        return new Felt(r0, r1, r2, r3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Felt Double(in Felt a) => Add(a, a);

    /// <summary>
    /// Montgomery product a·b·2^−256 mod P, CIOS with the "no final carry" shortcut (P's top limb is below 2^63 − 1),
    /// unrolled. −P^−1 mod 2^64 = 2^64 − 1 because P ≡ 1 (mod 2^64); P's middle limbs are zero.
    /// </summary>
    internal static Felt Mul(in Felt a, in Felt b)
    {
        ulong a0 = a._l0, a1 = a._l1, a2 = a._l2, a3 = a._l3;
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        ulong bi, m, hiA, hiC, hi, lo;
        // Round 0
        bi = b._l0;
        hi = Math.BigMul(a0, bi, out lo);
        lo += t0;
        hi += lo < t0 ? 1UL : 0UL;
        t0 = lo;
        hiA = hi;
        m = unchecked(0UL - t0); // m = t0 · (−P^−1) mod 2^64
        hiC = t0 != 0 ? 1UL : 0UL; // m·P0 + t0 = m + t0: zero low word, carry 1 unless t0 = 0
        hi = Math.BigMul(a1, bi, out lo);
        lo += t1;
        hi += lo < t1 ? 1UL : 0UL;
        lo += hiA;
        hi += lo < hiA ? 1UL : 0UL;
        t1 = lo;
        hiA = hi;
        t0 = t1 + hiC; // P1 = 0
        hiC = t0 < hiC ? 1UL : 0UL;
        hi = Math.BigMul(a2, bi, out lo);
        lo += t2;
        hi += lo < t2 ? 1UL : 0UL;
        lo += hiA;
        hi += lo < hiA ? 1UL : 0UL;
        t2 = lo;
        hiA = hi;
        t1 = t2 + hiC; // P2 = 0
        hiC = t1 < hiC ? 1UL : 0UL;
        hi = Math.BigMul(a3, bi, out lo);
        lo += t3;
        hi += lo < t3 ? 1UL : 0UL;
        lo += hiA;
        hi += lo < hiA ? 1UL : 0UL;
        t3 = lo;
        hiA = hi;
        hi = Math.BigMul(m, P3, out lo);
        lo += t3;
        hi += lo < t3 ? 1UL : 0UL;
        lo += hiC;
        hi += lo < hiC ? 1UL : 0UL;
        t2 = lo;
        hiC = hi;
        t3 = hiC + hiA;

        // Round 1
        bi = b._l1;
        hi = Math.BigMul(a0, bi, out lo);
        lo += t0;
        hi += lo < t0 ? 1UL : 0UL;
        t0 = lo;
        hiA = hi;
        m = unchecked(0UL - t0); // m = t0 · (−P^−1) mod 2^64
        hiC = t0 != 0 ? 1UL : 0UL; // m·P0 + t0 = m + t0: zero low word, carry 1 unless t0 = 0
        hi = Math.BigMul(a1, bi, out lo);
        lo += t1;
        hi += lo < t1 ? 1UL : 0UL;
        lo += hiA;
        hi += lo < hiA ? 1UL : 0UL;
        t1 = lo;
        hiA = hi;
        t0 = t1 + hiC; // P1 = 0
        hiC = t0 < hiC ? 1UL : 0UL;
        hi = Math.BigMul(a2, bi, out lo);
        lo += t2;
        hi += lo < t2 ? 1UL : 0UL;
        lo += hiA;
        hi += lo < hiA ? 1UL : 0UL;
        t2 = lo;
        hiA = hi;
        t1 = t2 + hiC; // P2 = 0
        hiC = t1 < hiC ? 1UL : 0UL;
        hi = Math.BigMul(a3, bi, out lo);
        lo += t3;
        hi += lo < t3 ? 1UL : 0UL;
        lo += hiA;
        hi += lo < hiA ? 1UL : 0UL;
        t3 = lo;
        hiA = hi;
        hi = Math.BigMul(m, P3, out lo);
        lo += t3;
        hi += lo < t3 ? 1UL : 0UL;
        lo += hiC;
        hi += lo < hiC ? 1UL : 0UL;
        t2 = lo;
        hiC = hi;
        t3 = hiC + hiA;

        // Round 2
        bi = b._l2;
        hi = Math.BigMul(a0, bi, out lo);
        lo += t0;
        hi += lo < t0 ? 1UL : 0UL;
        t0 = lo;
        hiA = hi;
        m = unchecked(0UL - t0); // m = t0 · (−P^−1) mod 2^64
        hiC = t0 != 0 ? 1UL : 0UL; // m·P0 + t0 = m + t0: zero low word, carry 1 unless t0 = 0
        hi = Math.BigMul(a1, bi, out lo);
        lo += t1;
        hi += lo < t1 ? 1UL : 0UL;
        lo += hiA;
        hi += lo < hiA ? 1UL : 0UL;
        t1 = lo;
        hiA = hi;
        t0 = t1 + hiC; // P1 = 0
        hiC = t0 < hiC ? 1UL : 0UL;
        hi = Math.BigMul(a2, bi, out lo);
        lo += t2;
        hi += lo < t2 ? 1UL : 0UL;
        lo += hiA;
        hi += lo < hiA ? 1UL : 0UL;
        t2 = lo;
        hiA = hi;
        t1 = t2 + hiC; // P2 = 0
        hiC = t1 < hiC ? 1UL : 0UL;
        hi = Math.BigMul(a3, bi, out lo);
        lo += t3;
        hi += lo < t3 ? 1UL : 0UL;
        lo += hiA;
        hi += lo < hiA ? 1UL : 0UL;
        t3 = lo;
        hiA = hi;
        hi = Math.BigMul(m, P3, out lo);
        lo += t3;
        hi += lo < t3 ? 1UL : 0UL;
        lo += hiC;
        hi += lo < hiC ? 1UL : 0UL;
        t2 = lo;
        hiC = hi;
        t3 = hiC + hiA;

        // Round 3
        bi = b._l3;
        hi = Math.BigMul(a0, bi, out lo);
        lo += t0;
        hi += lo < t0 ? 1UL : 0UL;
        t0 = lo;
        hiA = hi;
        m = unchecked(0UL - t0); // m = t0 · (−P^−1) mod 2^64
        hiC = t0 != 0 ? 1UL : 0UL; // m·P0 + t0 = m + t0: zero low word, carry 1 unless t0 = 0
        hi = Math.BigMul(a1, bi, out lo);
        lo += t1;
        hi += lo < t1 ? 1UL : 0UL;
        lo += hiA;
        hi += lo < hiA ? 1UL : 0UL;
        t1 = lo;
        hiA = hi;
        t0 = t1 + hiC; // P1 = 0
        hiC = t0 < hiC ? 1UL : 0UL;
        hi = Math.BigMul(a2, bi, out lo);
        lo += t2;
        hi += lo < t2 ? 1UL : 0UL;
        lo += hiA;
        hi += lo < hiA ? 1UL : 0UL;
        t2 = lo;
        hiA = hi;
        t1 = t2 + hiC; // P2 = 0
        hiC = t1 < hiC ? 1UL : 0UL;
        hi = Math.BigMul(a3, bi, out lo);
        lo += t3;
        hi += lo < t3 ? 1UL : 0UL;
        lo += hiA;
        hi += lo < hiA ? 1UL : 0UL;
        t3 = lo;
        hiA = hi;
        hi = Math.BigMul(m, P3, out lo);
        lo += t3;
        hi += lo < t3 ? 1UL : 0UL;
        lo += hiC;
        hi += lo < hiC ? 1UL : 0UL;
        t2 = lo;
        hiC = hi;
        t3 = hiC + hiA;

        return ReduceOnce(t0, t1, t2, t3);
    }

    internal static Felt SquareN(Felt a, int n)
    {
        for (var i = 0; i < n; i++)
        {
            a = Mul(a, a);
        }

        return a;
    }

    /// <summary>Inverts all elements in place with one field inversion (Montgomery's trick). Zeros stay zero.</summary>
    internal static void BatchInverse(Span<Felt> values)
    {
        if (values.Length == 0)
        {
            return;
        }

        var prefix = new Felt[values.Length];
        var acc = One;
        for (var i = 0; i < values.Length; i++)
        {
            prefix[i] = acc;
            if (!values[i].IsZero)
            {
                acc = Mul(acc, values[i]);
            }
        }

        var inv = acc.Inverse();
        for (var i = values.Length - 1; i >= 0; i--)
        {
            if (values[i].IsZero)
            {
                continue;
            }

            var v = values[i];
            values[i] = Mul(inv, prefix[i]);
            inv = Mul(inv, v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Felt ReduceOnce(ulong r0, ulong r1, ulong r2, ulong r3)
    {
        // Subtract P when r >= P (r < 2P).
        var s0 = r0 - P0;
        var borrow = r0 < P0 ? 1UL : 0UL;
        var s1 = r1 - borrow;
        borrow = r1 < borrow ? 1UL : 0UL;
        var s2 = r2 - borrow;
        borrow = r2 < borrow ? 1UL : 0UL;
        var d3 = r3 - P3;
        var s3 = d3 - borrow;
        borrow = (r3 < P3 ? 1UL : 0UL) | (d3 < borrow ? 1UL : 0UL);
        return borrow == 0 ? new Felt(s0, s1, s2, s3) : new Felt(r0, r1, r2, r3);
    }

    private static Felt ToMontgomery(Felt canonical) => Mul(canonical, R2);

    private static Felt FromMontgomery(Felt mont) => Mul(mont, new Felt(1, 0, 0, 0));

    private static Felt FromCanonicalLimbsUnchecked(BigInteger value)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        if (!value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Value does not fit in 256 bits.");
        }

        return new Felt(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[..8]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..16]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..24]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..32]));
    }

    private static void WriteLimbsLittleEndian(Felt c, Span<byte> bytes)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[..8], c._l0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..16], c._l1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[16..24], c._l2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[24..32], c._l3);
    }

    // ----------------------------------------------------------------------------------------------------------
    // Integer text parsing shared by the library
    // ----------------------------------------------------------------------------------------------------------

    /// <summary>Parses "0x…" hex or decimal digits into a non-negative integer; throws <see cref="FormatException"/>.</summary>
    internal static BigInteger ParseUnsignedInteger(string text, string paramName)
    {
        if (!TryParseUnsignedInteger(text, out var value))
        {
            throw new FormatException($"'{Truncate(text)}' ({paramName}) is not a \"0x\"-prefixed hex number or an unsigned decimal number.");
        }

        return value;
    }

    internal static bool TryParseUnsignedInteger(string text, out BigInteger value)
    {
        value = BigInteger.Zero;
        if (text.Length >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        {
            var digits = text.AsSpan(2);
            if (digits.Length == 0)
            {
                return false;
            }

            foreach (var ch in digits)
            {
                if (!char.IsAsciiHexDigit(ch))
                {
                    return false;
                }
            }

            // Prefix a 0 so that the parser reads the number as unsigned.
            value = BigInteger.Parse(string.Concat("0", digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            return true;
        }

        if (text.Length == 0)
        {
            return false;
        }

        foreach (var ch in text)
        {
            if (!char.IsAsciiDigit(ch))
            {
                return false;
            }
        }

        value = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

using System.Numerics;
using System.Security.Cryptography;

namespace AstraTrade.Starknet;

/// <summary>An ECDSA signature over the STARK curve: (r, s), both below the curve order.</summary>
/// <param name="R">r = (k·G).x mod N, in [1, 2^251).</param>
/// <param name="S">s = k^−1·(m + r·d) mod N, in [1, N).</param>
public readonly record struct StarkSignature(Felt R, Felt S);

/// <summary>
/// ECDSA over the STARK curve as Starknet uses it (starknet.js / @scure/starknet, cairo-lang's <c>signature.py</c>):
/// message hashes are field elements below 2^251, no hashing of the message, no low-s normalisation, nonces from
/// RFC 6979 (HMAC-SHA256 DRBG) with Starknet's 252-bit truncation.
/// </summary>
public static class StarkEcdsa
{
    private static BigInteger N => StarkCurve.Order;

    private static readonly BigInteger MaxValue = StarkCurve.MaxValue;

    /// <summary>The public key d·G of a private key d in [1, N).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The private key is not in [1, N).</exception>
    public static StarkPoint GetPublicKey(BigInteger privateKey)
    {
        CheckPrivateKey(privateKey);
        return StarkCurve.MultiplyGenerator(privateKey);
    }

    /// <summary>The Stark key (the x-coordinate of the public key), which Starknet accounts store.</summary>
    public static Felt GetStarkKey(BigInteger privateKey) => GetPublicKey(privateKey).X;

    /// <summary>
    /// Signs a message hash (a field element below 2^251) with a deterministic RFC 6979 nonce; the same key and hash always
    /// give the same signature as starknet.js's <c>ec.starkCurve.sign</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The hash is not below 2^251, or the key not in [1, N).</exception>
    public static StarkSignature Sign(Felt messageHash, BigInteger privateKey)
    {
        CheckPrivateKey(privateKey);
        var m = CheckMessageHash(messageHash);

        // RFC 6979 3.2 step d: seed = int2octets(d) || bits2octets(h). For h < 2^251 < N, bits2octets(h) is h's 32 bytes.
        Span<byte> seed = stackalloc byte[64];
        seed.Clear();
        privateKey.TryWriteBytes(seed[..32], out var dLen, isUnsigned: true, isBigEndian: true);
        ShiftRight(seed[..32], 32 - dLen);
        m.TryWriteBytes(seed[32..], out var mLen, isUnsigned: true, isBigEndian: true);
        ShiftRight(seed[32..], 32 - mLen);

        var drbg = new HmacDrbg(seed);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var t = drbg.Generate();
            var k = Bits2Int(t);
            if (k.Sign > 0 && k < N && TrySignWithNonce(m, privateKey, k, out var signature))
            {
                return signature;
            }

            drbg.Reseed();
        }

        throw new CryptographicException("RFC 6979 found no valid nonce in 1000 tries.");
    }

    /// <summary>
    /// Verifies a signature against a full public key. False when the signature is wrong or out of range
    /// (r ∉ [1, 2^251), s ∉ [1, N), s^−1 mod N ∉ [1, 2^251)).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The message hash is not below 2^251.</exception>
    public static bool Verify(Felt messageHash, StarkSignature signature, StarkPoint publicKey)
    {
        var m = CheckMessageHash(messageHash);
        if (publicKey.IsInfinity || !TryPrepareVerify(m, signature, out var u1, out var u2, out var r))
        {
            return false;
        }

        var point = StarkCurve.MultiplyGeneratorJacobian(u1).Add(StarkCurve.MultiplyJacobian(publicKey, u2));
        return Matches(point, r);
    }

    /// <summary>
    /// Verifies a signature against a Stark key (the public key's x-coordinate, as an account stores it): valid when it
    /// verifies for either of the two points with that x, as cairo-lang's <c>verify</c> does.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The message hash is not below 2^251.</exception>
    public static bool Verify(Felt messageHash, StarkSignature signature, Felt starkKey)
    {
        var m = CheckMessageHash(messageHash);
        if (!StarkPoint.TryFromX(starkKey, false, out var q) || !TryPrepareVerify(m, signature, out var u1, out var u2, out var r))
        {
            return false;
        }

        var a = StarkCurve.MultiplyGeneratorJacobian(u1);
        var b = StarkCurve.MultiplyJacobian(q, u2);
        return Matches(a.Add(b), r) || Matches(a.Add(new JacobianPoint(b.X, -b.Y, b.Z)), r);
    }

    private static bool TryPrepareVerify(BigInteger m, StarkSignature signature, out BigInteger u1, out BigInteger u2, out BigInteger r)
    {
        u1 = u2 = BigInteger.Zero;
        r = signature.R.ToBigInteger();
        var s = signature.S.ToBigInteger();
        if (r.Sign <= 0 || r >= MaxValue || s.Sign <= 0 || s >= N)
        {
            return false;
        }

        var w = Scalar.ModInverse(s, N);
        if (w.Sign <= 0 || w >= MaxValue)
        {
            return false;
        }

        u1 = m * w % N;
        u2 = r * w % N;
        return true;
    }

    private static bool Matches(JacobianPoint point, BigInteger r)
    {
        if (point.IsInfinity)
        {
            return false;
        }

        return point.ToAffine().X.ToBigInteger() % N == r;
    }

    private static bool TrySignWithNonce(BigInteger m, BigInteger d, BigInteger k, out StarkSignature signature)
    {
        signature = default;
        var q = StarkCurve.MultiplyGenerator(k);
        var r = q.X.ToBigInteger() % N;
        // r = 0 is RFC 6979's retry case; r ≥ 2^251 or s^−1 ≥ 2^251 (probability about 2^−55 each) would make
        // starknet.js throw and cairo-lang retry: we retry with the next DRBG output.
        if (r.Sign == 0 || r >= MaxValue)
        {
            return false;
        }

        var kInv = Scalar.ModInverse(k, N);
        var s = kInv * ((m + (r * d)) % N) % N;
        if (s.Sign == 0)
        {
            return false;
        }

        var w = Scalar.ModInverse(s, N);
        if (w >= MaxValue)
        {
            return false;
        }

        signature = new StarkSignature(Felt.FromBigInteger(r), Felt.FromBigInteger(s));
        return true;
    }

    /// <summary>
    /// @scure/starknet's bits2int: leading zero bytes are dropped first, then the number is cut to its top 252 bits
    /// (shift right by 8·len − 252 when positive).
    /// </summary>
    internal static BigInteger Bits2Int(ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0 && bytes[0] == 0)
        {
            bytes = bytes[1..];
        }

        var num = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var delta = (bytes.Length * 8) - 252;
        return delta > 0 ? num >> delta : num;
    }

    private static void CheckPrivateKey(BigInteger privateKey)
    {
        if (privateKey.Sign <= 0 || privateKey >= N)
        {
            throw new ArgumentOutOfRangeException(nameof(privateKey), "A Stark private key must lie in [1, N), N the curve order.");
        }
    }

    private static BigInteger CheckMessageHash(Felt messageHash)
    {
        var m = messageHash.ToBigInteger();
        if (m >= MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(messageHash), "A message hash must be below 2^251.");
        }

        return m;
    }

    private static void ShiftRight(Span<byte> buffer, int by)
    {
        if (by <= 0)
        {
            return;
        }

        var len = buffer.Length - by;
        buffer[..len].CopyTo(buffer[by..]);
        buffer[..by].Clear();
    }

    /// <summary>The minimal HMAC-SHA256 DRBG of RFC 6979 3.2 (steps b–h), as noble implements it.</summary>
    private sealed class HmacDrbg
    {
        private byte[] _k = new byte[32];
        private byte[] _v = new byte[32];

        public HmacDrbg(ReadOnlySpan<byte> seed)
        {
            Array.Fill(_v, (byte)0x01);
            Update(seed, true);
        }

        public byte[] Generate()
        {
            _v = HMACSHA256.HashData(_k, _v);
            return _v;
        }

        public void Reseed() => Update([], false);

        private void Update(ReadOnlySpan<byte> seed, bool hasSeed)
        {
            _k = HMACSHA256.HashData(_k, Concat(_v, 0x00, seed));
            _v = HMACSHA256.HashData(_k, _v);
            if (!hasSeed || seed.Length == 0)
            {
                return;
            }

            _k = HMACSHA256.HashData(_k, Concat(_v, 0x01, seed));
            _v = HMACSHA256.HashData(_k, _v);
        }

        private static byte[] Concat(byte[] v, byte separator, ReadOnlySpan<byte> seed)
        {
            var data = new byte[v.Length + 1 + seed.Length];
            v.CopyTo(data, 0);
            data[v.Length] = separator;
            seed.CopyTo(data.AsSpan(v.Length + 1));
            return data;
        }
    }
}

/// <summary>A Stark private key with its public key, for signing message and transaction hashes.</summary>
public sealed class StarkSigner
{
    private readonly BigInteger _privateKey;

    /// <summary>A signer for a private key in [1, N).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The key is not in [1, N).</exception>
    public StarkSigner(BigInteger privateKey)
    {
        PublicKey = StarkEcdsa.GetPublicKey(privateKey);
        _privateKey = privateKey;
    }

    /// <summary>A signer for a private key given as "0x" hex or decimal.</summary>
    public static StarkSigner FromString(string privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        return new StarkSigner(Felt.ParseUnsignedInteger(privateKey, nameof(privateKey)));
    }

    /// <summary>The full public key d·G.</summary>
    public StarkPoint PublicKey { get; }

    /// <summary>The Stark key (x-coordinate of the public key).</summary>
    public Felt StarkKey => PublicKey.X;

    /// <summary>Signs a hash below 2^251 (deterministic, RFC 6979).</summary>
    public StarkSignature Sign(Felt messageHash) => StarkEcdsa.Sign(messageHash, _privateKey);

    /// <summary>Never shows the private key.</summary>
    public override string ToString() => $"StarkSigner({StarkKey})";
}

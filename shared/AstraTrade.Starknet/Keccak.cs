using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace AstraTrade.Starknet;

/// <summary>
/// Keccak-256 as Ethereum and Starknet use it (the original Keccak padding 0x01…0x80, not SHA3-256's 0x06), on our own
/// Keccak-f[1600] permutation.
/// </summary>
public static class Keccak256
{
    private const int RateBytes = 136; // 1600 − 2·256 bits

    private static readonly ulong[] RoundConstants =
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808AUL, 0x8000000080008000UL,
        0x000000000000808BUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008AUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000AUL,
        0x000000008000808BUL, 0x800000000000008BUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800AUL, 0x800000008000000AUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    // Rotation offsets r[x + 5y] and the π step target index, as in the Keccak reference.
    private static readonly int[] Rotations =
    [
        0, 1, 62, 28, 27,
        36, 44, 6, 55, 20,
        3, 10, 43, 25, 39,
        41, 45, 15, 21, 8,
        18, 2, 61, 56, 14,
    ];

    /// <summary>The 32-byte Keccak-256 digest of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        while (data.Length >= RateBytes)
        {
            Absorb(state, data[..RateBytes]);
            Permute(state);
            data = data[RateBytes..];
        }

        Span<byte> last = stackalloc byte[RateBytes];
        last.Clear();
        data.CopyTo(last);
        last[data.Length] ^= 0x01;
        last[RateBytes - 1] ^= 0x80;
        Absorb(state, last);
        Permute(state);

        var digest = new byte[32];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(digest.AsSpan(i * 8, 8), state[i]);
        }

        return digest;
    }

    private static void Absorb(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        for (var i = 0; i < RateBytes / 8; i++)
        {
            state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block.Slice(i * 8, 8));
        }
    }

    /// <summary>Keccak-f[1600]: 24 rounds of θ, ρ, π, χ, ι on 5×5 lanes (lane (x, y) at index x + 5y).</summary>
    internal static void Permute(Span<ulong> a)
    {
        Span<ulong> c = stackalloc ulong[5];
        Span<ulong> b = stackalloc ulong[25];
        for (var round = 0; round < 24; round++)
        {
            // θ
            for (var x = 0; x < 5; x++)
            {
                c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
            }

            for (var x = 0; x < 5; x++)
            {
                var d = c[(x + 4) % 5] ^ BitOperations.RotateLeft(c[(x + 1) % 5], 1);
                for (var y = 0; y < 25; y += 5)
                {
                    a[x + y] ^= d;
                }
            }

            // ρ and π: B[y, 2x + 3y] = rot(A[x, y], r[x, y])
            for (var x = 0; x < 5; x++)
            {
                for (var y = 0; y < 5; y++)
                {
                    var src = x + (5 * y);
                    var dst = y + (5 * (((2 * x) + (3 * y)) % 5));
                    b[dst] = BitOperations.RotateLeft(a[src], Rotations[src]);
                }
            }

            // χ
            for (var y = 0; y < 25; y += 5)
            {
                for (var x = 0; x < 5; x++)
                {
                    a[x + y] = b[x + y] ^ (~b[((x + 1) % 5) + y] & b[((x + 2) % 5) + y]);
                }
            }

            // ι
            a[0] ^= RoundConstants[round];
        }
    }
}

/// <summary>Starknet Keccak: Keccak-256 of the bytes, masked to its low 250 bits.</summary>
public static class StarknetKeccak
{
    private static readonly BigInteger Mask250 = (BigInteger.One << 250) - 1;

    /// <summary>starknet_keccak(data) = keccak256(data) &amp; (2^250 − 1).</summary>
    public static Felt Hash(ReadOnlySpan<byte> data)
    {
        var digest = Keccak256.Hash(data);
        return Felt.FromBigInteger(new BigInteger(digest, isUnsigned: true, isBigEndian: true) & Mask250);
    }

    /// <summary>starknet_keccak of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static Felt Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Hash(Encoding.UTF8.GetBytes(text));
    }
}

/// <summary>Entry-point selectors.</summary>
public static class Selectors
{
    /// <summary>The selector of an entry point: starknet_keccak of its name (e.g. "transfer").</summary>
    public static Felt GetSelectorFromName(string name) => StarknetKeccak.Hash(name);

    /// <summary>The selector of the <c>__execute__</c> entry point.</summary>
    public static Felt Execute => GetSelectorFromName("__execute__");
}

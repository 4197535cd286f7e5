using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace AstraTrade.Starknet;

/// <summary>
/// Starknet's Poseidon hash: the Hades permutation over the STARK field with width 3 (rate 2, capacity 1), S-box x³,
/// 8 full rounds (4 before and 4 after) and 83 partial rounds (S-box on the last state element only), MDS matrix
/// [[3, 1, 1], [1, −1, 1], [1, 1, −2]].
/// </summary>
/// <remarks>
/// The round constants are not pasted: they are generated as cairo-lang's <c>poseidon_params.py</c> defines them,
/// constant k (k = 3·round + position) = int(SHA-256("Hades" + k)) mod P. The tests pin a few of them and compare
/// hashes with starknet.js.
/// </remarks>
public static class Poseidon
{
    /// <summary>State width.</summary>
    public const int Width = 3;

    /// <summary>Rate (elements absorbed per permutation).</summary>
    public const int Rate = 2;

    /// <summary>Full rounds in total (half before, half after the partial rounds).</summary>
    public const int FullRounds = 8;

    /// <summary>Partial rounds.</summary>
    public const int PartialRounds = 83;

    private static readonly Felt[] RoundConstants = GenerateRoundConstants();

    /// <summary>The round constant for round <paramref name="round"/> and state position <paramref name="position"/>.</summary>
    public static Felt RoundConstant(int round, int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(round, FullRounds + PartialRounds);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, Width);
        return RoundConstants[(round * Width) + position];
    }

    /// <summary>Applies the Hades permutation to a state of three elements, in place.</summary>
    public static void Permute(Span<Felt> state)
    {
        if (state.Length != Width)
        {
            throw new ArgumentException($"The Poseidon state has {Width} elements.", nameof(state));
        }

        var s0 = state[0];
        var s1 = state[1];
        var s2 = state[2];
        Permute(ref s0, ref s1, ref s2);
        state[0] = s0;
        state[1] = s1;
        state[2] = s2;
    }

    /// <summary>poseidon_hash(x, y): the first element of Hades([x, y, 2]).</summary>
    public static Felt Hash(Felt x, Felt y)
    {
        var s2 = Felt.FromUInt64(2);
        Permute(ref x, ref y, ref s2);
        return x;
    }

    /// <summary>poseidon_hash_single(x): the first element of Hades([x, 0, 1]).</summary>
    public static Felt HashSingle(Felt x)
    {
        var s1 = Felt.Zero;
        var s2 = Felt.One;
        Permute(ref x, ref s1, ref s2);
        return x;
    }

    /// <summary>
    /// poseidon_hash_many: the elements followed by 1 and, when needed, a 0 to an even length, absorbed two at a time
    /// (added to the first two state elements, then the permutation), starting from the zero state.
    /// </summary>
    public static Felt HashMany(params ReadOnlySpan<Felt> elements)
    {
        Felt s0 = Felt.Zero, s1 = Felt.Zero, s2 = Felt.Zero;
        var i = 0;
        for (; i + 1 < elements.Length; i += 2)
        {
            s0 = Felt.Add(s0, elements[i]);
            s1 = Felt.Add(s1, elements[i + 1]);
            Permute(ref s0, ref s1, ref s2);
        }

        if (i < elements.Length)
        {
            // One element left: [e, 1].
            s0 = Felt.Add(s0, elements[i]);
            s1 = Felt.Add(s1, Felt.One);
        }
        else
        {
            // Even count: [1, 0].
            s0 = Felt.Add(s0, Felt.One);
        }

        Permute(ref s0, ref s1, ref s2);
        return s0;
    }

    /// <summary>Same as <see cref="HashMany(ReadOnlySpan{Felt})"/> for any sequence.</summary>
    public static Felt HashMany(IEnumerable<Felt> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        return HashMany(elements as Felt[] ?? elements.ToArray());
    }

    private static void Permute(ref Felt s0, ref Felt s1, ref Felt s2)
    {
        var rc = RoundConstants;
        var k = 0;
        const int half = FullRounds / 2;
        for (var r = 0; r < half; r++, k += 3)
        {
            s0 = Cube(Felt.Add(s0, rc[k]));
            s1 = Cube(Felt.Add(s1, rc[k + 1]));
            s2 = Cube(Felt.Add(s2, rc[k + 2]));
            Mix(ref s0, ref s1, ref s2);
        }

        for (var r = 0; r < PartialRounds; r++, k += 3)
        {
            s0 = Felt.Add(s0, rc[k]);
            s1 = Felt.Add(s1, rc[k + 1]);
            s2 = Cube(Felt.Add(s2, rc[k + 2]));
            Mix(ref s0, ref s1, ref s2);
        }

        for (var r = 0; r < half; r++, k += 3)
        {
            s0 = Cube(Felt.Add(s0, rc[k]));
            s1 = Cube(Felt.Add(s1, rc[k + 1]));
            s2 = Cube(Felt.Add(s2, rc[k + 2]));
            Mix(ref s0, ref s1, ref s2);
        }
    }

    private static Felt Cube(Felt x) => Felt.Mul(Felt.Mul(x, x), x);

    // MDS [[3, 1, 1], [1, −1, 1], [1, 1, −2]]: with t = a + b + c,
    // a' = t + 2a, b' = t − 2b, c' = t − 3c.
    private static void Mix(ref Felt a, ref Felt b, ref Felt c)
    {
        var t = Felt.Add(Felt.Add(a, b), c);
        var na = Felt.Add(t, Felt.Double(a));
        var nb = Felt.Sub(t, Felt.Double(b));
        var nc = Felt.Sub(t, Felt.Add(Felt.Double(c), c));
        a = na;
        b = nb;
        c = nc;
    }

    private static Felt[] GenerateRoundConstants()
    {
        var count = (FullRounds + PartialRounds) * Width;
        var constants = new Felt[count];
        for (var k = 0; k < count; k++)
        {
            var digest = SHA256.HashData(Encoding.ASCII.GetBytes("Hades" + k.ToString(CultureInfo.InvariantCulture)));
            constants[k] = Felt.FromBigIntegerReduced(new BigInteger(digest, isUnsigned: true, isBigEndian: true));
        }

        return constants;
    }
}

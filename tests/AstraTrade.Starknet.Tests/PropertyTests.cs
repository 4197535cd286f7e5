using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace AstraTrade.Starknet.Tests;

/// <summary>FsCheck properties: field laws, group laws, sign→verify, Poseidon consistency.</summary>
public sealed class PropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(200);
    private static readonly Config Slow = Config.QuickThrowOnFailure.WithMaxTest(40);

    private static readonly Gen<BigInteger> BigBelowP = Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 32)
        .Select(b => new BigInteger(b, isUnsigned: true) % Felt.Prime);

    // Uniform values, plus small and edge values where bugs hide (carries, reductions).
    private static readonly Gen<Felt> FeltGen = Gen.OneOf(
        BigBelowP.Select(Felt.FromBigInteger),
        BigBelowP.Select(Felt.FromBigInteger),
        ArbMap.Default.GeneratorFor<ulong>().Select(v => (Felt)v),
        Gen.Elements(Felt.Zero, Felt.One, Felt.MaxValue, -(Felt)2UL, Felt.FromBigInteger(BigInteger.One << 251), Felt.FromBigInteger((BigInteger.One << 192) - 1)));

    private static readonly Gen<BigInteger> ScalarGen = BigBelowP.Select(v => 1 + (v % (StarkCurve.Order - 1)));

    private static readonly Gen<Felt> HashGen = BigBelowP.Select(v => Felt.FromBigInteger(v % StarkCurve.MaxValue));

    private static Gen<(T, T, T)> Zip3<T>(Gen<T> a, Gen<T> b, Gen<T> c) =>
        Gen.Zip(Gen.Zip(a, b), c).Select(t => (t.Item1.Item1, t.Item1.Item2, t.Item2));

    private static void Holds<T>(Config config, Gen<T> gen, Func<T, bool> property) =>
        Check.One(config, Prop.ForAll(Arb.From(gen), property));

    [Fact]
    public void Field_operations_agree_with_BigInteger() => Holds(Quick, Gen.Zip(FeltGen, FeltGen), t =>
    {
        var (a, b) = t;
        BigInteger x = a.ToBigInteger(), y = b.ToBigInteger(), p = Felt.Prime;
        return (a + b).ToBigInteger() == (x + y) % p
            && (a - b).ToBigInteger() == (((x - y) % p) + p) % p
            && (a * b).ToBigInteger() == x * y % p
            && (-a).ToBigInteger() == (p - x) % p;
    });

    [Fact]
    public void Field_laws() => Holds(Quick, Zip3(FeltGen, FeltGen, FeltGen), t =>
    {
        var (a, b, c) = t;
        return a + b == b + a
            && a * b == b * a
            && (a + b) + c == a + (b + c)
            && (a * b) * c == a * (b * c)
            && a * (b + c) == (a * b) + (a * c)
            && a - a == Felt.Zero
            && a + Felt.Zero == a
            && a * Felt.One == a
            && (a.IsZero || (a * a.Inverse() == Felt.One && a.Inverse() == a.InverseByFermat() && a / a == Felt.One));
    });

    [Fact]
    public void Felt_text_and_bytes_round_trip() => Holds(Quick, FeltGen, a =>
        Felt.Parse(a.ToHexString()) == a
        && Felt.Parse(a.ToBigInteger().ToString(System.Globalization.CultureInfo.InvariantCulture)) == a
        && Felt.Parse(a.ToPaddedHexString()) == a
        && Felt.FromBytesBigEndian(a.ToBytesBigEndian()) == a
        && a.ToHexString() == "0x" + a.ToBigInteger().ToString("x", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0').PadLeft(1, '0'));

    [Fact]
    public void Square_roots() => Holds(Quick, FeltGen, a =>
    {
        var square = a.Square();
        return square.TrySqrt(out var root) && root.Square() == square && (root == a || root == -a);
    });

    [Fact]
    public void Point_addition_is_associative_and_matches_scalar_multiplication() =>
        Holds(Slow, Zip3(ScalarGen, ScalarGen, ScalarGen), t =>
        {
            var (a, b, c) = t;
            var g = StarkCurve.Generator;
            StarkPoint pa = a * g, pb = b * g, pc = c * g;
            var left = (pa + pb) + pc;
            var right = pa + (pb + pc);
            return left == right
                && left == StarkCurve.MultiplyGenerator(a + b + c)
                && pa + pb == pb + pa
                && pa - pa == StarkPoint.Infinity
                && pa + pa == pa.Double()
                && StarkCurve.Multiply(pa, b) == StarkCurve.Multiply(pb, a)
                && StarkCurve.IsOnCurve(left.X, left.Y);
        });

    [Fact]
    public void Sign_then_verify_round_trips() => Holds(Slow, Gen.Zip(ScalarGen, HashGen), t =>
    {
        var (d, m) = t;
        var signer = new StarkSigner(d);
        var signature = signer.Sign(m);
        var other = m + Felt.One;
        return signature == StarkEcdsa.Sign(m, d)
            && StarkEcdsa.Verify(m, signature, signer.PublicKey)
            && StarkEcdsa.Verify(m, signature, signer.StarkKey)
            && !StarkEcdsa.Verify(m, new StarkSignature(signature.R, signature.S + Felt.One), signer.PublicKey)
            && (other.ToBigInteger() >= StarkCurve.MaxValue || !StarkEcdsa.Verify(other, signature, signer.PublicKey));
    });

    [Fact]
    public void Poseidon_hash_many_is_the_sponge() => Holds(Quick, Gen.ListOf(FeltGen).Select(l => l.Take(12).ToArray()), values =>
    {
        // Reference sponge written directly from the definition, on the public permutation.
        var padded = values.Append(Felt.One).ToList();
        if (padded.Count % 2 == 1)
        {
            padded.Add(Felt.Zero);
        }

        var state = new Felt[3];
        for (var i = 0; i < padded.Count; i += 2)
        {
            state[0] += padded[i];
            state[1] += padded[i + 1];
            Poseidon.Permute(state);
        }

        var pair = values.Length == 2 ? Poseidon.Hash(values[0], values[1]) == PermuteFirst(values[0], values[1], 2) : true;
        var single = values.Length == 1 ? Poseidon.HashSingle(values[0]) == PermuteFirst(values[0], Felt.Zero, Felt.One) : true;
        return Poseidon.HashMany(values) == state[0] && Poseidon.HashMany((IEnumerable<Felt>)values) == state[0] && pair && single;
    });

    [Fact]
    public void Pedersen_hash_on_elements_is_the_chain() => Holds(Slow, Gen.ListOf(FeltGen).Select(l => l.Take(5).ToArray()), values =>
    {
        var h = Felt.Zero;
        foreach (var v in values)
        {
            h = Pedersen.Hash(h, v);
        }

        return Pedersen.HashOnElements(values) == Pedersen.Hash(h, (ulong)values.Length);
    });

    private static Felt PermuteFirst(Felt a, Felt b, Felt c)
    {
        Span<Felt> s = [a, b, c];
        Poseidon.Permute(s);
        return s[0];
    }
}

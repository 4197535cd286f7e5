using System.Globalization;
using System.Numerics;
using BenchmarkDotNet.Attributes;

namespace AstraTrade.Starknet.Benchmarks;

/// <summary>
/// The operations the issue asks numbers for, with the same inputs as tests/AstraTrade.Starknet.Tests/vectors/bench.mjs
/// (the starknet.js side), so the two tables can stand side by side.
/// </summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private readonly Felt _x = Felt.Parse("0x3d937c035c878245caf64531a5756109c53068da139362728feb561405371cb");
    private readonly Felt _y = Felt.Parse("0x208a0a10250e382e1e4bbe2880906c2791bf6275695e02fbbc6aeff9cd8b31a");
    private readonly BigInteger _d = BigInteger.Parse("1234567890123456789012345678901234567890", CultureInfo.InvariantCulture);
    private readonly Felt[] _ten = Enumerable.Range(0, 10).Select(i => (Felt)(((ulong)i * 7919UL) + 3UL)).ToArray();
    private StarkPoint _publicKey;
    private StarkSignature _signature;

    [GlobalSetup]
    public void Setup()
    {
        _publicKey = StarkEcdsa.GetPublicKey(_d);
        _signature = StarkEcdsa.Sign(_x, _d);
        // A benchmark of a verify that fails would measure the wrong path.
        if (!StarkEcdsa.Verify(_x, _signature, _publicKey) || !StarkEcdsa.Verify(_x, _signature, _publicKey.X))
        {
            throw new InvalidOperationException("The benchmark signature does not verify.");
        }
    }

    [Benchmark]
    public Felt Pedersen() => Starknet.Pedersen.Hash(_x, _y);

    [Benchmark]
    public Felt PoseidonHash() => Poseidon.Hash(_x, _y);

    [Benchmark]
    public Felt PoseidonHashMany10() => Poseidon.HashMany(_ten);

    [Benchmark]
    public StarkSignature Sign() => StarkEcdsa.Sign(_x, _d);

    [Benchmark]
    public bool VerifyFullKey() => StarkEcdsa.Verify(_x, _signature, _publicKey);

    [Benchmark]
    public bool VerifyStarkKey() => StarkEcdsa.Verify(_x, _signature, _publicKey.X);

    [Benchmark]
    public StarkPoint GetPublicKey() => StarkEcdsa.GetPublicKey(_d);
}

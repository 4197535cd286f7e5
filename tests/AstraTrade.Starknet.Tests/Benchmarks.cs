using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;
using Xunit.Abstractions;

namespace AstraTrade.Starknet.Tests;

/// <summary>A fact that runs only with STARKNET_BENCH=1 (and is reported as skipped otherwise).</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("STARKNET_BENCH") != "1")
        {
            Skip = "Benchmark: set STARKNET_BENCH=1 and run in Release (see Benchmarks.cs).";
        }
    }
}

/// <summary>
/// Stopwatch benchmark mode, the same method as vectors/bench.mjs for starknet.js: per operation 1 s of warm-up, then
/// 5 trials of about 1 s; the report gives the fastest and the median trial in µs per operation.
/// <code>
/// STARKNET_BENCH=1 dotnet test tests/AstraTrade.Starknet.Tests -c Release --filter "FullyQualifiedName~Benchmarks" --logger "console;verbosity=detailed"
/// (cd tests/AstraTrade.Starknet.Tests/vectors &amp;&amp; node bench.mjs)
/// </code>
/// The table is also written to STARKNET_BENCH_OUT when that is set.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class Benchmarks(ITestOutputHelper output)
{
    [BenchmarkFact]
    public void Sign_verify_poseidon_pedersen()
    {
        var x = Felt.Parse("0x3d937c035c878245caf64531a5756109c53068da139362728feb561405371cb");
        var y = Felt.Parse("0x208a0a10250e382e1e4bbe2880906c2791bf6275695e02fbbc6aeff9cd8b31a");
        var d = BigInteger.Parse("1234567890123456789012345678901234567890", CultureInfo.InvariantCulture);
        var publicKey = StarkEcdsa.GetPublicKey(d);
        var signature = StarkEcdsa.Sign(x, d);
        var ten = Enumerable.Range(0, 10).Select(i => (Felt)(((ulong)i * 7919UL) + 3UL)).ToArray();
        Felt sink = default;
        var ok = true;

        var report = new StringBuilder();
#if DEBUG
        report.AppendLine("WARNING: Debug build; run with -c Release for meaningful numbers.");
#endif
        report.AppendLine(CultureInfo.InvariantCulture, $".NET {Environment.Version}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:u}, load {LoadAverage()}");
        Measure(report, "pedersen(x, y)", () => sink = Pedersen.Hash(x, y));
        Measure(report, "poseidonHash(x, y)", () => sink = Poseidon.Hash(x, y));
        Measure(report, "poseidonHashMany(10)", () => sink = Poseidon.HashMany(ten));
        Measure(report, "sign", () => sink = StarkEcdsa.Sign(x, d).R);
        Measure(report, "verify (full key)", () => ok &= StarkEcdsa.Verify(x, signature, publicKey));
        Measure(report, "verify (stark key)", () => ok &= StarkEcdsa.Verify(x, signature, publicKey.X));
        Measure(report, "getPublicKey", () => sink = StarkEcdsa.GetPublicKey(d).X);
        Measure(report, "getSelectorFromName", () => sink = Selectors.GetSelectorFromName("transfer"));
        report.AppendLine(CultureInfo.InvariantCulture, $"(sink {sink}, all verified {ok})");

        output.WriteLine(report.ToString());
        if (Environment.GetEnvironmentVariable("STARKNET_BENCH_OUT") is { Length: > 0 } path)
        {
            File.WriteAllText(path, report.ToString());
        }

        Assert.True(ok);
    }

    private static void Measure(StringBuilder report, string name, Action operation)
    {
        var warm = Stopwatch.StartNew();
        long calls = 0;
        while (warm.ElapsedMilliseconds < 1000)
        {
            operation();
            calls++;
        }

        var batch = Math.Max(1, (int)(calls / 1)); // about 1 s per trial
        var trials = new double[5];
        for (var t = 0; t < trials.Length; t++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < batch; i++)
            {
                operation();
            }

            trials[t] = sw.Elapsed.TotalMicroseconds / batch;
        }

        Array.Sort(trials);
        report.AppendLine(CultureInfo.InvariantCulture, $"{name,-24} min {trials[0],10:F1} µs/op   median {trials[2],10:F1} µs/op   ({batch} ops/trial)");
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}

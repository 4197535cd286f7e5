using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AstraTrade.Starknet.Tests;

/// <summary>
/// Produces the starknet.js vectors once per test run: installs the pinned npm packages in vectors/ with <c>npm ci</c>
/// when they are missing or differ from package-lock.json, runs <c>node generate.mjs</c> into a file, and parses it.
/// </summary>
/// <remarks>
/// The output is a pure function of generate.mjs, package-lock.json, the seed and the scale, so it is cached in the temp
/// folder under a hash of those; set STARKNET_VECTORS_REGENERATE=1 to force a fresh run. Without node or npm the
/// fixture fails with a clear message: the vector tests are never skipped.
/// Environment: STARKNET_VECTORS_SEED (default "astratrade-starknet-vectors-v1"), STARKNET_VECTORS_SCALE (default 1).
/// </remarks>
public sealed class StarknetJsVectors : IDisposable
{
    private const string Purpose = "vectors that starknet.js produces";

    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(10);

    public StarknetJsVectors()
    {
        var stopwatch = Stopwatch.StartNew();
        VectorsDirectory = typeof(StarknetJsVectors).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "StarknetVectorsDirectory").Value!;
        if (!File.Exists(Path.Combine(VectorsDirectory, "generate.mjs")))
        {
            throw new InvalidOperationException($"The vector generator is missing: {VectorsDirectory}/generate.mjs.");
        }

        var seed = Environment.GetEnvironmentVariable("STARKNET_VECTORS_SEED") is { Length: > 0 } s ? s : "astratrade-starknet-vectors-v1";
        var scale = Environment.GetEnvironmentVariable("STARKNET_VECTORS_SCALE") is { Length: > 0 } sc ? sc : "1";
        var key = CacheKey(seed, scale);
        var cacheDirectory = Path.Combine(Path.GetTempPath(), "astratrade-starknet-vectors");
        var cacheFile = Path.Combine(cacheDirectory, key + ".json");
        var regenerate = Environment.GetEnvironmentVariable("STARKNET_VECTORS_REGENERATE") == "1";

        if (regenerate || !File.Exists(cacheFile))
        {
            NodeScripts.EnsureInstalled(VectorsDirectory, "starknet", ProcessTimeout, Purpose);
            var npmDone = stopwatch.Elapsed;
            Directory.CreateDirectory(cacheDirectory);
            var temp = Path.Combine(cacheDirectory, $"{key}.{Environment.ProcessId}.tmp");
            NodeScripts.Run(VectorsDirectory, "node", ["generate.mjs", temp, seed, scale], "node generate.mjs", ProcessTimeout, Purpose);
            File.Move(temp, cacheFile, overwrite: true);
            Log = $"npm: {npmDone.TotalSeconds:F1} s, generation: {(stopwatch.Elapsed - npmDone).TotalSeconds:F1} s";
        }
        else
        {
            Log = $"cached vectors {cacheFile}";
        }

        Document = JsonDocument.Parse(File.ReadAllBytes(cacheFile));
        Log += $", total fixture time {stopwatch.Elapsed.TotalSeconds:F1} s";
    }

    public string VectorsDirectory { get; }

    public JsonDocument Document { get; }

    public string Log { get; }

    public JsonElement Root => Document.RootElement;

    public IReadOnlyList<JsonElement> Section(string name)
    {
        if (!Root.TryGetProperty(name, out var section) || section.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException($"The vector file has no '{name}' section.");
        }

        var list = section.EnumerateArray().ToList();
        Assert.NotEmpty(list);
        return list;
    }

    public void Dispose() => Document.Dispose();

    private string CacheKey(string seed, string scale)
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(Path.Combine(VectorsDirectory, "generate.mjs")));
        hash.AppendData(File.ReadAllBytes(Path.Combine(VectorsDirectory, "package-lock.json")));
        hash.AppendData(Encoding.UTF8.GetBytes($"\n{seed}\n{scale}"));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

}

[CollectionDefinition(Name)]
public sealed class StarknetJsCollection : ICollectionFixture<StarknetJsVectors>
{
    public const string Name = "starknet.js vectors";
}

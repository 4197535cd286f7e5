using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AstraTrade.Starknet.Tests;

/// <summary>
/// Order-hash vectors from Extended's own signer, npm <c>@x10xchange/stark-crypto-wrapper-wasm</c> (its Rust crypto as
/// WebAssembly), produced once per run in tests/tools/extended-vectors: <c>npm ci</c> when node_modules does not hold
/// the pinned version, then <c>node generate.mjs</c>. The output is cached in the temp folder under a hash of
/// generate.mjs, package-lock.json and the seed. It runs offline once installed (the WASM file ships in the package).
/// Without node or npm the fixture fails with a clear message: the tests are never skipped.
/// </summary>
public sealed class ExtendedVectors : IDisposable
{
    private const string Seed = "astratrade-extended-vectors-v1";
    private const string Count = "40";
    private const string Purpose = "Extended's own signer (npm @x10xchange/stark-crypto-wrapper-wasm)";

    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(5);

    public ExtendedVectors()
    {
        Directory = FindToolDirectory();
        var key = CacheKey();
        var cacheDirectory = Path.Combine(Path.GetTempPath(), "astratrade-extended-vectors");
        var cacheFile = Path.Combine(cacheDirectory, key + ".json");
        if (!File.Exists(cacheFile))
        {
            NodeScripts.EnsureInstalled(Directory, "@x10xchange/stark-crypto-wrapper-wasm", ProcessTimeout, Purpose);
            System.IO.Directory.CreateDirectory(cacheDirectory);
            var temp = Path.Combine(cacheDirectory, $"{key}.{Environment.ProcessId}.tmp");
            NodeScripts.Run(Directory, "node", ["generate.mjs", temp, Seed, Count], "node generate.mjs", ProcessTimeout, Purpose);
            File.Move(temp, cacheFile, overwrite: true);
        }

        Document = JsonDocument.Parse(File.ReadAllBytes(cacheFile));
    }

    public string Directory { get; }

    public JsonDocument Document { get; }

    public IReadOnlyList<JsonElement> Orders => [.. Document.RootElement.GetProperty("orders").EnumerateArray()];

    public string Generator => Document.RootElement.GetProperty("generator").GetString()!;

    public void Dispose() => Document.Dispose();

    /// <summary>tests/tools/extended-vectors, found from the test assembly's folder upwards (bin/… sits under tests/).</summary>
    private static string FindToolDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tools", "extended-vectors");
            if (File.Exists(Path.Combine(candidate, "generate.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/tools/extended-vectors/generate.mjs was not found above {AppContext.BaseDirectory}.");
    }

    private string CacheKey()
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(Path.Combine(Directory, "generate.mjs")));
        hash.AppendData(File.ReadAllBytes(Path.Combine(Directory, "package-lock.json")));
        hash.AppendData(Encoding.UTF8.GetBytes($"\n{Seed}\n{Count}"));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

}

using System.ComponentModel;
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
            EnsureNodeModules();
            var npmDone = stopwatch.Elapsed;
            Directory.CreateDirectory(cacheDirectory);
            var temp = Path.Combine(cacheDirectory, $"{key}.{Environment.ProcessId}.tmp");
            Run("node", ["generate.mjs", temp, seed, scale], "node generate.mjs");
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

    /// <summary>Runs <c>npm ci</c> unless node_modules already holds the starknet version that package-lock.json pins.</summary>
    private void EnsureNodeModules()
    {
        var installed = Path.Combine(VectorsDirectory, "node_modules", "starknet", "package.json");
        var wanted = LockedStarknetVersion();
        if (File.Exists(installed))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(installed));
            if (doc.RootElement.GetProperty("version").GetString() == wanted)
            {
                return;
            }
        }

        Run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], "npm ci");
    }

    private string LockedStarknetVersion()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(VectorsDirectory, "package-lock.json")));
        return doc.RootElement.GetProperty("packages").GetProperty("node_modules/starknet").GetProperty("version").GetString()!;
    }

    private void Run(string fileName, string[] arguments, string what)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = VectorsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{what} did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{fileName}' was not found on PATH. The Starknet crypto tests compare against vectors that starknet.js produces: " +
                "install Node.js 20+ with npm (Debian: apt-get install nodejs npm) and run the tests again. They are not skipped.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ProcessTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{what} did not finish within {ProcessTimeout.TotalMinutes} minutes.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{what} failed with exit code {process.ExitCode} in {VectorsDirectory}.\n{stdout.Result}\n{stderr.Result}");
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StarknetJsCollection : ICollectionFixture<StarknetJsVectors>
{
    public const string Name = "starknet.js vectors";
}

using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage.Cosmos;

/// <summary>
/// A cosmosdb-server process (tests/tools/cosmosdb-server: the pinned @vercel/cosmosdb-server behind server.js) on
/// 127.0.0.1 and a free port, for the length of a test run. Installs the pinned package with <c>npm ci</c> when
/// node_modules is missing or holds another version. Without node or npm it fails with a clear message: the Cosmos tests
/// are never skipped for want of them.
/// </summary>
public sealed partial class CosmosDbServer : IDisposable
{
    /// <summary>Any base64 key will do: cosmosdb-server does not check signatures.</summary>
    public const string Key = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;

    public CosmosDbServer()
    {
        ToolDirectory = typeof(CosmosDbServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "CosmosDbServerDirectory").Value!;
        if (!File.Exists(Path.Combine(ToolDirectory, "server.js")))
        {
            throw new InvalidOperationException($"The cosmosdb-server launcher is missing: {ToolDirectory}/server.js.");
        }

        EnsureInstalled();
        _process = Start("node", ["server.js", "--host", "127.0.0.1", "--port", "0"], "node server.js");
        try
        {
            Endpoint = new Uri($"https://127.0.0.1:{WaitForPort()}/");
        }
        catch
        {
            Stop();
            throw;
        }
    }

    public string ToolDirectory { get; }

    public Uri Endpoint { get; }

    public string ConnectionString => $"AccountEndpoint={Endpoint};AccountKey={Key};";

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    [GeneratedRegex(@"Ready to accept HTTPS connections at [^\s]+:(\d+)")]
    private static partial Regex ReadyLine();

    private int WaitForPort()
    {
        var line = _process.StandardOutput.ReadLineAsync();
        if (!line.Wait(StartTimeout) || line.Result is null)
        {
            throw new InvalidOperationException(
                $"cosmosdb-server did not report its port within {StartTimeout.TotalSeconds} s: {_process.StandardError.ReadToEnd()}");
        }

        var match = ReadyLine().Match(line.Result);
        if (!match.Success)
        {
            throw new InvalidOperationException($"cosmosdb-server printed '{line.Result}' instead of its port.");
        }

        // Drain the rest so the process never blocks on a full pipe.
        _ = _process.StandardOutput.ReadToEndAsync();
        _ = _process.StandardError.ReadToEndAsync();
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It had not started or already exited.
        }
    }

    /// <summary>Runs <c>npm ci</c> unless node_modules holds the version of the server that package-lock.json pins.</summary>
    private void EnsureInstalled()
    {
        using var lockFile = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ToolDirectory, "package-lock.json")));
        var wanted = lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/@vercel/cosmosdb-server").GetProperty("version").GetString();
        var installed = Path.Combine(ToolDirectory, "node_modules", "@vercel", "cosmosdb-server", "package.json");
        if (File.Exists(installed))
        {
            using var package = JsonDocument.Parse(File.ReadAllBytes(installed));
            if (package.RootElement.GetProperty("version").GetString() == wanted)
            {
                return;
            }
        }

        using var npm = Start("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], "npm ci");
        var stdout = npm.StandardOutput.ReadToEndAsync();
        var stderr = npm.StandardError.ReadToEndAsync();
        if (!npm.WaitForExit(InstallTimeout))
        {
            npm.Kill(entireProcessTree: true);
            throw new TimeoutException($"npm ci in {ToolDirectory} did not finish within {InstallTimeout.TotalMinutes} minutes.");
        }

        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed with exit code {npm.ExitCode} in {ToolDirectory}.\n{stdout.Result}\n{stderr.Result}");
        }
    }

    private Process Start(string fileName, string[] arguments, string what)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = ToolDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"{what} did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{fileName}' was not found on PATH. The Cosmos DB store tests run against cosmosdb-server, an npm package: " +
                "install Node.js 20+ with npm (Debian: apt-get install nodejs npm) and run the tests again. They are not skipped.", e);
        }
    }
}

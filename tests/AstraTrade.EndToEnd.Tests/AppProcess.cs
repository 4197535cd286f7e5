using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AstraTrade.EndToEnd.Tests;

/// <summary>
/// The real app as a child process (the built AstraTrade.Functions.dll run with `dotnet`), on a free loopback port,
/// with its own data directory. It can be killed (SIGKILL) or stopped and started again on the same directory.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private readonly string? _executable;
    private Process? _process;

    /// <param name="executable">A published executable to run instead of the build output (with <c>dotnet</c>).</param>
    /// <param name="asCustomHandler">Start it as the Functions host starts a custom handler: the port in
    /// FUNCTIONS_CUSTOMHANDLER_PORT (which also puts the app in host mode).</param>
    public AppProcess(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null, string? executable = null, bool asCustomHandler = false)
    {
        _executable = executable;
        DataDirectory = dataDirectory;
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
        _environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Store__DataDirectory"] = dataDirectory,
            ["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/'),
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        if (asCustomHandler)
        {
            _environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>What the process printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task StartAsync()
    {
        var start = _executable is null ? new ProcessStartInfo("dotnet", [AppDll()]) : new ProcessStartInfo(_executable);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = Path.GetDirectoryName(_executable ?? AppDll())!;
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilHealthyAsync();
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; only what was acknowledged durably survives.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                // HasExited can be true before the redirected output has all been read: WaitForExit() without a timeout
                // also waits for the end of both streams, so the output below is complete.
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync("health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The app did not become healthy:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The app's own build output, in the same configuration as this test assembly.</summary>
    private static string AppDll()
    {
        var here = AppContext.BaseDirectory;
        var configuration = here.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryRoot(), "functions", "AstraTrade.Functions", "bin", configuration, "net10.0", "AstraTrade.Functions.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first.", dll);
    }

    /// <summary>The folder holding AstraTrade.sln, above this test assembly.</summary>
    public static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AstraTrade.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("AstraTrade.sln not found above " + AppContext.BaseDirectory);
    }
}

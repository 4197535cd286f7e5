using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AstraTrade.Infrastructure.Queues.AzureStorage;

namespace AstraTrade.Infrastructure.IntegrationTests.Queues;

/// <summary>
/// Azurite's queue service (npm <c>azurite</c>, pinned in tests/tools/azurite), started once per test process on
/// 127.0.0.1 with a port the OS picks, in memory, telemetry off. The pinned packages are installed with <c>npm ci</c>
/// when missing or different from package-lock.json (one installer at a time across test processes). Azurite runs
/// under queue-while-stdin-open.mjs, so it stops when this process exits, however it exits.
/// Without node or npm the tests fail with a message saying so: they are never skipped.
/// The API version check stays on (no --skipApiVersionCheck): the adapter's x-ms-version is one Azurite 3.37 knows.
/// Also used by tests/AstraTrade.Orchestrations.Runtime.Tests (linked source).
/// </summary>
public sealed partial class Azurite
{
    private static readonly Lazy<Task<Azurite>> PlainHttp = new(() => Task.Run(() => Start(tls: null)));
    private static readonly Lazy<Task<Azurite>> HttpsWithOAuth = new(() => Task.Run(() => Start(SelfSignedCertificate.Create())));
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private readonly Process _process;

    private Azurite(Process process, Uri queueEndpoint, SelfSignedCertificate? certificate)
    {
        _process = process;
        QueueEndpoint = queueEndpoint;
        Certificate = certificate;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    /// <summary>The queue service of the development account: <c>http://127.0.0.1:{port}/devstoreaccount1</c>.</summary>
    public Uri QueueEndpoint { get; }

    /// <summary>The https instance's certificate (null for the http one).</summary>
    public SelfSignedCertificate? Certificate { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={StorageConnectionString.DevelopmentAccountName};" +
        $"AccountKey={StorageConnectionString.DevelopmentAccountKey};QueueEndpoint={QueueEndpoint}";

    public QueueServiceEndpoint Service => QueueServiceEndpoint.FromConnectionString(ConnectionString);

    /// <summary>The plain http instance (Shared Key).</summary>
    public static Task<Azurite> QueueServiceAsync() => PlainHttp.Value;

    /// <summary>An https instance with <c>--oauth basic</c>, for bearer tokens (Azurite accepts them over https only and
    /// checks their audience, issuer and lifetime, not their signature).</summary>
    public static Task<Azurite> HttpsQueueServiceWithOAuthAsync() => HttpsWithOAuth.Value;

    /// <summary>A queue name no other test uses (the queue itself is created by the adapter).</summary>
    public static string NewQueueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..20]}";

    /// <summary>An HTTP handler that trusts exactly the https instance's certificate.</summary>
    public HttpMessageHandler TrustingHandler()
    {
        var thumbprint = Certificate?.Thumbprint ?? throw new InvalidOperationException("This Azurite instance is plain http.");
        return new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint },
        };
    }

    private static Azurite Start(SelfSignedCertificate? tls)
    {
        try
        {
            return Launch(tls);
        }
        catch
        {
            tls?.Delete();
            throw;
        }
    }

    private static Azurite Launch(SelfSignedCertificate? tls)
    {
        var tools = ToolsDirectory();
        EnsureInstalled(tools);

        // In memory, Azurite writes nothing (and refuses --location); the temporary folder is its working directory all
        // the same, so that nothing could land in the repository.
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            Path.Combine(tools, "queue-while-stdin-open.mjs"), "--queueHost", "127.0.0.1", "--queuePort", "0", "--inMemoryPersistence",
            "--disableTelemetry", "--silent", "--extentMemoryLimit", "256",
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (tls is not null)
        {
            foreach (var argument in (string[])["--cert", tls.CertificatePath, "--key", tls.KeyPath, "--oauth", "basic"])
            {
                info.ArgumentList.Add(argument);
            }
        }

        var process = StartProcess(info, "node (Azurite)");
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri($"{match.Groups[1].Value}://127.0.0.1:{match.Groups[2].Value}/{StorageConnectionString.DevelopmentAccountName}"));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"Azurite exited with code {process.ExitCode}:\n{Output()}"));

        try
        {
            var endpoint = listening.Task.WaitAsync(StartTimeout).GetAwaiter().GetResult();
            return new Azurite(process, endpoint, tls);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Azurite did not start listening within {StartTimeout.TotalSeconds} s:\n{Output()}");
        }

        string Output()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Closing stdin stops it (see queue-while-stdin-open.mjs); a kill if it does not go.</summary>
    private void Stop()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        Certificate?.Delete();
    }

    private static string ToolsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "tools", "azurite");
            if (File.Exists(Path.Combine(candidate, "package-lock.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/tools/azurite was not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>Runs <c>npm ci</c> unless node_modules holds the azurite version package-lock.json pins. Test processes
    /// may start together (dotnet test runs projects in parallel), so the check and install hold a file lock.</summary>
    private static void EnsureInstalled(string tools)
    {
        using var installLock = AcquireInstallLock();
        var wanted = LockedVersion(tools);
        var installed = Path.Combine(tools, "node_modules", "azurite", "package.json");
        if (File.Exists(installed))
        {
            using var package = JsonDocument.Parse(File.ReadAllBytes(installed));
            if (package.RootElement.GetProperty("version").GetString() == wanted)
            {
                return;
            }
        }

        var info = new ProcessStartInfo("npm")
        {
            WorkingDirectory = tools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        {
            info.ArgumentList.Add(argument);
        }

        using var npm = StartProcess(info, "npm ci");
        var stdout = npm.StandardOutput.ReadToEndAsync();
        var stderr = npm.StandardError.ReadToEndAsync();
        if (!npm.WaitForExit(InstallTimeout))
        {
            npm.Kill(entireProcessTree: true);
            throw new TimeoutException($"npm ci in {tools} did not finish within {InstallTimeout.TotalMinutes} minutes.");
        }

        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed with exit code {npm.ExitCode} in {tools}.\n{stdout.Result}\n{stderr.Result}");
        }
    }

    private static FileStream AcquireInstallLock()
    {
        var path = Path.Combine(Path.GetTempPath(), "astratrade-azurite-install.lock");
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (started.Elapsed < InstallTimeout)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static string LockedVersion(string tools)
    {
        using var lockFile = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(tools, "package-lock.json")));
        return lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/azurite").GetProperty("version").GetString()!;
    }

    private static Process StartProcess(ProcessStartInfo info, string what)
    {
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"{what} did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{info.FileName}' was not found on PATH. The Azure Storage queue tests run against Azurite, an npm package: " +
                "install Node.js 20+ with npm (Debian: apt-get install nodejs npm) and run the tests again. They are not skipped.", e);
        }
    }

    [GeneratedRegex(@"listens on (https?)://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}

/// <summary>A throwaway certificate for 127.0.0.1, written as PEM files for Azurite's --cert and --key.</summary>
public sealed class SelfSignedCertificate
{
    private SelfSignedCertificate(string certificatePath, string keyPath, string thumbprint)
    {
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        Thumbprint = thumbprint;
    }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    public string Thumbprint { get; }

    public void Delete()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(CertificatePath)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static SelfSignedCertificate Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));

        var directory = Directory.CreateTempSubdirectory("astratrade-azurite-tls-");
        var certificatePath = Path.Combine(directory.FullName, "cert.pem");
        var keyPath = Path.Combine(directory.FullName, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new SelfSignedCertificate(certificatePath, keyPath, certificate.GetCertHashString());
    }
}

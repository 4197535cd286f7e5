using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using AstraTrade.Functions.Hosting;

namespace AstraTrade.EndToEnd.Tests;

/// <summary>
/// The folder `func azure functionapp publish` deploys, as scripts/publish-functions.sh assembles it (docs/functions.md):
/// host.json, one function.json folder per declared function, and the executable host.json names; and that executable,
/// started as the Functions host starts a custom handler (FUNCTIONS_CUSTOMHANDLER_PORT), becomes healthy and answers an
/// invocation in the host's shape. (No Functions host runs here: this is as close as the machine allows.)
/// </summary>
public sealed class PublishedFolderTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "astratrade-publish-" + Guid.NewGuid().ToString("N"));
    private readonly string _data = Path.Combine(Path.GetTempPath(), "astratrade-published-data-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_publish_script_assembles_the_deployable_folder_and_its_handler_answers_the_host()
    {
        var root = AppProcess.RepositoryRoot();
        RunPublishScript(root);

        Assert.Equal(File.ReadAllText(Path.Combine(root, "host.json")), File.ReadAllText(Path.Combine(_output, "host.json")));
        var executable = Path.Combine(_output, "AstraTrade.Functions");
        Assert.True(File.Exists(executable), "the executable host.json's defaultExecutablePath names");
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute), "the executable is executable");
        }

        var folders = Directory.GetDirectories(_output).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(AppFunctions.All.Select(f => f.Name).Order(), folders);
        Assert.All(folders, f => Assert.Equal(["function.json"], Directory.GetFiles(Path.Combine(_output, f!)).Select(Path.GetFileName)));

        await using var handler = new AppProcess(_data, executable: executable, asCustomHandler: true);
        await handler.StartAsync();
        using var http = new HttpClient { BaseAddress = handler.BaseAddress };
        var invocation = new
        {
            Data = new { timer = new { Schedule = new { AdjustForDST = true }, IsPastDue = false } },
            Metadata = new { sys = new { MethodName = AppFunctions.TournamentSchedulerTimer, UtcNow = DateTimeOffset.UtcNow, RandGuid = Guid.NewGuid() } },
        };
        using var response = await http.PostAsJsonAsync(AppFunctions.TournamentSchedulerTimer, invocation, new JsonSerializerOptions()); // PascalCase, as the host sends

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.StartsWith(AppFunctions.TournamentSchedulerTimer + " ran for ", body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var directory in new[] { _output, _data })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private void RunPublishScript(string root)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "publish-functions.sh"), _output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("scripts/publish-functions.sh did not finish in 10 minutes.");
        }

        Assert.True(process.ExitCode == 0, $"publish-functions.sh exited with {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
    }
}

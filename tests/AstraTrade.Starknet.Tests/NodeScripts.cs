using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace AstraTrade.Starknet.Tests;

/// <summary>
/// Runs the pinned npm packages the vector fixtures compare against: <c>npm ci</c> when node_modules does not hold the
/// version package-lock.json pins, then node scripts. Without node or npm it fails and says what to install: the tests
/// that need it are never skipped.
/// </summary>
internal static class NodeScripts
{
    /// <summary>Runs <c>npm ci</c> in <paramref name="directory"/> unless <paramref name="package"/> is installed at the
    /// version its package-lock.json pins.</summary>
    public static void EnsureInstalled(string directory, string package, TimeSpan timeout, string purpose)
    {
        using (var lockFile = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "package-lock.json"))))
        {
            var wanted = lockFile.RootElement.GetProperty("packages").GetProperty($"node_modules/{package}").GetProperty("version").GetString();
            var installed = Path.Combine(directory, "node_modules", package, "package.json");
            if (File.Exists(installed))
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(installed));
                if (doc.RootElement.GetProperty("version").GetString() == wanted)
                {
                    return;
                }
            }
        }

        Run(directory, "npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], "npm ci", timeout, purpose);
    }

    /// <param name="purpose">What the tests compare against, for the message when node or npm is missing.</param>
    public static void Run(string directory, string fileName, string[] arguments, string what, TimeSpan timeout, string purpose)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
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
                $"'{fileName}' was not found on PATH. These tests compare against {purpose}: install Node.js 20+ with npm " +
                "(Debian: apt-get install nodejs npm) and run them again. They are not skipped.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{what} did not finish within {timeout.TotalMinutes} minutes.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{what} failed with exit code {process.ExitCode} in {directory}.\n{stdout.Result}\n{stderr.Result}");
            }
        }
    }
}

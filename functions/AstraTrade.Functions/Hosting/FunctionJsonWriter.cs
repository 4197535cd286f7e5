using System.Text.Json;
using System.Text.Json.Nodes;

namespace AstraTrade.Functions.Hosting;

/// <summary>Writes <c>&lt;output&gt;/&lt;FunctionName&gt;/function.json</c> for each declaration.</summary>
public static class FunctionJsonWriter
{
    /// <summary>The command-line switch Program.cs handles before building the web app.</summary>
    public const string Switch = "--write-function-json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The function.json document of one declaration.</summary>
    public static JsonObject ToJson(FunctionDeclaration function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new JsonObject
        {
            ["bindings"] = new JsonArray([.. function.Bindings()]),
        };
    }

    /// <summary>Writes every declaration's function.json under <paramref name="outputDirectory"/>; returns the files written.</summary>
    /// <exception cref="InvalidOperationException">Two declarations share a name (case-insensitively, as the host compares them).</exception>
    public static IReadOnlyList<string> Write(string outputDirectory, IEnumerable<FunctionDeclaration> functions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var list = functions.ToList();
        var duplicate = list.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two functions are named '{duplicate.Key}'.");
        }

        var written = new List<string>(list.Count);
        foreach (var function in list)
        {
            var directory = Path.Combine(outputDirectory, function.Name);
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, "function.json");
            File.WriteAllText(path, ToJson(function).ToJsonString(Indented) + "\n");
            written.Add(path);
        }

        return written;
    }

    /// <summary>
    /// Handles <c>--write-function-json &lt;dir&gt;</c>: writes <see cref="AppFunctions.All"/> and returns the exit code;
    /// null when the switch is absent (run the app).
    /// </summary>
    public static int? RunFromCommandLine(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var index = Array.IndexOf(args, Switch);
        if (index < 0)
        {
            return null;
        }

        if (index + 1 >= args.Length || string.IsNullOrWhiteSpace(args[index + 1]))
        {
            error.WriteLine($"usage: AstraTrade.Functions {Switch} <output directory>");
            return 2;
        }

        var files = Write(args[index + 1], AppFunctions.All);
        output.WriteLine($"Wrote {files.Count} function.json files under {Path.GetFullPath(args[index + 1])}");
        return 0;
    }
}

using System.Text.RegularExpressions;

namespace AstraTrade.Functions.FunctionalTests.Deployment;

/// <summary>The files under infra/bicep, found from the test's output folder by walking up to the repository root.</summary>
internal static partial class InfraFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string Directory => Path.Combine(Root.Value, "infra", "bicep");

    public static string CosmosContainersJson => Path.Combine(Directory, "cosmos-containers.json");

    public static BicepFile Main => BicepFile.Load(Path.Combine(Directory, "main.bicep"));

    /// <summary>The module main.bicep declares under <paramref name="symbol"/>, loaded.</summary>
    public static BicepFile ModuleOf(string symbol) => BicepFile.Load(Main.Module(symbol).File);

    public static IReadOnlyList<string> ParameterFiles => System.IO.Directory.GetFiles(Path.Combine(Directory, "environments"), "*.bicepparam");

    /// <summary>Every .bicep and .bicepparam file under infra/bicep.</summary>
    public static IReadOnlyList<string> TemplateFiles =>
    [
        .. System.IO.Directory.GetFiles(Directory, "*.bicep", SearchOption.AllDirectories),
        .. System.IO.Directory.GetFiles(Directory, "*.bicepparam", SearchOption.AllDirectories),
    ];

    /// <summary>
    /// The value of a string expression of <paramref name="file"/>: a literal, a variable, or an interpolation of
    /// variables (enough for names main.bicep builds from its own variables).
    /// </summary>
    public static string EvaluateString(BicepFile file, string expression)
    {
        expression = expression.Trim();
        if (BicepText.StringValue(expression) is { } literal)
        {
            return InterpolationPattern().Replace(literal, m => EvaluateString(file, m.Groups["name"].Value));
        }

        return file.HasVariable(expression)
            ? EvaluateString(file, file.Variable(expression))
            : throw new InvalidOperationException($"Cannot evaluate '{expression}' in {file.Path}: only literals and variables are supported.");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AstraTrade.sln")) && System.IO.Directory.Exists(Path.Combine(directory.FullName, "infra", "bicep")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("infra/bicep not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\$\{(?<name>\w+)\}")]
    private static partial Regex InterpolationPattern();
}

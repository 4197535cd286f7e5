using System.Text.RegularExpressions;

namespace AstraTrade.Functions.FunctionalTests.Deployment;

/// <summary>
/// The top-level declarations of one .bicep or .bicepparam file (param, var, resource, module, output, using), read
/// with <see cref="BicepText"/>. A declaration starts at the beginning of a line outside any bracket or string, and its
/// decorators are the lines starting with '@' just before it.
/// </summary>
internal sealed partial class BicepFile
{
    private static readonly string[] Keywords = ["param", "var", "resource", "module", "output", "using", "targetScope", "type", "import", "func", "metadata"];

    private BicepFile(string path, string text)
    {
        Path = path;
        Text = BicepText.StripComments(text);
        Declarations = Parse(Text);
    }

    public string Path { get; }

    /// <summary>The file's text without its comments.</summary>
    public string Text { get; }

    public IReadOnlyList<BicepDeclaration> Declarations { get; }

    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public static BicepFile Load(string path) => new(System.IO.Path.GetFullPath(path), File.ReadAllText(path));

    public static BicepFile Parse(string text, string path = "inline.bicep") => new(path, text);

    public IReadOnlyList<BicepParameter> Parameters =>
    [
        .. Declarations.Where(d => d.Keyword == "param").Select(d =>
        {
            var match = ParameterPattern().Match(d.Header);
            return match.Success
                ? new BicepParameter(
                    match.Groups["name"].Value,
                    match.Groups["type"].Success ? match.Groups["type"].Value : null,
                    match.Groups["value"].Success ? match.Groups["value"].Value.Trim() : null,
                    d.Decorators)
                : throw new FormatException($"{Path}: not a parameter declaration: {BicepText.Excerpt(d.Header, 0)}");
        }),
    ];

    public BicepParameter Parameter(string name) =>
        Parameters.SingleOrDefault(p => p.Name == name) ?? throw new InvalidOperationException($"{Path} declares no parameter '{name}'.");

    /// <summary>The expression of the variable <paramref name="name"/>.</summary>
    public string Variable(string name) => Named("var", name, VariablePattern()).Groups["value"].Value.Trim();

    public bool HasVariable(string name) => Declarations.Any(d => d.Keyword == "var" && VariablePattern().Match(d.Header) is { Success: true } m && m.Groups["name"].Value == name);

    /// <summary>The expression of the output <paramref name="name"/>.</summary>
    public string Output(string name) => Named("output", name, OutputPattern()).Groups["value"].Value.Trim();

    public IReadOnlyList<string> OutputNames =>
        [.. Declarations.Where(d => d.Keyword == "output").Select(d => OutputPattern().Match(d.Header).Groups["name"].Value)];

    /// <summary>Every resource declaration: symbolic name, type with API version, whether existing, and its value.</summary>
    public IReadOnlyList<BicepResource> Resources =>
    [
        .. Declarations.Where(d => d.Keyword == "resource").Select(d =>
        {
            var match = ResourcePattern().Match(d.Header);
            return match.Success
                ? new BicepResource(match.Groups["symbol"].Value, match.Groups["type"].Value, match.Groups["existing"].Success, match.Groups["value"].Value.Trim())
                : throw new FormatException($"{Path}: not a resource declaration: {BicepText.Excerpt(d.Header, 0)}");
        }),
    ];

    public BicepResource Resource(string symbol) =>
        Resources.SingleOrDefault(r => r.Symbol == symbol) ?? throw new InvalidOperationException($"{Path} declares no resource '{symbol}'.");

    /// <summary>Every module declaration: symbolic name, the file it deploys (full path) and its value.</summary>
    public IReadOnlyList<BicepModule> Modules =>
    [
        .. Declarations.Where(d => d.Keyword == "module").Select(d =>
        {
            var match = ModulePattern().Match(d.Header);
            return match.Success
                ? new BicepModule(match.Groups["symbol"].Value, System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, match.Groups["path"].Value)), match.Groups["value"].Value.Trim())
                : throw new FormatException($"{Path}: not a module declaration: {BicepText.Excerpt(d.Header, 0)}");
        }),
    ];

    public BicepModule Module(string symbol) =>
        Modules.SingleOrDefault(m => m.Symbol == symbol) ?? throw new InvalidOperationException($"{Path} declares no module '{symbol}'.");

    /// <summary>The file a .bicepparam file's <c>using</c> names (full path).</summary>
    public string Using()
    {
        var match = UsingPattern().Match(Declarations.Single(d => d.Keyword == "using").Header);
        return match.Success
            ? System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, match.Groups["path"].Value))
            : throw new FormatException($"{Path}: not a using declaration.");
    }

    private Match Named(string keyword, string name, Regex pattern) =>
        Declarations.Where(d => d.Keyword == keyword).Select(d => pattern.Match(d.Header)).SingleOrDefault(m => m.Success && m.Groups["name"].Value == name)
        ?? throw new InvalidOperationException($"{Path} declares no {keyword} '{name}'.");

    private static List<BicepDeclaration> Parse(string text)
    {
        // Offsets of the lines that start at the top level, outside brackets and strings.
        var topLevelLines = new List<int>();
        var depth = 0;
        var lineStart = true;
        var i = 0;
        while (i < text.Length)
        {
            if (lineStart && depth == 0)
            {
                topLevelLines.Add(i);
            }

            var c = text[i];
            lineStart = c == '\n';
            if (c == '\'')
            {
                i = BicepText.SkipString(text, i);
                lineStart = false;
                continue;
            }

            depth += c switch { '{' or '[' or '(' => 1, '}' or ']' or ')' => -1, _ => 0 };
            if (depth < 0)
            {
                throw new FormatException("Unbalanced closing bracket: " + BicepText.Excerpt(text, i));
            }

            i++;
        }

        if (depth != 0)
        {
            throw new FormatException("Unclosed bracket at the end of the file.");
        }

        var declarations = new List<BicepDeclaration>();
        var decorators = new List<string>();
        var starts = topLevelLines
            .Select(offset => (Offset: offset, Line: text[offset..].Split('\n', 2)[0].TrimEnd()))
            .Where(line => line.Line.Length > 0 && !char.IsWhiteSpace(line.Line[0]))
            .ToList();
        for (var k = 0; k < starts.Count; k++)
        {
            var end = k + 1 < starts.Count ? starts[k + 1].Offset : text.Length;
            var chunk = text[starts[k].Offset..end].Trim();
            if (chunk.StartsWith('@'))
            {
                decorators.Add(chunk);
                continue;
            }

            var keyword = KeywordPattern().Match(chunk).Value;
            if (!Keywords.Contains(keyword))
            {
                throw new FormatException("Not a declaration: " + BicepText.Excerpt(chunk, 0));
            }

            declarations.Add(new BicepDeclaration(keyword, chunk, [.. decorators]));
            decorators.Clear();
        }

        return decorators.Count == 0 ? declarations : throw new FormatException("Decorators without a declaration: " + decorators[0]);
    }

    [GeneratedRegex(@"^\w+")]
    private static partial Regex KeywordPattern();

    [GeneratedRegex(@"^param\s+(?<name>\w+)(?:\s+(?<type>[\w.?\[\]]+))?\s*(?:=(?<value>.*))?$", RegexOptions.Singleline)]
    private static partial Regex ParameterPattern();

    [GeneratedRegex(@"^var\s+(?<name>\w+)\s*=(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^output\s+(?<name>\w+)\s+\w+\s*=(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex OutputPattern();

    [GeneratedRegex(@"^resource\s+(?<symbol>\w+)\s+'(?<type>[^']+)'(?<existing>\s+existing)?\s*=(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex ResourcePattern();

    [GeneratedRegex(@"^module\s+(?<symbol>\w+)\s+'(?<path>[^']+)'\s*=(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex ModulePattern();

    [GeneratedRegex(@"^using\s+'(?<path>[^']+)'\s*$")]
    private static partial Regex UsingPattern();
}

/// <summary>One top-level declaration: its keyword, its whole text, and the decorators before it.</summary>
internal sealed record BicepDeclaration(string Keyword, string Header, IReadOnlyList<string> Decorators);

/// <summary>
/// A parameter: in a .bicep file its type and default value (null: none, the deployment must give one); in a
/// .bicepparam file, <see cref="Value"/> is the value assigned.
/// </summary>
internal sealed record BicepParameter(string Name, string? Type, string? Value, IReadOnlyList<string> Decorators)
{
    public bool IsSecure => Decorators.Any(d => d.StartsWith("@secure()", StringComparison.Ordinal));

    /// <summary>The values of an <c>@allowed([...])</c> decorator, as written, or null when it has none.</summary>
    public IReadOnlyList<string>? Allowed =>
        Decorators.FirstOrDefault(d => d.StartsWith("@allowed(", StringComparison.Ordinal)) is { } allowed
            ? BicepText.Items(BicepText.Balanced(allowed, allowed.IndexOf('[', StringComparison.Ordinal)))
            : null;

    public long? MinValue => Bound("@minValue(");

    public long? MaxValue => Bound("@maxValue(");

    public long? MinLength => Bound("@minLength(");

    public long? MaxLength => Bound("@maxLength(");

    private long? Bound(string decorator) =>
        Decorators.FirstOrDefault(d => d.StartsWith(decorator, StringComparison.Ordinal)) is { } found
            ? long.Parse(found[decorator.Length..found.IndexOf(')', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)
            : null;
}

internal sealed record BicepResource(string Symbol, string Type, bool Existing, string Value)
{
    /// <summary>The resource type without its API version.</summary>
    public string TypeName => Type.Split('@')[0];

    public string Body => BicepText.Body(Value);

    public BicepLoop? Loop => BicepText.Loop(Value);
}

internal sealed record BicepModule(string Symbol, string File, string Value)
{
    /// <summary>The parameters the module declaration passes: name → expression.</summary>
    public IReadOnlyDictionary<string, string> Params =>
        BicepText.Property(BicepText.Body(Value), "params") is { } parameters
            ? BicepText.Properties(parameters).ToDictionary(p => p.Key, p => p.Value)
            : new Dictionary<string, string>();
}

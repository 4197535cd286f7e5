using System.Text.RegularExpressions;

namespace AstraTrade.Functions.FunctionalTests.Deployment;

/// <summary>
/// Just enough of Bicep's syntax to read our own templates in tests (the Bicep CLI cannot be installed here, so nothing
/// compiles them): strings (with interpolation and ''' blocks), comments, balanced brackets, top-level declarations,
/// object properties and array items, loops. It is deliberately strict about the layout our files use (declarations
/// start at the beginning of a line) and throws on anything it does not understand rather than guessing.
/// </summary>
internal static partial class BicepText
{
    /// <summary>The text with every comment replaced by spaces (line breaks kept), strings untouched.</summary>
    public static string StripComments(string text)
    {
        var result = text.ToCharArray();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '\'')
            {
                i = SkipString(text, i);
            }
            else if (At(text, i, "//"))
            {
                while (i < text.Length && text[i] != '\n')
                {
                    result[i++] = ' ';
                }
            }
            else if (At(text, i, "/*"))
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + 2;
                for (; i < end; i++)
                {
                    result[i] = text[i] == '\n' ? '\n' : ' ';
                }
            }
            else
            {
                i++;
            }
        }

        return new string(result);
    }

    /// <summary>The bracketed text starting at <paramref name="open"/> ('{', '[' or '('), up to its matching close.</summary>
    public static string Balanced(string text, int open)
    {
        var depth = 0;
        var i = open;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\'')
            {
                i = SkipString(text, i);
                continue;
            }

            if (c is '{' or '[' or '(')
            {
                depth++;
            }
            else if (c is '}' or ']' or ')')
            {
                depth--;
                if (depth == 0)
                {
                    return text[open..(i + 1)];
                }
            }

            i++;
        }

        throw new FormatException($"Unbalanced brackets from offset {open}: {Excerpt(text, open)}");
    }

    /// <summary>
    /// The items of a bracketed object or array: separated by line breaks or commas at its top level, trimmed, empty ones
    /// dropped.
    /// </summary>
    public static IReadOnlyList<string> Items(string bracketed)
    {
        bracketed = bracketed.Trim();
        if (bracketed.Length < 2 || !((bracketed[0] == '{' && bracketed[^1] == '}') || (bracketed[0] == '[' && bracketed[^1] == ']')))
        {
            throw new FormatException("Not an object or array: " + Excerpt(bracketed, 0));
        }

        var items = new List<string>();
        var depth = 0;
        var start = 1;
        var i = 1;
        while (i < bracketed.Length - 1)
        {
            var c = bracketed[i];
            if (c == '\'')
            {
                i = SkipString(bracketed, i);
                continue;
            }

            if (c is '{' or '[' or '(')
            {
                depth++;
            }
            else if (c is '}' or ']' or ')')
            {
                depth--;
            }
            else if (depth == 0 && c is ',' or '\n')
            {
                items.Add(bracketed[start..i]);
                start = i + 1;
            }

            i++;
        }

        items.Add(bracketed[start..^1]);
        return [.. items.Select(item => item.Trim()).Where(item => item.Length > 0)];
    }

    /// <summary>The properties of an object literal, in order, as (key, value expression).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Properties(string objectLiteral)
    {
        if (!objectLiteral.TrimStart().StartsWith('{'))
        {
            throw new FormatException("Not an object literal: " + Excerpt(objectLiteral, 0));
        }

        return [.. Items(objectLiteral).Select(item =>
        {
            var match = PropertyPattern().Match(item);
            return match.Success
                ? KeyValuePair.Create(match.Groups["key"].Success ? match.Groups["key"].Value : Unquote(match.Groups["quoted"].Value), match.Groups["value"].Value.Trim())
                : throw new FormatException("Not a property: " + Excerpt(item, 0));
        })];
    }

    /// <summary>The value of the property at <paramref name="path"/> (nested objects), or null when one is missing.</summary>
    public static string? Property(string objectLiteral, params string[] path)
    {
        string? current = objectLiteral;
        foreach (var key in path)
        {
            if (current is null || !current.TrimStart().StartsWith('{'))
            {
                return null;
            }

            current = Properties(current).Where(p => p.Key == key).Select(p => p.Value).SingleOrDefault();
        }

        return current;
    }

    /// <summary>The contents of <paramref name="expression"/> when it is exactly one string literal, else null.</summary>
    public static string? StringValue(string expression)
    {
        expression = expression.Trim();
        if (expression.Length < 2 || expression[0] != '\'')
        {
            return null;
        }

        return SkipString(expression, 0) == expression.Length ? Unquote(expression) : null;
    }

    /// <summary>Every string literal that is an item of the array literal <paramref name="arrayLiteral"/>.</summary>
    public static IReadOnlyList<string> StringItems(string arrayLiteral) =>
        [.. Items(arrayLiteral).Select(item => StringValue(item) ?? throw new FormatException("Not a string literal: " + item))];

    /// <summary>A loop (<c>[for x in source: body]</c>), or null when the expression is not one.</summary>
    public static BicepLoop? Loop(string expression)
    {
        var match = LoopPattern().Match(expression.Trim());
        return match.Success
            ? new BicepLoop(match.Groups["variable"].Value, match.Groups["source"].Value.Trim(), match.Groups["body"].Value.Trim())
            : null;
    }

    /// <summary>The object a resource or module declaration's value describes: through a condition or a loop if any.</summary>
    public static string Body(string expression)
    {
        expression = expression.Trim();
        if (Loop(expression) is { } loop)
        {
            expression = loop.Body;
        }

        if (expression.StartsWith("if", StringComparison.Ordinal))
        {
            var condition = Balanced(expression, expression.IndexOf('(', StringComparison.Ordinal));
            expression = expression[(expression.IndexOf(condition, StringComparison.Ordinal) + condition.Length)..].Trim();
        }

        return expression.StartsWith('{') ? Balanced(expression, 0) : throw new FormatException("No object body: " + Excerpt(expression, 0));
    }

    /// <summary>The identifiers (not inside strings, not property names after a dot) an expression refers to.</summary>
    public static IReadOnlySet<string> Identifiers(string expression)
    {
        var outsideStrings = new StringBuilder();
        var i = 0;
        while (i < expression.Length)
        {
            if (expression[i] == '\'')
            {
                var end = SkipString(expression, i);
                foreach (Match interpolation in InterpolationPattern().Matches(expression[i..end]))
                {
                    outsideStrings.Append(' ').Append(interpolation.Groups["expression"].Value).Append(' ');
                }

                outsideStrings.Append(' ');
                i = end;
                continue;
            }

            outsideStrings.Append(expression[i++]);
        }

        return IdentifierPattern().Matches(outsideStrings.ToString()).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The index just after the string literal that starts at <paramref name="start"/> (a quote).</summary>
    public static int SkipString(string text, int start)
    {
        if (At(text, start, "'''"))
        {
            var end = text.IndexOf("'''", start + 3, StringComparison.Ordinal);
            return end < 0 ? throw new FormatException("Unterminated ''' string: " + Excerpt(text, start)) : end + 3;
        }

        var i = start + 1;
        while (i < text.Length)
        {
            switch (text[i])
            {
                case '\\':
                    i += 2;
                    break;
                case '\'':
                    return i + 1;
                case '$' when At(text, i, "${"):
                    i = SkipInterpolation(text, i + 2);
                    break;
                case '\n':
                    throw new FormatException("Unterminated string: " + Excerpt(text, start));
                default:
                    i++;
                    break;
            }
        }

        throw new FormatException("Unterminated string: " + Excerpt(text, start));
    }

    private static int SkipInterpolation(string text, int i)
    {
        var depth = 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\'')
            {
                i = SkipString(text, i);
                continue;
            }

            depth += c switch { '{' => 1, '}' => -1, _ => 0 };
            i++;
            if (depth == 0)
            {
                return i;
            }
        }

        throw new FormatException("Unterminated interpolation: " + Excerpt(text, i));
    }

    private static string Unquote(string literal) =>
        literal.StartsWith("'''", StringComparison.Ordinal)
            ? literal[3..^3]
            : EscapePattern().Replace(literal[1..^1], m => m.Groups[1].Value switch { "n" => "\n", "r" => "\r", "t" => "\t", var other => other });

    private static bool At(string text, int i, string token) => string.CompareOrdinal(text, i, token, 0, token.Length) == 0;

    internal static string Excerpt(string text, int at) => text.Substring(at, Math.Min(80, text.Length - at)).ReplaceLineEndings(" ");

    [GeneratedRegex(@"^(?:(?<key>[A-Za-z_]\w*)|(?<quoted>'(?:[^'\\]|\\.)*'))\s*:(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex PropertyPattern();

    [GeneratedRegex(@"^\[\s*for\s+(?<variable>\([^)]*\)|\w+)\s+in\s+(?<source>[^:]+?)\s*:(?<body>.*)\]$", RegexOptions.Singleline)]
    private static partial Regex LoopPattern();

    [GeneratedRegex(@"\$\{(?<expression>[^}]*)\}")]
    private static partial Regex InterpolationPattern();

    [GeneratedRegex(@"(?<![\w.])[A-Za-z_]\w*")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"\\(.)")]
    private static partial Regex EscapePattern();
}

/// <summary>A <c>[for variable in source: body]</c> expression.</summary>
internal sealed record BicepLoop(string Variable, string Source, string Body);

namespace AstraTrade.Functions.FunctionalTests.Deployment;

/// <summary>The Bicep reader the template tests rely on: if it misread, those tests would pass or fail for nothing.</summary>
public sealed class BicepTextTests
{
    [Fact]
    public void Comments_are_removed_outside_strings_only()
    {
        var text = "var a = 'https://x/y' // gone\n/* gone\ntoo */var b = '// kept /* kept */'";

        var stripped = BicepText.StripComments(text);

        Assert.Equal(text.Length, stripped.Length);
        Assert.Contains("'https://x/y'", stripped);
        Assert.Contains("'// kept /* kept */'", stripped);
        Assert.DoesNotContain("gone", stripped);
        Assert.Equal(text.Count(c => c == '\n'), stripped.Count(c => c == '\n'));
    }

    [Fact]
    public void Items_split_on_line_breaks_and_commas_but_not_inside_brackets_strings_or_interpolations()
    {
        var items = BicepText.Items("[\n  'a, b'\n  'c]${x[','] }'\n  { k: [1, 2] }, f(1, 2)\n\n]");

        Assert.Equal(["'a, b'", "'c]${x[','] }'", "{ k: [1, 2] }", "f(1, 2)"], items);
    }

    [Fact]
    public void Properties_read_plain_and_quoted_keys_and_multi_line_values()
    {
        var properties = BicepText.Properties("{\n  name: 'x'\n  '${id}': {}\n  value: union(\n    {\n      a: 1\n    }, {})\n  flag: a ? b : c\n}");

        Assert.Equal(["name", "${id}", "value", "flag"], properties.Select(p => p.Key));
        Assert.Equal("'x'", properties[0].Value);
        Assert.StartsWith("union(", properties[2].Value, StringComparison.Ordinal);
        Assert.EndsWith("{})", properties[2].Value, StringComparison.Ordinal);
        Assert.Equal("a ? b : c", properties[3].Value);
        Assert.Equal("1", BicepText.Property("{ a: { b: { c: 1 } } }", "a", "b", "c"));
        Assert.Null(BicepText.Property("{ a: { b: 1 } }", "a", "x"));
    }

    [Fact]
    public void String_values_unescape_and_only_whole_literals_count()
    {
        Assert.Equal("it's", BicepText.StringValue(@"'it\'s'"));
        Assert.Equal("a${b}c", BicepText.StringValue("'a${b}c'"));
        Assert.Null(BicepText.StringValue("'a' + 'b'"));
        Assert.Null(BicepText.StringValue("name"));
        Assert.Throws<FormatException>(() => BicepText.StringValue("'unterminated"));
    }

    [Fact]
    public void Loops_and_conditions_lead_to_the_object_they_describe()
    {
        var loop = BicepText.Loop("[\n  for (item, i) in items(roles): {\n    name: i\n  }\n]");

        Assert.NotNull(loop);
        Assert.Equal("(item, i)", loop.Variable);
        Assert.Equal("items(roles)", loop.Source);
        Assert.Equal("{\n    name: i\n  }", BicepText.Body("[\n  for (item, i) in items(roles): {\n    name: i\n  }\n]"));
        Assert.Equal("{ a: 1 }", BicepText.Body("if (!empty(x)) { a: 1 }"));
        Assert.Null(BicepText.Loop("[1, 2]"));
    }

    [Fact]
    public void Identifiers_skip_strings_and_member_names_but_see_interpolations()
    {
        Assert.Equal(["a", "c", "d"], BicepText.Identifiers("'x${a}y' == b.c ? c : 'literal${d.e}'").Where(i => i != "b").Order());
        Assert.Contains("b", BicepText.Identifiers("b.c"));
        Assert.DoesNotContain("c", BicepText.Identifiers("b.c"));
    }

    [Fact]
    public void Declarations_start_at_the_line_start_and_collect_their_decorators()
    {
        var file = BicepFile.Parse("""
            @secure()
            @allowed([
              'a'
              'b'
            ])
            param p string
            @minValue(40)
            param n int = 50
            @minLength(1)
            @maxLength(127)
            param s string
            var v = [
              'x'
            ]
            resource r 'Microsoft.X/y@2024-01-01' existing = {
              name: 'r'
            }
            module m 'modules/m.bicep' = if (true) {
              name: 'm'
              params: {
                a: v
                b: r.id
              }
            }
            output o string = r.id
            """);

        var p = file.Parameter("p");
        Assert.True(p.IsSecure);
        Assert.Equal("string", p.Type);
        Assert.Null(p.Value);
        Assert.Equal(["'a'", "'b'"], p.Allowed!);
        Assert.Equal(40, file.Parameter("n").MinValue);
        Assert.Equal("50", file.Parameter("n").Value);
        Assert.Equal(1, file.Parameter("s").MinLength);
        Assert.Equal(127, file.Parameter("s").MaxLength);
        Assert.Null(file.Parameter("s").MinValue);
        Assert.Equal(["x"], BicepText.StringItems(file.Variable("v")));
        Assert.True(file.Resource("r").Existing);
        Assert.Equal("Microsoft.X/y", file.Resource("r").TypeName);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "v", ["b"] = "r.id" }, file.Module("m").Params);
        Assert.Equal("r.id", file.Output("o"));
    }

    [Fact]
    public void Unbalanced_text_is_refused_rather_than_guessed()
    {
        Assert.Throws<FormatException>(() => BicepFile.Parse("var a = [\n  1\n"));
        Assert.Throws<FormatException>(() => BicepFile.Parse("var a = 1 ]\n"));
        Assert.Throws<FormatException>(() => BicepFile.Parse("  indented nonsense\nnonsense here\n"));
    }

    [Fact]
    public void Secret_detection_flags_keys_but_not_resource_paths_or_names()
    {
        Assert.NotEmpty(BicepTemplateTests.LooksLikeBase64Secrets("value: 'q3J0Zk9mRmFrZUtleUZvclRlc3RzT25seTEyMzQ1Njc4OTA='"));
        Assert.Empty(BicepTemplateTests.LooksLikeBase64Secrets("'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15'"));
        Assert.Empty(BicepTemplateTests.LooksLikeBase64Secrets("var storageQueueDataContributorRoleIdentifierName = 1"));
    }
}

using System.Text.RegularExpressions;

namespace AstraTrade.Functions.FunctionalTests.Deployment;

/// <summary>How an app setting appears in the template.</summary>
internal enum AppSettingShape
{
    /// <summary>In a plain array: always set.</summary>
    Always,

    /// <summary>In an array chosen by <c>condition ? [] : [...]</c>: set only when the condition is false.</summary>
    Conditional,

    /// <summary>Made by a loop: one setting per item of its source.</summary>
    PerItem,
}

/// <summary>
/// One app setting of the function app as the template writes it: the name (a literal, possibly with an interpolated
/// loop index), the value expression, and how it is included.
/// </summary>
internal sealed partial record TemplateAppSetting(string Name, string Value, AppSettingShape Shape, string? Condition, BicepLoop? Loop)
{
    /// <summary>
    /// The app settings of the (only) Microsoft.Web/sites resource of <paramref name="module"/>: its
    /// <c>siteConfig.appSettings</c> is a variable or <c>concat(...)</c> of variables, each an array literal, a
    /// conditional array or a loop of <c>{ name, value }</c> objects.
    /// </summary>
    public static IReadOnlyList<TemplateAppSetting> Read(BicepFile module)
    {
        var site = Assert.Single(module.Resources, r => r.TypeName == "Microsoft.Web/sites" && !r.Existing);
        var expression = BicepText.Property(site.Body, "properties", "siteConfig", "appSettings")
            ?? throw new InvalidOperationException($"{module.Path}: the site has no properties.siteConfig.appSettings.");
        var concat = ConcatPattern().Match(expression);
        var variables = concat.Success ? BicepText.Items("[" + concat.Groups["arguments"].Value + "]") : [expression];

        var settings = new List<TemplateAppSetting>();
        foreach (var variable in variables)
        {
            var value = module.Variable(variable);
            if (BicepText.Loop(value) is { } loop)
            {
                settings.Add(FromObject(loop.Body, AppSettingShape.PerItem, null, loop));
            }
            else if (ConditionalPattern().Match(value) is { Success: true } conditional)
            {
                settings.AddRange(BicepText.Items(conditional.Groups["array"].Value)
                    .Select(item => FromObject(item, AppSettingShape.Conditional, conditional.Groups["condition"].Value.Trim(), null)));
            }
            else if (value.StartsWith('['))
            {
                settings.AddRange(BicepText.Items(value).Select(item => FromObject(item, AppSettingShape.Always, null, null)));
            }
            else
            {
                throw new FormatException($"{module.Path}: app settings variable '{variable}' is not an array, a conditional array or a loop.");
            }
        }

        return settings;
    }

    private static TemplateAppSetting FromObject(string item, AppSettingShape shape, string? condition, BicepLoop? loop)
    {
        var properties = BicepText.Properties(item);
        if (properties.Count != 2 || properties[0].Key != "name" || properties[1].Key != "value")
        {
            throw new FormatException("An app setting is { name, value }: " + BicepText.Excerpt(item, 0));
        }

        var name = BicepText.StringValue(properties[0].Value) ?? throw new FormatException("An app setting's name is a string literal: " + properties[0].Value);
        return new TemplateAppSetting(name, properties[1].Value, shape, condition, loop);
    }

    [GeneratedRegex(@"^concat\((?<arguments>.*)\)$", RegexOptions.Singleline)]
    private static partial Regex ConcatPattern();

    [GeneratedRegex(@"^(?<condition>[^?]+)\?\s*\[\s*\]\s*:\s*(?<array>\[.*\])$", RegexOptions.Singleline)]
    private static partial Regex ConditionalPattern();
}

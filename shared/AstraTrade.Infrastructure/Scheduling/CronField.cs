using System.Globalization;
using System.Numerics;

namespace AstraTrade.Infrastructure.Scheduling;

/// <summary>The set of values one NCRONTAB field allows, as a bit mask (every field's values fit in 0..59).</summary>
internal readonly struct CronField
{
    private readonly ulong _bits;

    private CronField(ulong bits) => _bits = bits;

    public bool Contains(int value) => (_bits & (1UL << value)) != 0;

    /// <summary>The smallest allowed value ≥ <paramref name="from"/>, or -1.</summary>
    public int Next(int from)
    {
        if (from > 63)
        {
            return -1;
        }

        var remaining = _bits & (ulong.MaxValue << from);
        return remaining == 0 ? -1 : BitOperations.TrailingZeroCount(remaining);
    }

    public int First => Next(0);

    /// <summary>Parses one field; on failure returns false and a message naming the field and the offending text.</summary>
    public static bool TryParse(CronFieldKind kind, string text, out CronField field, out string? error)
    {
        field = default;
        ulong bits = 0;
        foreach (var item in text.Split(','))
        {
            if (!TryParseItem(kind, item, ref bits, out var problem))
            {
                error = $"the {kind.Name} field '{text}' is invalid: {problem}";
                return false;
            }
        }

        field = new CronField(bits);
        error = null;
        return true;
    }

    // item := ( "*" | value | value "-" value ) [ "/" step ]
    private static bool TryParseItem(CronFieldKind kind, string item, ref ulong bits, out string? problem)
    {
        if (item.Length == 0)
        {
            problem = "it has an empty list item";
            return false;
        }

        var step = 1;
        var range = item;
        var slash = item.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            range = item[..slash];
            if (!TryParseNumber(item[(slash + 1)..], out step) || step < 1)
            {
                problem = $"the step in '{item}' must be a whole number of at least 1";
                return false;
            }
        }

        int first;
        int last;
        if (range == "*")
        {
            (first, last) = (kind.Min, kind.Max);
        }
        else
        {
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            if (dash >= 0)
            {
                if (!TryParseValue(kind, range[..dash], out first, out problem)
                    || !TryParseValue(kind, range[(dash + 1)..], out last, out problem))
                {
                    return false;
                }

                // NCrontab silently swaps a reversed range (so "22-2" means 2-22, not a wrap past midnight);
                // rejecting it keeps every expression we accept meaning the same thing here and in Azure.
                if (first > last)
                {
                    problem = $"the range '{range}' runs backwards; write it from low to high";
                    return false;
                }
            }
            else
            {
                if (!TryParseValue(kind, range, out first, out problem))
                {
                    return false;
                }

                // As in NCrontab, "a/n" means "a-max/n"; a lone "a" is just a.
                last = slash >= 0 ? kind.Max : first;
            }
        }

        for (var value = first; value <= last; value += step)
        {
            bits |= 1UL << value;
        }

        problem = null;
        return true;
    }

    private static bool TryParseValue(CronFieldKind kind, string text, out int value, out string? problem)
    {
        problem = null;
        if (TryParseNumber(text, out value))
        {
            if (value >= kind.Min && value <= kind.Max)
            {
                return true;
            }

            problem = $"{text} is out of range {kind.Min}-{kind.Max}";
            return false;
        }

        var named = kind.ValueOfName(text);
        if (named >= 0)
        {
            value = named;
            return true;
        }

        problem = text.Length == 0
            ? "a range or step is missing a value"
            : kind.HasNames
                ? $"'{text}' is neither a number in {kind.Min}-{kind.Max} nor one of {kind.NameList}"
                : $"'{text}' is not a number in {kind.Min}-{kind.Max}";
        return false;
    }

    private static bool TryParseNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}

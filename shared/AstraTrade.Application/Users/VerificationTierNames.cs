using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Users;

/// <summary>The tiers as the API names them: unverified, email, identity.</summary>
public static class VerificationTierNames
{
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<VerificationTier>().Select(Name)];

    public static string Name(VerificationTier tier) => tier.ToString().ToLowerInvariant();

    /// <summary>By name only, ignoring case. Enum.TryParse would also take "2" or "1, 2", and a number is not a tier name.</summary>
    public static bool TryParse(string? name, out VerificationTier tier)
    {
        foreach (var candidate in Enum.GetValues<VerificationTier>())
        {
            if (string.Equals(name, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                tier = candidate;
                return true;
            }
        }

        tier = default;
        return false;
    }
}

using AstraTrade.Domain.Gamification;

namespace AstraTrade.Application.Gamification;

/// <summary>Configuration section "Gamification" (DOMAIN.md §2 defaults).</summary>
public sealed class GamificationOptions
{
    public const string Section = "Gamification";

    public GamificationRules Rules { get; set; } = GamificationRules.Default;
}

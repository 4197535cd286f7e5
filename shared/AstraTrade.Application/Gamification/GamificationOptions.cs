using AstraTrade.Domain.Gamification;

namespace AstraTrade.Application.Gamification;

/// <summary>Configuration section "Gamification" (DOMAIN.md §2 defaults).</summary>
public sealed class GamificationOptions
{
    public const string Section = "Gamification";

    /// <summary>A fresh instance, never <see cref="GamificationRules.Default"/>: the configuration binder sets properties on
    /// the object it finds here, and must not change the shared defaults.</summary>
    public GamificationRules Rules { get; set; } = new();
}

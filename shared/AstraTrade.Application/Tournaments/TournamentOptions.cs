using AstraTrade.Domain.Tournaments;

namespace AstraTrade.Application.Tournaments;

public sealed class TournamentOptions
{
    public const string Section = "Tournaments";

    public TournamentRules Rules { get; set; } = new();
}

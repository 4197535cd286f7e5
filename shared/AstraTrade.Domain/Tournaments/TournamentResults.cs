using AstraTrade.Domain.Trading;

namespace AstraTrade.Domain.Tournaments;

/// <summary>How the application derives an entry's <see cref="EntryResult"/> from its tournament account.</summary>
public static class TournamentResults
{
    /// <summary>
    /// The closed trades that count toward qualification: positions of the tournament account closed by their owner or
    /// liquidated during the trading window [start, end). The closes at mark that settle open positions at the end do
    /// not count (the player did not close them), nor does anything outside the window.
    /// </summary>
    public static int ClosedTrades(IEnumerable<IAccountEvent> accountEvents, TournamentTerms terms) =>
        accountEvents.Count(e => IsClosedTrade(e, terms));

    /// <summary>Whether one event of a tournament account is a closed trade (the rule <see cref="ClosedTrades"/> counts by).</summary>
    public static bool IsClosedTrade(IAccountEvent e, TournamentTerms terms) =>
        e is PositionClosed { Reason: CloseReason.User } or PositionLiquidated && e.At >= terms.StartsAt && e.At < terms.EndsAt;
}

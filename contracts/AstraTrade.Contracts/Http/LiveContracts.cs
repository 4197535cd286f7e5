namespace AstraTrade.Contracts.Http;

/// <summary>
/// Messages of the per-user live stream (GET /api/v1/stream, server-sent events). The SSE <c>event</c> field names the
/// message (xp, level-up, achievement, order, position); <c>id</c> is "{stream}:{version}" of the event that caused it;
/// <c>data</c> is one of these records as JSON. See docs/live-updates.md.
/// </summary>
public sealed record XpMessage(long Amount, long CutByCap, string Reason, string? Reference, DateTimeOffset At);

public sealed record LevelUpMessage(int Level, DateTimeOffset At);

public sealed record AchievementMessage(string Id, long BonusXp, long StellarShards, DateTimeOffset At);

/// <param name="Status">The order's lifecycle status (today market orders are "filled" when accepted).</param>
public sealed record OrderMessage(Guid OrderId, Guid PositionId, string Market, string Side, int Leverage, decimal Collateral, string Status, decimal FillPrice, DateTimeOffset At);

/// <summary>User stream, event <c>order-status</c>: a limit order started working, or an order ended without a fill.
/// (A fill is the <c>order</c> event.)</summary>
/// <param name="Status">working, cancelled, expired or rejected.</param>
/// <param name="Reason">For an ended order: cancelled, expired, rejected, reset or settlement.</param>
public sealed record OrderStatusMessage(Guid OrderId, string Status, string? Reason, decimal? LimitPrice, decimal Released, DateTimeOffset At);

/// <param name="Status">closed or liquidated.</param>
public sealed record PositionMessage(Guid PositionId, string Market, string Status, decimal ExitPrice, decimal RealizedPnl, decimal Payout, string Reason, DateTimeOffset At);

/// <summary>Tournament stream (GET /api/v1/tournaments/{id}/stream), event <c>standing</c>: one entry's line changed
/// (a trade, a join, or its final score). Other entries' places may have moved by one; GET …/standings gives them all.</summary>
public sealed record StandingMessage(string TournamentId, bool Final, int Total, StandingResponse Entry);

/// <summary>Tournament stream, event <c>final</c>: the tournament completed and its standings are frozen.</summary>
public sealed record StandingsFinalMessage(string TournamentId, int Total);

namespace AstraTrade.Application.Integration;

/// <summary>The relay at a glance, for /health.</summary>
/// <param name="PendingEvents">Integration events the relay has read from the feed and the topic has not acknowledged
/// yet (the batch in hand; events further down the feed are not read until these are published). Null until the relay
/// has been handed its first batch since it started.</param>
/// <param name="OldestPendingAge">How long ago the oldest of those was recorded; null when none is pending.</param>
/// <param name="LastPublishedAt">When the topic last acknowledged a request.</param>
/// <param name="Published">Events acknowledged since the relay started (a redelivered event counts again).</param>
/// <param name="LastError">Why the last publish failed; null once a batch has gone through since.</param>
public sealed record IntegrationRelayStatus(
    int? PendingEvents, TimeSpan? OldestPendingAge, DateTimeOffset? LastPublishedAt, long Published, string? LastError);

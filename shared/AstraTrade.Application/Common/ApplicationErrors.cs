using AstraTrade.Domain.Common;

namespace AstraTrade.Application.Common;

/// <summary>Errors that belong to the use cases rather than to one aggregate's rules.</summary>
public static class ApplicationErrors
{
    public static DomainError UnknownMarket(string market) =>
        new("unknown-market", $"There is no market '{market}'. GET /api/v1/markets lists them.");

    public static DomainError InvalidCredentials() =>
        new("invalid-credentials", "The username or password is wrong.");

    public static DomainError InvalidRefreshToken() =>
        new("invalid-refresh-token", "The refresh token is unknown, expired or revoked; sign in again.");

    public static DomainError UserSuspended() =>
        new("account-suspended", "This account is suspended.");

    public static DomainError InvalidCursor() =>
        new("invalid-cursor", "The cursor is not one this API returned.");

    public static DomainError UnknownLeaderboard(string board) =>
        new("unknown-leaderboard", $"There is no leaderboard '{board}'.");

    public static DomainError Busy() =>
        new("conflict-retry", "The account changed concurrently too many times; retry the request.");
}

using AstraTrade.Domain.Common;

namespace AstraTrade.Application.Trading.Live;

/// <summary>Why a live-trading request was refused (DOMAIN.md §1 gates and the link lifecycle).</summary>
public static class LiveErrors
{
    public static DomainError NotConfigured() =>
        new("live-trading-not-configured", "Live trading is not configured on this deployment (no Extended settings); practice and tournaments work as usual.");

    public static DomainError IdentityVerificationRequired() =>
        new("identity-verification-required", "Live trading needs identity verification; your account is not verified to that tier yet.");

    public static DomainError NotLinked() =>
        new("exchange-account-not-linked", "Link your Extended account first (PUT /api/v1/accounts/live/link).");

    public static DomainError StillTrading(int positions, int orders) =>
        new("live-account-busy", $"The live account has {positions} open position(s) and {orders} working order(s); close and cancel them before unlinking.");

    public static DomainError ProtectionNotSupported() =>
        new("live-protection-not-supported", "Stop-loss and take-profit are not available on live positions yet; close the position instead.");

    public static DomainError ClosePending(Guid positionId) =>
        new("exchange-close-pending", $"The order closing position {positionId} is on the exchange but not confirmed yet; close it again in a moment to record it.");
}

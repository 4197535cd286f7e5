using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>
/// What an order's state on Extended means to the trade lifecycle. Extended's statuses: NEW, UNTRIGGERED,
/// PARTIALLY_FILLED (still working), FILLED, CANCELLED, EXPIRED, REJECTED (ended). An IOC order that matched part of its
/// size ends CANCELLED with that part filled: what filled is the position, so it counts as a fill of that quantity.
/// </summary>
internal static class ExtendedAcks
{
    /// <summary>The answer about an opening order (market or limit).</summary>
    public static ExchangeAck ForOrder(ExtendedOrder placed, OrderType type, ExchangeExecution? execution) => placed.Status switch
    {
        _ when execution is not null && HasEnded(placed) => Filled(execution),
        "REJECTED" => Rejected(ReasonCode(placed.StatusReason), $"Extended rejected the order ({placed.StatusReason ?? "no reason given"})."),
        "CANCELLED" or "EXPIRED" => Rejected(
            type == OrderType.Market ? "no-liquidity" : "exchange-" + placed.Status.ToLowerInvariant(),
            $"The order ended {placed.Status.ToLowerInvariant()} on Extended without a fill ({placed.StatusReason ?? "no reason given"})."),
        _ => new ExchangeAck(type == OrderType.Limit ? ExchangeAckStatus.Resting : ExchangeAckStatus.Pending),
    };

    /// <summary>The answer about a reduce-only closing order (market, IOC).</summary>
    public static ExchangeAck ForClose(ExtendedOrder placed, ExchangeExecution? execution) => placed.Status switch
    {
        _ when execution is not null && HasEnded(placed) => Filled(execution),
        "REJECTED" => Rejected(ReasonCode(placed.StatusReason), $"Extended rejected the closing order ({placed.StatusReason ?? "no reason given"})."),
        "CANCELLED" or "EXPIRED" => Rejected("no-liquidity",
            $"The closing order ended {placed.Status.ToLowerInvariant()} on Extended without a fill ({placed.StatusReason ?? "no reason given"})."),
        _ => new ExchangeAck(ExchangeAckStatus.Pending),
    };

    /// <summary>Whether the order will change no more (its fills are final).</summary>
    public static bool HasEnded(ExtendedOrder placed) => placed.Status is "FILLED" or "CANCELLED" or "EXPIRED" or "REJECTED";

    public static bool HasFill(ExtendedOrder placed) => placed.FilledQty is > 0 || (placed.Status == "FILLED" && placed.Qty > 0);

    public static ExchangeAck Rejected(string code, string message) => new(ExchangeAckStatus.Rejected, null, code, message);

    private static ExchangeAck Filled(ExchangeExecution execution) =>
        new(ExchangeAckStatus.Filled, new MarkPrice(execution.Price, execution.At), Execution: execution);

    /// <summary>Extended's status reason as a problem code: NOT_ENOUGH_FUNDS → not-enough-funds.</summary>
    private static string ReasonCode(string? reason) => reason is null or "NONE" or "UNKNOWN"
        ? "exchange-rejected"
        : reason.ToLowerInvariant().Replace('_', '-');
}

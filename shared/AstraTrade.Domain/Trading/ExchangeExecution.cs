namespace AstraTrade.Domain.Trading;

/// <summary>
/// What an external exchange executed for a live account: the average price, the quantity and the fee it charged.
/// A live account records these as they are, where a practice account computes its own fill from the mark.
/// </summary>
public sealed record ExchangeExecution(decimal Price, decimal Quantity, decimal Fee, DateTimeOffset At);

using AstraTrade.Application.Common;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Ports;

/// <summary>
/// The real-money exchange of live accounts (Extended), beyond what the trade lifecycle needs: linking a user's
/// exchange account, reading its balance and marks, and closing a position with a reduce-only order. Credentials are
/// kept by the adapter (Key Vault in Azure) and never leave it.
/// </summary>
public interface ILiveExchange : IExchange
{
    /// <summary>The exchange's name as the API shows it ("extended").</summary>
    string Name { get; }

    /// <summary>Checks the credentials with the exchange (the API key answers, the Stark key and vault are the
    /// account's) and stores them for the user, replacing earlier ones; the account's public details, or why not.</summary>
    ValueTask<Result<ExchangeAccount>> LinkAsync(Guid userId, ExchangeCredentials credentials, CancellationToken cancellationToken);

    /// <summary>Forgets the user's credentials (a no-op when there are none).</summary>
    ValueTask UnlinkAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>The linked account's balance as the exchange reports it now.</summary>
    ValueTask<Result<ExchangeBalance>> GetBalanceAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>The user's open positions on the exchange now, one per market (Extended nets them): how a live position
    /// is shown, with the exchange's mark and liquidation price (which depends on the whole account's margin there).</summary>
    ValueTask<Result<IReadOnlyList<ExchangePosition>>> GetPositionsAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>The exchange's mark price of a market, now; null when it does not list the market.</summary>
    ValueTask<MarkPrice?> GetMarkAsync(string market, CancellationToken cancellationToken);

    /// <summary>Closes a position in full with a reduce-only market order, idempotently by position id: a retry finds
    /// the closing order it placed (and reports where it is now) instead of placing another. Filled (with the
    /// execution, whose quantity may be less than asked when the book was thin), Pending while the exchange has taken
    /// the order without matching it yet (call again to poll), or Rejected with why.</summary>
    ValueTask<ExchangeAck> CloseAsync(ExchangeClose close, CancellationToken cancellationToken);

    /// <summary>How a live position ended on the exchange, if it has: filled by our closing order (<see cref="CloseAsync"/>),
    /// or ended there without one (liquidated, deleveraged, closed in the exchange's own app). Null while it is still
    /// open there, or when the exchange does not say yet (asked again later).</summary>
    ValueTask<ExchangePositionEnd?> FindEndAsync(ExchangePositionQuery position, CancellationToken cancellationToken);
}

/// <summary>A position as the exchange holds it.</summary>
/// <param name="LiquidationPrice">Null when the exchange does not give one (no liquidation risk at this margin).</param>
public sealed record ExchangePosition(string Market, PositionSide Side, decimal Size, decimal MarkPrice, decimal? LiquidationPrice);

/// <summary>A live position, as the reconciler asks the exchange about it.</summary>
public sealed record ExchangePositionQuery(Guid PositionId, string AccountStream, string Market, PositionSide Side, decimal Quantity, DateTimeOffset OpenedAt);

public enum ExchangeEndKind
{
    /// <summary>Our reduce-only closing order filled (the close was recorded there but not yet here).</summary>
    ClosedByOurOrder,

    /// <summary>Closed without an order of ours: in the exchange's own app, or deleveraged.</summary>
    ClosedOnExchange,

    /// <summary>The exchange liquidated it.</summary>
    Liquidated,
}

/// <param name="Exit">The exit as the exchange reports it (price, quantity, fee, time).</param>
public sealed record ExchangePositionEnd(ExchangeEndKind Kind, ExchangeExecution Exit);

/// <summary>A user's exchange credentials, as they hand them over to link their account. Not a record: a record would
/// print the API key.</summary>
public sealed class ExchangeCredentials(string apiKey, StarkPrivateKey starkKey, long vault)
{
    public string ApiKey { get; } = apiKey;

    public StarkPrivateKey StarkKey { get; } = starkKey;

    /// <summary>The account's position (vault) id on the exchange's contract.</summary>
    public long Vault { get; } = vault;

    public override string ToString() => $"ExchangeCredentials(vault {Vault}, keys redacted)";
}

/// <summary>The public details of a linked exchange account.</summary>
public sealed record ExchangeAccount(string Exchange, string AccountId, long Vault, string PublicKey);

public sealed record ExchangeBalance(decimal Balance, decimal Equity, decimal AvailableForTrade, decimal UnrealisedPnl, DateTimeOffset UpdatedAt);

/// <summary>Close a position in full: an order on the opposite side for its quantity, reduce-only.</summary>
/// <param name="Side">The position's side (the closing order takes the other one).</param>
/// <param name="Quantity">The position's quantity, in the market's base asset.</param>
public sealed record ExchangeClose(Guid PositionId, string AccountStream, string Market, PositionSide Side, decimal Quantity);

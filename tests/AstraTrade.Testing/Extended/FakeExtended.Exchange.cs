using AstraTrade.Starknet;

namespace AstraTrade.Testing.Extended;

// The exchange behind the fake's HTTP surface: accounts, netted positions, orders and matching, and the controls tests
// drive it with. Everything here runs under _gate.
public sealed partial class FakeExtended
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeExtendedMarket> _markets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _marks = new(StringComparer.Ordinal);
    private readonly List<FakeExtendedOrder> _orders = [];
    private readonly List<FakeExtendedTrade> _trades = [];
    private long _nextId = 1000;

    /// <summary>The taker fee: an order pays qty × price × this rate (a lower max fee on the order is INVALID_FEE).</summary>
    public decimal FeeRate { get; set; } = 0.0005m;

    /// <summary>An account's leverage in a market it has not set yet.</summary>
    public decimal DefaultLeverage { get; set; } = 1m;

    /// <summary>How far the book sits from the mark, against the taker: a buy matches at mark + this, a sell at mark − this
    /// (a market that runs away between the read and the match).</summary>
    public decimal BookMove { get; set; }

    /// <summary>The most a taker order matches at once (null: all of it); an IOC order's rest ends CANCELLED.</summary>
    public decimal? TakerLiquidity { get; set; }

    /// <summary>When set, market orders are taken but not matched (status NEW) until a test fills or ends them: an
    /// exchange that acknowledges before it matches, which the lifecycle has to poll.</summary>
    public bool HoldMarketOrders { get; set; }

    public IReadOnlyList<FakeExtendedOrder> Orders { get { lock (_gate) { return [.. _orders]; } } }

    public IReadOnlyList<FakeExtendedTrade> Trades { get { lock (_gate) { return [.. _trades]; } } }

    /// <summary>Opens an account; its id. <paramref name="collateral"/> is its starting balance in USD.</summary>
    public long AddAccount(string apiKey, uint vault, Felt starkKey, decimal collateral, string status = "ACTIVE")
    {
        lock (_gate)
        {
            var account = new Account(++_nextId, apiKey, vault, starkKey) { Status = status, Collateral = collateral };
            _accounts[apiKey] = account;
            return account.Id;
        }
    }

    /// <summary>Lists a market at a mark price (BTC-USD is listed from the start).</summary>
    public void AddMarket(FakeExtendedMarket market, decimal mark)
    {
        ArgumentNullException.ThrowIfNull(market);
        lock (_gate)
        {
            _markets[market.Name] = market;
            _marks[market.Name] = mark;
        }
    }

    public void SetMark(string market, decimal mark)
    {
        lock (_gate)
        {
            _marks[market] = mark;
        }
    }

    /// <summary>The account's owner revokes the API key: every request with it is 401 from now on.</summary>
    public void RevokeApiKey(string apiKey)
    {
        lock (_gate)
        {
            _accounts.Remove(apiKey);
        }
    }

    public void SetAccountStatus(string apiKey, string status)
    {
        lock (_gate)
        {
            _accounts[apiKey].Status = status;
        }
    }

    public decimal Leverage(string apiKey, string market)
    {
        lock (_gate)
        {
            return _accounts[apiKey].LeverageIn(market, DefaultLeverage);
        }
    }

    public FakeExtendedBalance Balance(string apiKey)
    {
        lock (_gate)
        {
            return BalanceOf(_accounts[apiKey]);
        }
    }

    /// <summary>The account's netted position in the market, or null when flat.</summary>
    public FakeExtendedPosition? Position(string apiKey, string market)
    {
        lock (_gate)
        {
            return _accounts[apiKey].Positions.GetValueOrDefault(market);
        }
    }

    /// <summary>Fills a working order (resting limit, or a held market order) at a price: all of what is left, or
    /// <paramref name="qty"/> of it (then it stays PARTIALLY_FILLED).</summary>
    public void FillOrder(string externalId, decimal price, decimal? qty = null)
    {
        lock (_gate)
        {
            var order = WorkingOrder(externalId);
            Fill(order, _accounts.Values.Single(a => a.Id == order.AccountId), Math.Min(qty ?? order.Qty - order.FilledQty, order.Qty - order.FilledQty), price);
        }
    }

    /// <summary>Ends a working order as EXPIRED or CANCELLED, keeping what it filled.</summary>
    public void EndOrder(string externalId, string status)
    {
        if (status is not ("EXPIRED" or "CANCELLED"))
        {
            throw new ArgumentException("An order ends EXPIRED or CANCELLED.", nameof(status));
        }

        lock (_gate)
        {
            var order = WorkingOrder(externalId);
            Replace(order with { Status = status, StatusReason = "NONE", UpdatedTime = Now() });
        }
    }

    /// <summary>The exchange closes the account's position at <paramref name="price"/> (a LIQUIDATION fill, no order):
    /// the loss comes off the collateral, which does not go below zero (the insurance fund takes the rest).</summary>
    public void Liquidate(string apiKey, string market, decimal price)
    {
        lock (_gate)
        {
            var account = _accounts[apiKey];
            var position = account.Positions[market];
            account.Collateral = Math.Max(0, account.Collateral + ((price - position.OpenPrice) * position.Size));
            account.Positions.Remove(market);
            _trades.Add(new FakeExtendedTrade(++_nextId, account.Id, 0, market, position.Size > 0 ? "SELL" : "BUY", price, Math.Abs(position.Size), 0, "LIQUIDATION", Now()));
        }
    }

    private long Now() => Time.GetUtcNow().ToUnixTimeMilliseconds();

    private FakeExtendedOrder WorkingOrder(string externalId) =>
        _orders.Single(o => o.ExternalId == externalId && o.IsWorking);

    private void Replace(FakeExtendedOrder order) => _orders[_orders.FindIndex(o => o.Id == order.Id)] = order;

    /// <summary>Takes a verified order: rejects it (REJECTED with a reason), or matches what it can and rests or ends the rest.</summary>
    private FakeExtendedOrder Take(Account account, FakeExtendedMarket market, NewOrder request)
    {
        var now = Now();
        var order = new FakeExtendedOrder(
            ++_nextId, account.Id, request.ExternalId, market.Name, request.Type, request.Buy ? "BUY" : "SELL", "NEW", "NONE", request.Price, null,
            request.Qty, 0, 0, request.ReduceOnly, request.TimeInForce, now, now, request.ExpiryEpochMillis);
        _orders.Add(order);
        var takerPrice = _marks[market.Name] + (request.Buy ? BookMove : -BookMove);
        var crosses = request.Buy ? request.Price >= takerPrice : request.Price <= takerPrice;
        var signed = request.Buy ? request.Qty : -request.Qty;
        var position = account.Positions.GetValueOrDefault(market.Name);
        var reason = request.FeeRate < FeeRate ? "INVALID_FEE"
            : request.Qty < market.MinOrderSize || request.Qty % market.MinOrderSizeChange != 0 ? "INVALID_QTY"
            : request.Price % market.MinPriceChange != 0 ? "INVALID_PRICE"
            : request.ReduceOnly && (position is null || Math.Sign(position.Size) == Math.Sign(signed) || request.Qty > Math.Abs(position.Size)) ? "REDUCE_ONLY_FAILED"
            : !request.ReduceOnly && MarginNeeded(account, market.Name, signed, crosses ? takerPrice : request.Price) > BalanceOf(account).AvailableForTrade ? "NOT_ENOUGH_FUNDS"
            : null;
        if (reason is not null)
        {
            order = order with { Status = "REJECTED", StatusReason = reason };
            Replace(order);
            return order;
        }

        var isMarket = request.Type == "MARKET";
        if (crosses && !(isMarket && HoldMarketOrders))
        {
            order = Fill(order, account, Math.Min(request.Qty, TakerLiquidity ?? request.Qty), takerPrice);
        }

        if (order.IsWorking && request.TimeInForce == "IOC" && !(isMarket && HoldMarketOrders))
        {
            order = order with { Status = "CANCELLED", StatusReason = order.FilledQty > 0 ? "NONE" : "NO_LIQUIDITY", UpdatedTime = Now() };
            Replace(order);
        }

        return order;
    }

    /// <summary>The margin an order adds: the part that grows the position, at the account's leverage, plus its fee.</summary>
    private decimal MarginNeeded(Account account, string market, decimal signedQty, decimal price)
    {
        var size = account.Positions.GetValueOrDefault(market)?.Size ?? 0;
        var growth = Math.Max(0, Math.Abs(size + signedQty) - Math.Abs(size));
        return (growth * price / account.LeverageIn(market, DefaultLeverage)) + (Math.Abs(signedQty) * price * FeeRate);
    }

    /// <summary>Executes part of an order: the fee and any realised PnL move the collateral; the position nets.</summary>
    private FakeExtendedOrder Fill(FakeExtendedOrder order, Account account, decimal qty, decimal price)
    {
        var fee = qty * price * FeeRate;
        var signed = order.Side == "BUY" ? qty : -qty;
        var now = Now();
        var old = account.Positions.GetValueOrDefault(order.Market);
        var size = old?.Size ?? 0;
        var realised = 0m;
        var openPrice = price;
        if (size != 0 && Math.Sign(size) != Math.Sign(signed))
        {
            var closing = Math.Min(qty, Math.Abs(size));
            realised = closing * (price - old!.OpenPrice) * Math.Sign(size);
            openPrice = Math.Abs(signed) > Math.Abs(size) ? price : old.OpenPrice; // flipped: the rest opened at this price
        }
        else if (size != 0)
        {
            openPrice = ((Math.Abs(size) * old!.OpenPrice) + (qty * price)) / (Math.Abs(size) + qty);
        }

        account.Collateral += realised - fee;
        if (size + signed == 0)
        {
            account.Positions.Remove(order.Market);
        }
        else
        {
            account.Positions[order.Market] = new FakeExtendedPosition(
                order.Market, size + signed, openPrice, (old?.RealisedPnl ?? 0) + realised - fee, account.LeverageIn(order.Market, DefaultLeverage),
                old?.CreatedTime ?? now, now);
        }

        var filled = order.FilledQty + qty;
        var average = (((order.AveragePrice ?? 0) * order.FilledQty) + (price * qty)) / filled;
        _trades.Add(new FakeExtendedTrade(++_nextId, account.Id, order.Id, order.Market, order.Side, price, qty, fee, "TRADE", now));
        var updated = order with
        {
            Status = filled >= order.Qty ? "FILLED" : "PARTIALLY_FILLED",
            FilledQty = filled,
            AveragePrice = average,
            PayedFee = order.PayedFee + fee,
            UpdatedTime = now,
        };
        Replace(updated);
        return updated;
    }

    /// <summary>
    /// The balance model (simpler than Extended's, stated so tests know what to expect): balance is the collateral
    /// (deposits, minus fees, plus realised PnL); unrealised PnL is (mark − open price) × signed size over positions;
    /// equity = balance + unrealised; initial margin = |size| × mark / leverage; available for trade = equity − initial
    /// margin (resting orders reserve nothing); available for withdrawal = max(0, min(balance, available for trade));
    /// margin ratio = initial margin / equity (Extended's uses maintenance margin).
    /// </summary>
    private FakeExtendedBalance BalanceOf(Account account)
    {
        var unrealised = account.Positions.Values.Sum(p => (_marks[p.Market] - p.OpenPrice) * p.Size);
        var initialMargin = account.Positions.Values.Sum(p => Math.Abs(p.Size) * _marks[p.Market] / p.Leverage);
        var equity = account.Collateral + unrealised;
        var available = equity - initialMargin;
        return new FakeExtendedBalance(
            account.Collateral, equity, available, Math.Max(0, Math.Min(account.Collateral, available)), unrealised, initialMargin,
            equity > 0 ? initialMargin / equity : 0);
    }

    private sealed record NewOrder(string ExternalId, string Type, bool Buy, decimal Qty, decimal Price, string TimeInForce, long ExpiryEpochMillis, decimal FeeRate, bool ReduceOnly);

    private sealed class Account(long id, string apiKey, uint vault, Felt starkKey)
    {
        public long Id { get; } = id;

        public string ApiKey { get; } = apiKey;

        public uint Vault { get; } = vault;

        public Felt StarkKey { get; } = starkKey;

        public string Status { get; set; } = "ACTIVE";

        public decimal Collateral { get; set; }

        public Dictionary<string, decimal> Leverages { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, FakeExtendedPosition> Positions { get; } = new(StringComparer.Ordinal);

        public decimal LeverageIn(string market, decimal fallback) => Leverages.GetValueOrDefault(market, fallback);
    }
}

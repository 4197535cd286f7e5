using System.Buffers.Text;
using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>Open positions with live figures, closing, and the cursor-paged histories of closed positions and fills.</summary>
public sealed class PositionsAndTradesTests(ManualClockFixture fixture) : AppTests<ManualClockFixture>(fixture)
{
    public static TheoryData<string> InvalidCursors => new()
    {
        "not a cursor!",
        "%%%",
        Cursor("v"),
        Cursor("v0"),
        Cursor("v-1"),
        Cursor("x5"),
        Cursor("v12a"),
        Cursor("v99999999999999999999999"),
    };

    private ManualTimeProvider Clock => App.Clock!;

    private ScriptedMarketData Market => App.Scripted;

    [Fact]
    public async Task Open_positions_are_listed_newest_first_with_the_current_mark_unrealized_pnl_and_liquidation_price()
    {
        var user = await App.RegisterAsync("open");
        var btc = await user.OpenAsync(Btc, "long", 10, 100m);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var eth = await user.OpenAsync(Eth, "short", 5, 40m);
        Market.Publish(Btc, 52_000m);
        Market.Publish(Eth, 2_400m);

        var open = await user.OpenPositionsAsync();

        Assert.Equal([eth.Position!.Id, btc.Position!.Id], open.Select(p => p.Id));
        AssertOpen(open[0], eth.Position, "short", 2_400m, 200m / 2_499.75m, 2_499.75m, 5, 0.005m);
        AssertOpen(open[1], btc.Position, "long", 52_000m, 1_000m / 50_005m, 50_005m, 10, 0.005m);
    }

    [Fact]
    public async Task Closing_a_winning_long_books_the_exit_at_mark_minus_half_the_spread_pays_out_and_records_the_fill()
    {
        var user = await App.RegisterAsync("win");
        var placed = await user.OpenAsync(Btc, "long", 10, 100m);
        Clock.Advance(TimeSpan.FromSeconds(3));
        Market.Publish(Btc, 51_000m);

        var closed = await user.ClosePositionAsync(placed.Position!.Id);

        var quantity = 1_000m / 50_005m;
        var exit = 51_000m * 0.9999m;
        var (pnl, fee, payout) = Expected.Close("long", 100m, quantity, 50_005m, 51_000m);
        Assert.True(pnl > 0);
        Assert.Equal(("closed", "user", 51_000m, Expected.Price(exit)), (closed.Status, closed.CloseReason, closed.MarkPrice, closed.ExitPrice));
        Assert.Equal((pnl, fee, payout), (closed.RealizedPnl, closed.CloseFee, closed.Payout));
        Assert.Equal(Clock.GetUtcNow(), closed.ClosedAt);
        Assert.Null(closed.UnrealizedPnl);
        Assert.Equal(placed.Position!.EntryPrice, closed.EntryPrice);

        Assert.Empty(await user.OpenPositionsAsync());
        Assert.Equal(closed, Assert.Single((await user.ClosedPositionsAsync()).Items));
        var account = await user.AccountAsync();
        Assert.Equal(10_000m - 100.5m + payout, account.Balance);
        Assert.Equal(account.Balance, account.Equity);
        Assert.Equal(0m, account.MarginInUse);

        var fill = (await user.TradesAsync()).Items[0];
        Assert.Equal(
            new TradeResponse(placed.Position!.Id, "close", Btc, "sell", Expected.Price(exit), Expected.Price(quantity), Expected.Money(quantity * exit), fee, pnl, Clock.GetUtcNow()),
            fill);
    }

    [Fact]
    public async Task Closing_a_losing_short_buys_back_at_mark_plus_half_the_spread_and_pays_back_what_is_left()
    {
        var user = await App.RegisterAsync("lose");
        var placed = await user.OpenAsync(Eth, "short", 5, 40m);
        Market.Publish(Eth, 2_600m);

        var closed = await user.ClosePositionAsync(placed.Position!.Id);

        var (pnl, fee, payout) = Expected.Close("short", 40m, 200m / 2_499.75m, 2_499.75m, 2_600m);
        Assert.True(pnl < 0);
        Assert.Equal(Expected.Price(2_600m * 1.0001m), closed.ExitPrice);
        Assert.Equal((pnl, fee, payout), (closed.RealizedPnl, closed.CloseFee, closed.Payout));
        Assert.Equal(10_000m - 40.1m + payout, (await user.AccountAsync()).Balance);
        Assert.Equal("buy", (await user.TradesAsync()).Items[0].Direction);
    }

    [Fact]
    public async Task Closing_a_position_twice_is_409_position_already_closed_and_pays_nothing_more()
    {
        var user = await App.RegisterAsync("twice");
        var placed = await user.OpenAsync(Sol, "long", 3, 30m);
        await user.ClosePositionAsync(placed.Position!.Id);
        var before = await user.SnapshotAsync();

        var problem = await Api.ProblemAsync(await user.CloseAsync(placed.Position!.Id), HttpStatusCode.Conflict, "position-already-closed");

        Assert.Contains(placed.Position!.Id.ToString(), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await user.SnapshotAsync());
    }

    [Fact]
    public async Task Closing_an_unknown_position_is_404_position_not_found_and_a_malformed_id_is_404_not_found()
    {
        var user = await App.RegisterAsync("unknown");
        await user.OpenAsync(Sol, "long", 3, 30m);
        var before = await user.SnapshotAsync();

        await Api.ProblemAsync(await user.CloseAsync(Guid.NewGuid()), HttpStatusCode.NotFound, "position-not-found");
        await Api.ProblemAsync(await user.Http.PostAsync("/api/v1/positions/not-a-guid/close", null), HttpStatusCode.NotFound, "not-found");

        Assert.Equal(before, await user.SnapshotAsync());
    }

    [Fact]
    public async Task A_position_cannot_be_closed_on_a_stale_mark_and_stays_open()
    {
        var user = await App.RegisterAsync("stale-close");
        var placed = await user.OpenAsync(Strk, "short", 10, 5m);
        Clock.Advance(TimeSpan.FromSeconds(6));
        var before = await user.SnapshotAsync();

        await Api.ProblemAsync(await user.CloseAsync(placed.Position!.Id), HttpStatusCode.ServiceUnavailable, "stale-price");

        Assert.Equal(before, await user.SnapshotAsync());
        Market.Publish(Strk, 0.5m);
        Assert.Equal("closed", (await user.ClosePositionAsync(placed.Position!.Id)).Status);
    }

    [Fact]
    public async Task The_ledger_balances_balance_equals_start_plus_payouts_minus_collateral_and_opening_fees()
    {
        var user = await App.RegisterAsync("ledger");
        var ids = new List<Guid>();
        foreach (var (market, side, leverage, collateral, price) in new[]
                 {
                     (Btc, "long", 7, 123.456789m, 50_321m), (Eth, "short", 3, 77.7m, 2_511.5m), (Sol, "long", 9, 12.34m, 99.87m),
                     (Strk, "short", 10, 3.3m, 0.51234m), (Btc, "short", 2, 500m, 49_876.5m),
                 })
        {
            Market.Publish(market, price);
            ids.Add((await user.OpenAsync(market, side, leverage, collateral)).Position!.Id);
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Market.Publish(Btc, 50_100m);
        Market.Publish(Eth, 2_499.99m);
        Market.Publish(Sol, 101.01m);
        foreach (var id in ids.Take(4))
        {
            await user.ClosePositionAsync(id);
        }

        var open = await user.OpenPositionsAsync();
        var closed = (await user.ClosedPositionsAsync()).Items;
        var paid = open.Concat(closed).Sum(p => p.Collateral + p.OpenFee);
        var returned = closed.Sum(p => p.Payout!.Value);
        Assert.Equal(10_000m + returned - paid, (await user.AccountAsync()).Balance);
    }

    [Fact]
    public async Task Trades_page_through_every_fill_newest_first_with_no_duplicates_or_gaps()
    {
        var user = await App.RegisterAsync("pages");
        var expected = new List<(Guid, string)>();
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            Market.Refresh();
            var id = (await user.OpenAsync(i % 2 == 0 ? Btc : Eth, i % 3 == 0 ? "short" : "long", 2, 10m + i)).Position!.Id;
            ids.Add(id);
            expected.Add((id, "open"));
        }

        foreach (var id in new[] { ids[4], ids[0], ids[5], ids[2] })
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            Market.Refresh();
            await user.ClosePositionAsync(id);
            expected.Add((id, "close"));
        }

        expected.Reverse();
        foreach (var limit in new[] { 1, 3, 5, 10, 200 })
        {
            var all = new List<TradeResponse>();
            string? cursor = null;
            var pages = 0;
            do
            {
                var page = await user.TradesAsync(cursor, limit);
                Assert.True(page.Items.Count == limit || page.NextCursor is null, "only the last page may be short");
                all.AddRange(page.Items);
                cursor = page.NextCursor;
                Assert.True(++pages <= 11, "paging does not end");
            }
            while (cursor is not null);

            Assert.Equal(expected, all.Select(t => (t.PositionId, t.Kind)));
            Assert.Equal(all.OrderByDescending(t => t.At).Select(t => t.At), all.Select(t => t.At));
        }
    }

    [Fact]
    public async Task Closed_positions_page_newest_first_and_the_default_page_holds_50()
    {
        var user = await App.RegisterAsync("closed-pages");
        var closedOrder = new List<Guid>();
        for (var i = 0; i < 55; i++)
        {
            var id = (await user.OpenAsync(Sol, "long", 1, 10m)).Position!.Id;
            Clock.Advance(TimeSpan.FromMilliseconds(10));
            await user.ClosePositionAsync(id);
            closedOrder.Add(id);
        }

        closedOrder.Reverse();
        var first = await user.ClosedPositionsAsync();
        Assert.Equal(closedOrder.Take(50), first.Items.Select(p => p.Id));
        Assert.NotNull(first.NextCursor);

        var second = await user.ClosedPositionsAsync(first.NextCursor, 2);
        Assert.Equal(closedOrder.Skip(50).Take(2), second.Items.Select(p => p.Id));
        var rest = await user.ClosedPositionsAsync(second.NextCursor, 200);
        Assert.Equal(closedOrder.Skip(52), rest.Items.Select(p => p.Id));
        Assert.Null(rest.NextCursor);
        Assert.All(first.Items.Concat(second.Items).Concat(rest.Items), p => Assert.Equal("closed", p.Status));
    }

    [Fact]
    public async Task A_user_without_history_has_empty_pages()
    {
        var user = await App.RegisterAsync("empty");

        Assert.Empty((await user.TradesAsync()).Items);
        Assert.Null((await user.TradesAsync()).NextCursor);
        Assert.Empty((await user.ClosedPositionsAsync()).Items);
        Assert.Null((await user.ClosedPositionsAsync()).NextCursor);
        Assert.Empty(await user.OpenPositionsAsync());
    }

    [Theory]
    [InlineData("/api/v1/trades?limit=0")]
    [InlineData("/api/v1/trades?limit=201")]
    [InlineData("/api/v1/trades?limit=-1")]
    [InlineData("/api/v1/positions?status=closed&limit=0")]
    [InlineData("/api/v1/positions?status=closed&limit=201")]
    public async Task A_page_size_outside_1_to_200_is_400_validation_failed(string path)
    {
        var user = await App.RegisterAsync("limit");

        var problem = await Api.ProblemAsync(await user.Http.GetAsync(path), HttpStatusCode.BadRequest, "validation-failed");

        Assert.Equal(["limit"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("/api/v1/trades?limit=ten")]
    [InlineData("/api/v1/positions?status=closed&limit=2.5")]
    public async Task A_page_size_that_is_not_a_whole_number_is_400_malformed_request(string path)
    {
        var user = await App.RegisterAsync("limit-type");

        await Api.ProblemAsync(await user.Http.GetAsync(path), HttpStatusCode.BadRequest, "malformed-request");
    }

    [Theory]
    [MemberData(nameof(InvalidCursors))]
    public async Task A_cursor_the_API_did_not_issue_is_400_invalid_cursor(string cursor)
    {
        var user = await App.RegisterAsync("cursor");
        await user.OpenAsync(Btc, "long", 2, 10m);

        await Api.ProblemAsync(
            await user.Http.GetAsync("/api/v1/trades?cursor=" + Uri.EscapeDataString(cursor)), HttpStatusCode.BadRequest, "invalid-cursor");
        await Api.ProblemAsync(
            await user.Http.GetAsync("/api/v1/positions?status=closed&cursor=" + Uri.EscapeDataString(cursor)), HttpStatusCode.BadRequest, "invalid-cursor");
    }

    [Theory]
    [InlineData("all")]
    [InlineData("OPEN")]
    [InlineData("liquidated")]
    public async Task An_unknown_status_filter_is_400_validation_failed(string status)
    {
        var user = await App.RegisterAsync("status");

        var problem = await Api.ProblemAsync(await user.Http.GetAsync($"/api/v1/positions?status={status}"), HttpStatusCode.BadRequest, "validation-failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
    }

    private static void AssertOpen(
        PositionResponse actual, PositionResponse opened, string side, decimal mark, decimal quantity, decimal entry, int leverage, decimal mmr)
    {
        Assert.Equal(("open", side, leverage), (actual.Status, actual.Side, actual.Leverage));
        Assert.Equal((opened.Collateral, opened.Notional, entry, opened.OpenFee, opened.OpenedAt), (actual.Collateral, actual.Notional, actual.EntryPrice, actual.OpenFee, actual.OpenedAt));
        Assert.Equal(mark, actual.MarkPrice);
        Assert.Equal(Expected.Money(Expected.Pnl(side, quantity, entry, mark)), actual.UnrealizedPnl);
        Assert.True(Math.Abs(Expected.LiquidationPrice(side, entry, leverage, mmr) - actual.LiquidationPrice) < 0.000001m);
        Assert.Equal(Expected.Price(quantity), actual.Quantity);
        Assert.Null(actual.ExitPrice);
        Assert.Null(actual.Payout);
        Assert.Null(actual.CloseReason);
    }

    private static string Cursor(string text) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(text));
}

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>Markets and candles on the real simulated market (default seed and epoch, system clock); public endpoints.</summary>
public sealed class MarketsTests(SimulatedMarketFixture fixture) : AppTests<SimulatedMarketFixture>(fixture)
{
    public static readonly TheoryData<string, int, decimal, int> Table = new()
    {
        // symbol, max leverage, maintenance margin rate, index in the catalog (DOMAIN.md §1)
        { "BTC-USD", 100, 0.005m, 0 },
        { "ETH-USD", 100, 0.005m, 1 },
        { "SOL-USD", 50, 0.01m, 2 },
        { "STRK-USD", 20, 0.025m, 3 },
    };

    public static readonly TheoryData<string, int> Intervals = new()
    {
        { "1m", 1 },
        { "5m", 5 },
        { "15m", 15 },
        { "1h", 60 },
        { "4h", 240 },
        { "1d", 1440 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task The_market_list_shows_every_market_in_catalog_order_with_its_risk_parameters_and_a_live_price(
        string symbol, int maxLeverage, decimal mmr, int index)
    {
        using var client = App.Anonymous();

        var markets = await Api.ReadAsync<List<MarketResponse>>(await client.GetAsync("/api/v1/markets"));

        Assert.Equal(["BTC-USD", "ETH-USD", "SOL-USD", "STRK-USD"], markets.Select(m => m.Symbol));
        var market = markets[index];
        Assert.Equal(symbol, market.Symbol);
        Assert.Equal(maxLeverage, market.MaxLeverage);
        Assert.Equal(mmr, market.MaintenanceMarginRate);
        Assert.Equal(0.0005m, market.TakerFeeRate);
        Assert.Equal(10m, market.MinNotional);
        Assert.False(market.Halted);
        AssertLivePrice(market);
    }

    [Theory]
    [InlineData("BTC-USD")]
    [InlineData("btc-usd")]
    [InlineData("Sol-Usd")]
    public async Task One_market_is_found_by_its_symbol_ignoring_case_and_reported_in_canonical_form(string symbol)
    {
        using var client = App.Anonymous();

        var market = await Api.ReadAsync<MarketResponse>(await client.GetAsync($"/api/v1/markets/{symbol}"));

        Assert.Equal(symbol.ToUpperInvariant(), market.Symbol);
        AssertLivePrice(market);
    }

    [Theory]
    [InlineData("/api/v1/markets/DOGE-USD")]
    [InlineData("/api/v1/markets/BTCUSD")]
    [InlineData("/api/v1/markets/DOGE-USD/candles")]
    [InlineData("/api/v1/markets/DOGE-USD/candles?interval=nope&limit=0")]
    public async Task An_unknown_market_is_404_unknown_market(string path)
    {
        using var client = App.Anonymous();

        var problem = await Api.ProblemAsync(await client.GetAsync(path), HttpStatusCode.NotFound, "unknown-market");

        Assert.Contains(path.Split('/')[4].Split('?')[0], problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Candles_default_to_the_last_100_one_minute_candles_oldest_first_ending_with_the_forming_one()
    {
        using var client = App.Anonymous();
        var before = DateTimeOffset.UtcNow;

        var response = await Api.ReadAsync<CandlesResponse>(await client.GetAsync("/api/v1/markets/BTC-USD/candles"));

        var after = DateTimeOffset.UtcNow;
        Assert.Equal("BTC-USD", response.Symbol);
        Assert.Equal("1m", response.Interval);
        Assert.Equal(100, response.Candles.Count);
        AssertSeries(response.Candles, TimeSpan.FromMinutes(1));
        var forming = response.Candles[^1];
        Assert.InRange(forming.OpenTime, Floor(before, TimeSpan.FromMinutes(1)), Floor(after, TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [MemberData(nameof(Intervals))]
    public async Task Candles_of_every_interval_are_aligned_contiguous_and_consistent(string interval, int minutes)
    {
        using var client = App.Anonymous();

        var response = await Api.ReadAsync<CandlesResponse>(await client.GetAsync($"/api/v1/markets/eth-usd/candles?interval={interval}&limit=10"));

        Assert.Equal("ETH-USD", response.Symbol);
        Assert.Equal(interval, response.Interval);
        Assert.Equal(10, response.Candles.Count);
        AssertSeries(response.Candles, TimeSpan.FromMinutes(minutes));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public async Task The_limit_chooses_how_many_candles_from_1_to_1000(int limit)
    {
        using var client = App.Anonymous();

        var response = await Api.ReadAsync<CandlesResponse>(await client.GetAsync($"/api/v1/markets/SOL-USD/candles?limit={limit}"));

        Assert.Equal(limit, response.Candles.Count);
        AssertSeries(response.Candles, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task The_forming_candle_closes_near_the_mark_price()
    {
        using var client = App.Anonymous();

        var market = await Api.ReadAsync<MarketResponse>(await client.GetAsync("/api/v1/markets/STRK-USD"));
        var candles = await Api.ReadAsync<CandlesResponse>(await client.GetAsync("/api/v1/markets/STRK-USD/candles?limit=2"));

        var close = candles.Candles[^1].Close;
        Assert.InRange(Math.Abs(close - market.MarkPrice) / market.MarkPrice, 0m, 0.01m);
        Assert.InRange(market.MarkPrice, market.Low24h, market.High24h);
    }

    [Theory]
    [InlineData("interval=2m", "interval")]
    [InlineData("interval=1M", "interval")]
    [InlineData("interval=", "interval")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("interval=1w&limit=5000", "interval,limit")]
    public async Task An_invalid_interval_or_limit_is_400_validation_failed_naming_each_bad_parameter(string query, string fields)
    {
        using var client = App.Anonymous();

        var problem = await Api.ProblemAsync(
            await client.GetAsync($"/api/v1/markets/BTC-USD/candles?{query}"), HttpStatusCode.BadRequest, "validation-failed");

        Assert.Equal(fields.Split(','), problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
    }

    [Theory]
    [InlineData("limit=abc")]
    [InlineData("limit=1.5")]
    [InlineData("limit=99999999999")]
    public async Task A_limit_that_is_not_a_whole_number_is_400_malformed_request(string query)
    {
        using var client = App.Anonymous();

        await Api.ProblemAsync(await client.GetAsync($"/api/v1/markets/BTC-USD/candles?{query}"), HttpStatusCode.BadRequest, "malformed-request");
    }

    private static void AssertLivePrice(MarketResponse market)
    {
        Assert.True(market.MarkPrice > 0);
        Assert.InRange(DateTimeOffset.UtcNow - market.PriceTime, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(5));
        Assert.InRange(market.MarkPrice, market.Low24h, market.High24h);
        Assert.True(market.Low24h > 0);
        Assert.InRange(market.FundingRate, -0.001m, 0.001m);

        // change = last − open and ratio = change / open; the mark is the last price to within one tick.
        var open = market.MarkPrice - market.Change24h;
        Assert.True(open > 0);
        Assert.Equal(Math.Sign(market.Change24h), Math.Sign(market.ChangeRatio24h));
        Assert.InRange(Math.Abs(market.ChangeRatio24h - (market.Change24h / open)), 0m, 0.0001m);
    }

    private static void AssertSeries(IReadOnlyList<CandleResponse> candles, TimeSpan interval)
    {
        for (var i = 0; i < candles.Count; i++)
        {
            var c = candles[i];
            Assert.True(c.Low > 0, $"candle {i} has a non-positive low");
            Assert.True(c.Low <= Math.Min(c.Open, c.Close) && Math.Max(c.Open, c.Close) <= c.High, $"candle {i} is not a valid OHLC: {c}");
            Assert.Equal(TimeSpan.Zero, TimeSpan.FromTicks((c.OpenTime - DateTimeOffset.UnixEpoch).Ticks % interval.Ticks));
            if (i > 0)
            {
                Assert.Equal(candles[i - 1].OpenTime + interval, c.OpenTime);
                Assert.Equal(candles[i - 1].Close, c.Open); // a candle covers its end second: a close is the next open
            }
        }
    }

    private static DateTimeOffset Floor(DateTimeOffset time, TimeSpan interval) =>
        new(time.UtcTicks - (time.UtcTicks % interval.Ticks), TimeSpan.Zero);
}

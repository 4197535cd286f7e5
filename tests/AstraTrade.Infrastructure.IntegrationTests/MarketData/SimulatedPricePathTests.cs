using AstraTrade.Infrastructure.MarketData.Simulated;

namespace AstraTrade.Infrastructure.IntegrationTests.MarketData;

public sealed class SimulatedPricePathTests
{
    private static readonly string[] Symbols = ["BTC-USD", "ETH-USD", "SOL-USD", "STRK-USD"];

    private static IEnumerable<DateTimeOffset> SampleTimes() =>
        Enumerable.Range(0, 200).Select(i => TestMarket.Epoch.AddSeconds(i * 7_919.0));

    [Fact]
    public void The_same_seed_gives_the_same_prices()
    {
        var (a, _) = TestMarket.Create();
        var (b, _) = TestMarket.Create();

        foreach (var symbol in Symbols)
        {
            Assert.Equal(SampleTimes().Select(t => a.GetPrice(symbol, t)), SampleTimes().Select(t => b.GetPrice(symbol, t)));
        }
    }

    [Fact]
    public void A_restarted_instance_continues_the_same_path_whatever_it_computed_before()
    {
        var (running, _) = TestMarket.Create();
        var late = SampleTimes().Reverse().Select(t => running.GetPrice("ETH-USD", t)).Reverse().ToList(); // walked backwards
        var (restarted, _) = TestMarket.Create(TestMarket.Now.AddDays(3));

        Assert.Equal(late, SampleTimes().Select(t => restarted.GetPrice("ETH-USD", t)));
    }

    [Fact]
    public void Different_seeds_give_different_paths()
    {
        var (a, _) = TestMarket.Create(options: TestMarket.Options(seed: 1));
        var (b, _) = TestMarket.Create(options: TestMarket.Options(seed: 2));

        foreach (var symbol in Symbols)
        {
            var differing = SampleTimes().Skip(1).Count(t => a.GetPrice(symbol, t) != b.GetPrice(symbol, t));
            Assert.True(differing > 190, $"{symbol}: only {differing} of 199 prices differ");
        }
    }

    [Fact]
    public void A_market_path_depends_on_its_symbol_not_on_the_other_markets()
    {
        var (all, _) = TestMarket.Create();
        var solOnly = TestMarket.Options();
        solOnly.Markets = [.. solOnly.Markets.Where(m => m.Symbol == "SOL-USD")];
        var (alone, _) = TestMarket.Create(options: solOnly);

        Assert.Equal(SampleTimes().Select(t => all.GetPrice("SOL-USD", t)), SampleTimes().Select(t => alone.GetPrice("SOL-USD", t)));
    }

    [Fact]
    public void The_path_starts_at_the_initial_price_and_holds_it_before_the_epoch()
    {
        var (market, _) = TestMarket.Create();

        Assert.Equal(95_000m, market.GetPrice("BTC-USD", TestMarket.Epoch));
        Assert.Equal(0.45m, market.GetPrice("STRK-USD", TestMarket.Epoch.AddDays(-3)));
    }

    [Fact]
    public void Prices_are_whole_multiples_of_the_tick_size()
    {
        var (market, _) = TestMarket.Create();
        var ticks = TestMarket.Options().Markets.ToDictionary(m => m.Symbol, m => m.TickSize);

        foreach (var symbol in Symbols)
        {
            Assert.All(SampleTimes(), t => Assert.Equal(0m, market.GetPrice(symbol, t) % ticks[symbol]));
        }
    }

    [Fact]
    public void A_price_holds_for_its_whole_second()
    {
        var (market, _) = TestMarket.Create();
        var second = TestMarket.Now.AddSeconds(17);

        Assert.Equal(market.GetPrice("BTC-USD", second), market.GetPrice("BTC-USD", second.AddMilliseconds(999)));
    }

    [Fact]
    public void Mean_reversion_keeps_two_years_of_prices_within_sane_bounds()
    {
        var (market, _) = TestMarket.Create();
        foreach (var definition in TestMarket.Options().Markets)
        {
            var daily = Enumerable.Range(0, 730).Select(d => market.GetPrice(definition.Symbol, TestMarket.Epoch.AddDays(d))).ToList();

            // The stationary spread of ln(price) is σ/√(2θ): 0.13 for BTC, 0.27 for STRK; without reversion STRK
            // would wander with a spread of 1.1 per year. 4× either way is over 5 stationary sigmas for STRK.
            Assert.InRange(daily.Min(), definition.InitialPrice / 4, definition.InitialPrice);
            Assert.InRange(daily.Max(), definition.InitialPrice, definition.InitialPrice * 4);
        }
    }

    [Fact]
    public void Funding_stays_within_the_cap_and_is_fixed_for_each_hour()
    {
        var (market, _) = TestMarket.Create();
        foreach (var symbol in Symbols)
        {
            var hourly = Enumerable.Range(0, 24 * 365)
                .Select(h => TestMarket.Epoch.AddHours(h))
                .Select(t => (Start: market.GetFundingRate(symbol, t), End: market.GetFundingRate(symbol, t.AddMinutes(59).AddSeconds(59))))
                .ToList();

            Assert.All(hourly, r => Assert.InRange(r.Start, -0.001m, 0.001m));
            Assert.All(hourly, r => Assert.Equal(r.Start, r.End));
            Assert.True(hourly.Select(r => r.Start).Distinct().Count() > 1000, $"{symbol}: funding barely varies");
        }
    }

    [Fact]
    public void Funding_follows_the_eight_hour_move()
    {
        var options = TestMarket.Options();
        var (market, _) = TestMarket.Create(options: options);
        foreach (var symbol in Symbols)
        {
            foreach (var hour in Enumerable.Range(8, 200).Select(h => TestMarket.Epoch.AddHours(h)))
            {
                var move = Math.Log((double)market.GetPrice(symbol, hour) / (double)market.GetPrice(symbol, hour.AddHours(-8)));
                var expected = (double)options.FundingBaseRate + ((double)options.FundingMomentumFactor * move);

                // Prices are rounded to the tick and rates to 8 decimals, hence the tolerance.
                Assert.Equal(expected, (double)market.GetFundingRate(symbol, hour), tolerance: 2e-7);
            }
        }
    }

    [Fact]
    public void A_strong_rally_is_capped_at_a_tenth_of_a_percent_an_hour()
    {
        var options = TestMarket.Options();
        options.FundingMomentumFactor = 1m; // makes ordinary eight-hour moves exceed the cap
        var (market, _) = TestMarket.Create(options: options);

        var rates = Enumerable.Range(8, 500).Select(h => market.GetFundingRate("STRK-USD", TestMarket.Epoch.AddHours(h))).ToList();

        Assert.Contains(0.001m, rates);
        Assert.Contains(-0.001m, rates);
        Assert.All(rates, r => Assert.InRange(r, -0.001m, 0.001m));
    }
}

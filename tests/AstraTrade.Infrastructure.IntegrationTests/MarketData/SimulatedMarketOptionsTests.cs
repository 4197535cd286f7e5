using AstraTrade.Infrastructure.MarketData.Simulated;
using AstraTrade.Testing;

namespace AstraTrade.Infrastructure.IntegrationTests.MarketData;

public sealed class SimulatedMarketOptionsTests
{
    public static TheoryData<string, Action<SimulatedMarketOptions>> InvalidSettings => new()
    {
        { "Epoch", o => o.Epoch = new DateTimeOffset(2026, 1, 1, 6, 0, 0, TimeSpan.Zero) },
        { "Epoch", o => o.Epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(1)) },
        { "TickInterval", o => o.TickInterval = TimeSpan.FromMilliseconds(500) },
        { "TickInterval", o => o.TickInterval = TimeSpan.FromSeconds(1.5) },
        { "TickInterval", o => o.TickInterval = TimeSpan.FromMinutes(2) },
        { "HistoryDepth", o => o.HistoryDepth = TimeSpan.FromDays(1) },
        { "HistoryDepth", o => o.HistoryDepth = TimeSpan.FromDays(1001) },
        { "HistoryDepth", o => o.HistoryDepth = TimeSpan.FromHours(60) },
        { "MeanReversionHalfLife", o => o.MeanReversionHalfLife = TimeSpan.FromMinutes(10) },
        { "FundingBaseRate", o => o.FundingBaseRate = 0.002m },
        { "FundingMomentumFactor", o => o.FundingMomentumFactor = -0.1m },
        { "Markets", o => o.Markets = [] },
        { "Markets[1] (ETH-USD).TickSize", o => o.Markets[1].TickSize = 0 },
        { "Markets[1] (ETH-USD).TickSize", o => o.Markets[1].TickSize = 100 },
        { "Markets[2] (SOL-USD).InitialPrice", o => o.Markets[2].InitialPrice = -1 },
        { "Markets[3] (STRK-USD).AnnualVolatility", o => o.Markets[3].AnnualVolatility = 0 },
        { "Markets[3] (STRK-USD).AnnualVolatility", o => o.Markets[3].AnnualVolatility = double.NaN },
        { "Markets[0].Symbol", o => o.Markets[0].Symbol = " " },
        { "Markets[2] (BTC-USD) repeats", o => o.Markets[2].Symbol = "BTC-USD" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void An_invalid_setting_is_rejected_with_a_message_naming_it(string setting, Action<SimulatedMarketOptions> breakIt)
    {
        var options = new SimulatedMarketOptions();
        breakIt(options);

        var error = Assert.Throws<ArgumentException>(() => new SimulatedMarket(options, new ManualTimeProvider()));

        Assert.Contains($"SimulatedMarketOptions.{setting}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_the_four_launch_markets_ticking_every_second()
    {
        var options = new SimulatedMarketOptions();
        options.Validate();

        Assert.Equal(TimeSpan.FromSeconds(1), options.TickInterval);
        Assert.Equal(TimeSpan.FromDays(400), options.HistoryDepth);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), options.Epoch);
        Assert.Equal(
            [("BTC-USD", 95_000m, 0.55, 0.1m), ("ETH-USD", 3_400m, 0.70, 0.01m), ("SOL-USD", 180m, 0.90, 0.001m), ("STRK-USD", 0.45m, 1.10, 0.00001m)],
            options.Markets.Select(m => (m.Symbol, m.InitialPrice, m.AnnualVolatility, m.TickSize)));
    }
}

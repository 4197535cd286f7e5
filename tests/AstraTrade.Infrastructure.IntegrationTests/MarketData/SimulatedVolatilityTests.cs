using AstraTrade.Infrastructure.MarketData.Simulated;
using Xunit.Abstractions;

namespace AstraTrade.Infrastructure.IntegrationTests.MarketData;

/// <summary>
/// Realised volatility against the configured one. The seed is fixed, so these are deterministic; the tolerances
/// are several standard errors wide (with n returns the relative standard error of a sample σ is about 1/√(2n):
/// 0.34 % for 30 days of minutes, 0.24 % for a day of seconds) so that another seed would pass too.
/// </summary>
public sealed class SimulatedVolatilityTests(ITestOutputHelper output)
{
    private const double SecondsPerYear = 365.25 * 24 * 3600;

    public static TheoryData<string, double> Markets => new()
    {
        { "BTC-USD", 0.55 },
        { "ETH-USD", 0.70 },
        { "SOL-USD", 0.90 },
        { "STRK-USD", 1.10 },
    };

    [Theory]
    [MemberData(nameof(Markets))]
    public void One_minute_returns_over_thirty_days_have_the_configured_volatility(string symbol, double configured)
    {
        var (market, _) = TestMarket.Create();

        var realised = AnnualisedVolatility(market, symbol, TimeSpan.FromMinutes(1), 30 * 24 * 60);

        output.WriteLine($"{symbol}: configured {configured:P1}, realised {realised:P2} from 1-minute returns over 30 days");
        Assert.InRange(realised / configured, 0.98, 1.02);
    }

    [Theory]
    [MemberData(nameof(Markets))]
    public void One_second_returns_over_a_day_have_the_configured_volatility(string symbol, double configured)
    {
        var (market, _) = TestMarket.Create();

        var realised = AnnualisedVolatility(market, symbol, TimeSpan.FromSeconds(1), 24 * 3600);

        output.WriteLine($"{symbol}: configured {configured:P1}, realised {realised:P2} from 1-second returns over a day");
        Assert.InRange(realised / configured, 0.98, 1.02);
    }

    [Theory]
    [InlineData("BTC-USD", 0.55)]
    [InlineData("ETH-USD", 0.70)]
    public void One_second_returns_are_normally_distributed(string symbol, double configured)
    {
        var (market, _) = TestMarket.Create();
        var sigma = configured / Math.Sqrt(SecondsPerYear);

        var standardised = LogReturns(market, symbol, TimeSpan.FromSeconds(1), 24 * 3600).Select(r => Math.Abs(r) / sigma).ToList();

        // Shares within 1, 2 and 3 sigma of a normal distribution, each to within 3 to 5 standard errors.
        Assert.InRange(standardised.Count(z => z < 1) / (double)standardised.Count, 0.6827 - 0.005, 0.6827 + 0.005);
        Assert.InRange(standardised.Count(z => z < 2) / (double)standardised.Count, 0.9545 - 0.003, 0.9545 + 0.003);
        Assert.InRange(standardised.Count(z => z < 3) / (double)standardised.Count, 0.9973 - 0.001, 0.9973 + 0.001);
    }

    private static double AnnualisedVolatility(SimulatedMarket market, string symbol, TimeSpan step, int count)
    {
        var returns = LogReturns(market, symbol, step, count);
        var mean = returns.Average();
        var variance = returns.Sum(r => (r - mean) * (r - mean)) / (returns.Length - 1);
        return Math.Sqrt(variance * SecondsPerYear / step.TotalSeconds);
    }

    private static double[] LogReturns(SimulatedMarket market, string symbol, TimeSpan step, int count)
    {
        var logs = Enumerable.Range(0, count + 1)
            .Select(i => Math.Log((double)market.GetPrice(symbol, TestMarket.Epoch.AddDays(1) + (step * i))))
            .ToArray();
        return [.. logs.Zip(logs.Skip(1), (a, b) => b - a)];
    }
}

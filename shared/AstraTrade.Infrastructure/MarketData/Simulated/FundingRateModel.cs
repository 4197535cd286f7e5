namespace AstraTrade.Infrastructure.MarketData.Simulated;

/// <summary>
/// Hourly funding of a simulated market, from the path itself; the formula is documented on
/// <see cref="SimulatedMarket.GetFundingRate"/>. Each market's rate is computed once per hour.
/// </summary>
internal sealed class FundingRateModel(PricePath path, decimal baseRate, decimal momentumFactor)
{
    private const int MinutesPerHour = 60;
    private const int LookbackMinutes = 8 * MinutesPerHour;

    private HourRate? _recent;

    /// <summary>The rate in force during the hour that contains minute <paramref name="minute"/> (≥ 0).</summary>
    public decimal RateAt(long minute)
    {
        var hourStart = minute - (minute % MinutesPerHour);
        var recent = Volatile.Read(ref _recent);
        if (recent?.HourStart != hourStart)
        {
            var momentum = path.LogPriceAtMinute(hourStart) - path.LogPriceAtMinute(Math.Max(0, hourStart - LookbackMinutes));
            var rate = Math.Round(baseRate + (momentumFactor * (decimal)momentum), 8, MidpointRounding.ToEven);
            recent = new HourRate(hourStart, Math.Clamp(rate, -SimulatedMarketOptions.FundingRateCap, SimulatedMarketOptions.FundingRateCap));
            Volatile.Write(ref _recent, recent);
        }

        return recent.Rate;
    }

    private sealed record HourRate(long HourStart, decimal Rate);
}

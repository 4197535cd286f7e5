using AstraTrade.Domain.Common;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Domain.UnitTests.Common;

public class MoneyTests
{
    [Theory]
    [InlineData("1.0000001", "1.000001", "1")]
    [InlineData("-1.0000001", "-1", "-1.000001")]
    [InlineData("2.5", "2.5", "2.5")]
    public void Charges_round_up_and_credits_round_down_to_the_micro_dollar(string amount, string charge, string credit)
    {
        var a = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(decimal.Parse(charge, System.Globalization.CultureInfo.InvariantCulture), Money.Charge(a));
        Assert.Equal(decimal.Parse(credit, System.Globalization.CultureInfo.InvariantCulture), Money.Credit(a));
    }

    [Fact]
    public void An_order_fingerprint_ignores_how_the_amount_is_written()
    {
        var market = new MarketSpec("BTC-USD", 100, 0.005m, 0.0005m, 10m);
        var trader = new Trader("u", 10, false);
        PlaceOrder Order(decimal collateral) =>
            new(Guid.NewGuid(), "k", trader, market, PositionSide.Long, 10, collateral, OrderType.Market, null, Protection.None, null, DateTimeOffset.UnixEpoch);

        Assert.Equal(Order(10m).Fingerprint, Order(10.000m).Fingerprint);
        Assert.NotEqual(Order(10m).Fingerprint, Order(10.000001m).Fingerprint);
    }

    [Fact]
    public void Iso_weeks_start_on_monday_utc()
    {
        var sunday = new DateTimeOffset(2026, 11, 8, 23, 59, 59, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), UtcDay.StartOfIsoWeek(sunday));
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 0, 0, 0, TimeSpan.Zero), UtcDay.StartOfIsoWeek(sunday.AddSeconds(1)));
    }
}

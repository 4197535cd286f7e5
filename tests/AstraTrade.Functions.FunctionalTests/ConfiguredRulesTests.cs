using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>An app with rules from configuration (Trading:Rules, Gamification:Rules).</summary>
public sealed class ConfiguredRulesFixture : AppFixture
{
    protected override AppOptions Options => new()
    {
        ScriptedMarket = true,
        Settings = new Dictionary<string, string?>
        {
            ["Trading:Rules:MaxOpenPositions"] = "2",
            ["Gamification:Rules:DailyTradingXpCap"] = "123",
        },
    };
}

/// <summary>Configured rules apply to their app only: binding must never write into the shared default instances
/// (it once did, and every other app in the process then ran with the configured values).</summary>
public sealed class ConfiguredRulesTests(ConfiguredRulesFixture fixture) : AppTests<ConfiguredRulesFixture>(fixture)
{
    [Fact]
    public async Task Configured_rules_apply_to_this_app_and_leave_the_shared_defaults_alone()
    {
        var user = await App.RegisterAsync("configured");
        await user.OpenAsync(Markets.Btc, "long", 2, 10m);
        await user.OpenAsync(Markets.Btc, "long", 2, 10m);

        await Api.ProblemAsync(await user.PlaceOrderAsync(Markets.Btc, "long", 2, 10m), HttpStatusCode.UnprocessableEntity, "too-many-open-positions");
        Assert.Equal(20, TradingRules.Default.MaxOpenPositions);
        Assert.Equal(2_000, GamificationRules.Default.DailyTradingXpCap);
        Assert.Equal(TimeSpan.FromSeconds(60), GamificationRules.Default.MinimumHold);
    }
}

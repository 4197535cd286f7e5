using AstraTrade.Domain.Tournaments;
using AstraTrade.Domain.Trading;
using static AstraTrade.Domain.UnitTests.Tournaments.TournamentScenario;

namespace AstraTrade.Domain.UnitTests.Tournaments;

public class CreateTournamentTests
{
    [Fact]
    public void An_admin_creates_a_custom_tournament_whose_terms_carry_the_rules()
    {
        var scenario = new TournamentScenario();

        var created = Assert.IsType<TournamentCreated>(Assert.Single(scenario.Execute(Create(entryFee: 10, sponsor: 500, maxEntries: 50))));

        Assert.Equal(Id, created.TournamentId);
        Assert.Equal(Admin.Id, created.CreatedBy);
        Assert.Equal(
            new TournamentTerms(
                TournamentKind.Custom,
                "Spring Cup",
                Start,
                End,
                Start.AddHours(-24),
                Start.AddHours(5),
                10,
                500,
                50,
                100_000m,
                3,
                3,
                new PrizeTable(50, 30, 20, 1_000, 500, 250, 10, 150, 100)),
            created.Terms);
        Assert.Equal(TournamentStatus.Scheduled, scenario.State.Status);
        Assert.Equal(500, scenario.State.Pool);
    }

    [Fact]
    public void The_tournament_starting_balance_agrees_with_the_trading_rules()
    {
        Assert.Equal(TradingRules.Default.TournamentStartingBalance, TournamentRules.Default.StartingBalance);
        Assert.Equal(TradingRules.Default.StartingBalanceFor(AccountKind.Tournament), TournamentRules.Default.StartingBalance);
    }

    [Fact]
    public void Terms_are_fixed_at_creation_whatever_the_rules_say_later()
    {
        var scenario = TournamentScenario.Live(3, rules: new TournamentRules { MinClosedTrades = 5 });

        // Decide of later commands does not read the rules it is given.
        var changed = new TournamentRules { MinClosedTrades = 1, FirstPlaceXp = 7 };
        var decision = Tournament.Decide(
            scenario.State,
            new FinalizeTournament([new("user-1", 120_000m, 4), new("user-2", 100_000m, 5), new("user-3", 90_000m, 5)], End),
            changed);

        var prizes = decision.Events.OfType<PrizeAwarded>().ToList();
        Assert.Equal(["user-2", "user-3"], prizes.Select(p => p.UserId));
        Assert.Equal(1_000, prizes[0].Xp);
    }

    [Fact]
    public void Only_an_admin_creates_a_custom_tournament()
    {
        var scenario = new TournamentScenario();

        scenario.Reject(Create() with { CreatedBy = Player }, "not-authorized");
        scenario.Reject(Create() with { CreatedBy = Actor.Scheduler }, "not-authorized");
    }

    [Fact]
    public void The_scheduler_or_an_admin_creates_a_daily_tournament_but_a_user_cannot()
    {
        var window = TournamentSchedule.Daily(new DateOnly(2026, 11, 21));
        var command = TournamentSchedule.CreateCommand(window, TournamentRules.Default, window.StartsAt.AddDays(-2));

        new TournamentScenario().Reject(command with { CreatedBy = Player }, "not-authorized");
        Assert.Single(new TournamentScenario().Execute(command with { CreatedBy = Admin }));
        var created = Assert.IsType<TournamentCreated>(Assert.Single(new TournamentScenario().Execute(command)));
        Assert.Equal("daily-2026-11-21", created.TournamentId);
        Assert.Equal(TournamentKind.Daily, created.Terms.Kind);
    }

    [Fact]
    public void A_daily_tournament_must_be_its_schedule_window_under_its_schedule_id()
    {
        var window = TournamentSchedule.Daily(new DateOnly(2026, 11, 21));
        var command = TournamentSchedule.CreateCommand(window, TournamentRules.Default, window.StartsAt.AddDays(-2));
        var scenario = new TournamentScenario();

        scenario.Reject(command with { StartsAt = window.StartsAt.AddHours(1), EndsAt = window.EndsAt.AddHours(1) }, "invalid-tournament-window");
        scenario.Reject(command with { EndsAt = window.EndsAt.AddHours(-1) }, "invalid-tournament-window");
        scenario.Reject(command with { TournamentId = "daily-2026-11-22" }, "invalid-tournament-id");
    }

    [Fact]
    public void A_weekly_tournament_must_start_on_a_monday_and_last_seven_days()
    {
        var window = TournamentSchedule.Weekly(new DateOnly(2026, 11, 21));
        var command = TournamentSchedule.CreateCommand(window, TournamentRules.Default, window.StartsAt.AddDays(-2));
        var scenario = new TournamentScenario();

        scenario.Reject(command with { StartsAt = window.StartsAt.AddDays(1), EndsAt = window.EndsAt.AddDays(1) }, "invalid-tournament-window");
        scenario.Reject(command with { EndsAt = window.EndsAt.AddDays(-1) }, "invalid-tournament-window");
        scenario.Reject(command with { TournamentId = "weekly-2026-W48" }, "invalid-tournament-id");
        Assert.Single(scenario.Execute(command));
    }

    [Theory]
    [InlineData("spring-cup")]
    [InlineData("custom-")]
    [InlineData("custom-Spring")]
    [InlineData("custom-spring cup")]
    [InlineData("daily-2026-03-10")]
    [InlineData("")]
    public void A_custom_id_is_custom_dash_and_lower_case_letters_digits_or_dashes(string id)
    {
        new TournamentScenario().Reject(Create() with { TournamentId = id }, "invalid-tournament-id");
    }

    [Fact]
    public void A_custom_id_is_at_most_64_characters()
    {
        var id = "custom-" + new string('a', 57);

        new TournamentScenario().Reject(Create() with { TournamentId = id + "a" }, "invalid-tournament-id");
        Assert.Single(new TournamentScenario().Execute(Create() with { TournamentId = id }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_tournament_needs_a_name(string name)
    {
        new TournamentScenario().Reject(Create() with { Name = name }, "invalid-tournament-name");
    }

    [Fact]
    public void The_name_is_trimmed_and_at_most_80_characters()
    {
        new TournamentScenario().Reject(Create() with { Name = new string('n', 81) }, "invalid-tournament-name");
        var created = (TournamentCreated)new TournamentScenario().Execute(Create() with { Name = "  " + new string('n', 80) + " " })[0];
        Assert.Equal(new string('n', 80), created.Terms.Name);
    }

    [Fact]
    public void A_custom_tournament_lasts_from_one_hour_to_31_days()
    {
        new TournamentScenario().Reject(Create() with { EndsAt = Start.AddHours(1).AddTicks(-1) }, "invalid-tournament-window");
        new TournamentScenario().Reject(Create() with { EndsAt = Start }, "invalid-tournament-window");
        new TournamentScenario().Reject(Create() with { EndsAt = Start.AddHours(-2) }, "invalid-tournament-window");
        new TournamentScenario().Reject(Create() with { EndsAt = Start.AddDays(31).AddTicks(1) }, "invalid-tournament-window");
        Assert.Single(new TournamentScenario().Execute(Create() with { EndsAt = Start.AddHours(1) }));
        Assert.Single(new TournamentScenario().Execute(Create() with { EndsAt = Start.AddDays(31) }));
    }

    [Fact]
    public void A_tournament_is_created_before_it_starts()
    {
        new TournamentScenario().Reject(Create() with { Now = Start }, "tournament-start-in-past");
        new TournamentScenario().Reject(Create() with { Now = Start.AddHours(1) }, "tournament-start-in-past");
        Assert.Single(new TournamentScenario().Execute(Create() with { Now = Start.AddTicks(-1) }));
    }

    [Fact]
    public void Entry_fee_and_sponsor_amount_are_whole_shards_within_limits()
    {
        new TournamentScenario().Reject(Create(entryFee: -1), "invalid-entry-fee");
        new TournamentScenario().Reject(Create(entryFee: 1_000_001), "invalid-entry-fee");
        new TournamentScenario().Reject(Create(sponsor: -1), "invalid-sponsor-amount");
        new TournamentScenario().Reject(Create(sponsor: 1_000_000_001), "invalid-sponsor-amount");
        Assert.Single(new TournamentScenario().Execute(Create(entryFee: 1_000_000, sponsor: 1_000_000_000)));
    }

    [Fact]
    public void A_capped_tournament_admits_at_least_the_minimum_players()
    {
        new TournamentScenario().Reject(Create(maxEntries: 2), "invalid-max-entries");
        Assert.Single(new TournamentScenario().Execute(Create(maxEntries: 3)));
    }

    [Fact]
    public void An_unknown_kind_is_rejected()
    {
        new TournamentScenario().Reject(Create() with { Kind = 0 }, "invalid-tournament-kind");
    }

    [Fact]
    public void Broken_rules_create_nothing()
    {
        new TournamentScenario(new TournamentRules { ThirdPrizePercent = 21 }).Reject(Create(), "invalid-tournament-rules");
        new TournamentScenario(new TournamentRules { MinPlayers = 0 }).Reject(Create(), "invalid-tournament-rules");
        new TournamentScenario(new TournamentRules { LateJoinPercent = 101 }).Reject(Create(), "invalid-tournament-rules");
    }

    [Fact]
    public void Creating_the_same_tournament_again_is_a_no_op_even_after_it_started()
    {
        var scenario = Custom(entryFee: 5);

        Assert.Empty(scenario.Execute(Create(entryFee: 5)));
        Assert.Empty(scenario.Execute(Create(entryFee: 5) with { Now = End.AddDays(1), Name = " Spring Cup " }));
    }

    [Fact]
    public void Creating_a_different_tournament_under_an_existing_id_is_rejected()
    {
        var scenario = Custom(entryFee: 5);

        scenario.Reject(Create(entryFee: 6), "tournament-already-exists");
        scenario.Reject(Create(entryFee: 5) with { Name = "Summer Cup" }, "tournament-already-exists");
        scenario.Reject(Create(entryFee: 5) with { EndsAt = End.AddHours(1) }, "tournament-already-exists");
        scenario.Reject(Create(entryFee: 5, maxEntries: 10), "tournament-already-exists");
    }

    [Fact]
    public void Times_are_stored_in_utc()
    {
        var plusTwo = TimeSpan.FromHours(2);
        var created = (TournamentCreated)new TournamentScenario().Execute(
            Create() with { StartsAt = Start.ToOffset(plusTwo), EndsAt = End.ToOffset(plusTwo), Now = Created.ToOffset(plusTwo) })[0];

        Assert.Equal(TimeSpan.Zero, created.Terms.StartsAt.Offset);
        Assert.Equal(TimeSpan.Zero, created.At.Offset);
        Assert.Equal(Start, created.Terms.StartsAt);
    }

    [Fact]
    public void Commands_to_a_tournament_that_does_not_exist_are_rejected()
    {
        var scenario = new TournamentScenario();

        scenario.Reject(new OpenRegistration(Opens), "tournament-not-found");
        scenario.Reject(new JoinTournament("user-1", false, Opens), "tournament-not-found");
        scenario.Reject(new StartTournament(Start), "tournament-not-found");
        scenario.Reject(new EndTournament(End), "tournament-not-found");
        scenario.Reject(new AdvanceTournament(End), "tournament-not-found");
        scenario.Reject(new FinalizeTournament([], End), "tournament-not-found");
        scenario.Reject(new CancelTournament(Admin, "test", Opens), "tournament-not-found");
        Assert.Equal("tournament-not-found", Tournament.CheckTrading(scenario.State, "user-1", Start)?.Code);
    }
}

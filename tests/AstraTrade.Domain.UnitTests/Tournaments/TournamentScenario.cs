using System.Text.Json;
using System.Text.Json.Serialization;
using AstraTrade.Domain.Common;
using AstraTrade.Domain.Tournaments;

namespace AstraTrade.Domain.UnitTests.Tournaments;

/// <summary>
/// One tournament driven command by command, the way the application drives it: decide, then evolve the accepted
/// events. The default tournament is custom, from <see cref="Start"/> for 10 hours, so registration opens at
/// <see cref="Opens"/> and joining closes at <see cref="HalfWay"/>.
/// </summary>
internal sealed class TournamentScenario(TournamentRules? rules = null)
{
    public const string Id = "custom-spring-cup";

    public static readonly DateTimeOffset Start = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset End = Start.AddHours(10);
    public static readonly DateTimeOffset Opens = Start.AddHours(-24);
    public static readonly DateTimeOffset HalfWay = Start.AddHours(5);
    public static readonly DateTimeOffset Created = Opens.AddHours(-1);

    public static readonly Actor Admin = new("admin-1", ActorRole.Admin);
    public static readonly Actor Player = new("user-9", ActorRole.User);

    public TournamentRules Rules { get; } = rules ?? TournamentRules.Default;

    public TournamentState State { get; private set; } = TournamentState.Initial;

    public List<ITournamentEvent> History { get; } = [];

    public static CreateTournament Create(long entryFee = 0, long sponsor = 0, int? maxEntries = null) =>
        new(Id, TournamentKind.Custom, "Spring Cup", Start, End, entryFee, sponsor, maxEntries, Admin, Created);

    /// <summary>A created tournament, nobody joined yet.</summary>
    public static TournamentScenario Custom(long entryFee = 0, long sponsor = 0, int? maxEntries = null, TournamentRules? rules = null)
    {
        var scenario = new TournamentScenario(rules);
        scenario.Execute(Create(entryFee, sponsor, maxEntries));
        return scenario;
    }

    /// <summary>A created tournament with <paramref name="players"/> entries (user-1, user-2, … one minute apart, in registration).</summary>
    public static TournamentScenario WithEntries(int players, long entryFee = 0, long sponsor = 0, TournamentRules? rules = null)
    {
        var scenario = Custom(entryFee, sponsor, rules: rules);
        for (var i = 1; i <= players; i++)
        {
            scenario.Execute(new JoinTournament(User(i), false, Opens.AddMinutes(i)));
        }

        return scenario;
    }

    /// <summary>A live tournament with <paramref name="players"/> entries.</summary>
    public static TournamentScenario Live(int players, long entryFee = 0, long sponsor = 0, TournamentRules? rules = null)
    {
        var scenario = WithEntries(players, entryFee, sponsor, rules);
        scenario.Execute(new StartTournament(Start));
        Assert.Equal(TournamentStatus.Live, scenario.State.Status);
        return scenario;
    }

    public static string User(int i) => $"user-{i}";

    public Decision<ITournamentEvent> Try(TournamentCommand command)
    {
        var decision = Tournament.Decide(State, command, Rules);
        if (!decision.IsRejected)
        {
            History.AddRange(decision.Events);
            State = Tournament.Fold(State, decision.Events);
        }

        return decision;
    }

    public IReadOnlyList<ITournamentEvent> Execute(TournamentCommand command)
    {
        var decision = Try(command);
        Assert.False(decision.IsRejected, decision.Error?.ToString());
        return decision.Events;
    }

    /// <summary>Asserts the command is rejected with <paramref name="code"/> and changes nothing.</summary>
    public DomainError Reject(TournamentCommand command, string code)
    {
        var before = State;
        var decision = Try(command);
        Assert.True(decision.IsRejected, $"expected {code}, got {decision.Events.Count} events");
        Assert.Equal(code, decision.Error!.Code);
        Assert.Same(before, State);
        return decision.Error;
    }

    /// <summary>Finalizes at the end with one result per entry: (equity, closed trades) by user number.</summary>
    public IReadOnlyList<ITournamentEvent> Finalize(params (int User, decimal Equity, int Trades)[] results) =>
        Execute(new FinalizeTournament([.. results.Select(r => new EntryResult(User(r.User), r.Equity, r.Trades))], End));
}

internal static class TournamentJson
{
    /// <summary>The options the application stores events with (EventJsonContext): camelCase, enums by name, nullability respected.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        RespectNullableAnnotations = true,
    };

    /// <summary>Every public member, collections included: record equality compares immutable collections by reference.</summary>
    public static string Of(TournamentState state) => JsonSerializer.Serialize(state, Options);
}

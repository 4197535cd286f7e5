using AstraTrade.Domain.Nft;
using FsCheck;
using FsCheck.Fluent;

namespace AstraTrade.Domain.UnitTests.Nft;

/// <summary>
/// "At most one per user and achievement" (DOMAIN.md §6) under any sequence of commands: random unlocks (repeated,
/// for achievements with and without an NFT), holds, attempts started in and out of order, transactions, mints and
/// failures for the right and the wrong attempt, over a few users, each (user, achievement) its own stream, as stored.
/// </summary>
public class GenesisMintProperties
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly Guid[] Users = [Guid.Parse("11111111-1111-1111-1111-111111111111"), Guid.Parse("22222222-2222-2222-2222-222222222222"), Guid.Empty];
    private static readonly string[] Achievements = ["FIRST_TRADE", "LEVEL_10", "LEVEL_100", "TOURNAMENT_CHAMPION", "TRADER_NOVICE", "WEEK_WARRIOR"];

    [Fact]
    public void At_most_one_request_and_one_mint_per_user_and_achievement() => Check(run => run.Streams.All(stream =>
        stream.Value.Events.OfType<GenesisMintRequested>().Count() <= 1
        && stream.Value.Events.OfType<GenesisMinted>().Count() <= 1));

    [Fact]
    public void Nothing_happens_after_minted_or_failed() => Check(run => run.Streams.Values.All(stream =>
    {
        var end = stream.Events.FindIndex(e => e is GenesisMinted or GenesisMintAttemptFailed { WillRetry: false });
        return end < 0 || end == stream.Events.Count - 1;
    }));

    [Fact]
    public void Attempts_run_one_after_another_up_to_the_limit_and_outcomes_belong_to_the_current_one() => Check(run => run.Streams.Values.All(stream =>
    {
        var current = 0;
        foreach (var e in stream.Events)
        {
            switch (e)
            {
                case GenesisMintAttemptStarted started when started.Attempt != current + 1 || started.Attempt > run.Rules.MaxAttempts:
                    return false;
                case GenesisMintAttemptStarted started:
                    current = started.Attempt;
                    break;
                case GenesisMinted m when m.Attempt != current:
                case GenesisMintAttemptFailed f when f.Attempt != current || f.WillRetry != (f.Attempt < run.Rules.MaxAttempts):
                case GenesisMintTransactionSent t when t.Attempt != current:
                    return false;
            }
        }

        return true;
    }));

    [Fact]
    public void Only_genesis_achievements_get_requests_with_the_one_deterministic_token_id_each() => Check(run =>
    {
        var requested = run.Streams.Where(s => s.Value.State.IsRequested).ToList();
        return requested.All(s => GenesisCollection.Find(s.Key.Achievement) is { } kind && s.Value.State.TokenId == GenesisTokenId.Text(s.Key.User, kind))
            && requested.Select(s => s.Value.State.TokenId).Distinct().Count() == requested.Count;
    });

    [Fact]
    public void Folding_the_stored_events_reproduces_the_state() => Check(run => run.Streams.Values.All(stream =>
        GenesisMint.Fold(GenesisMintState.None, stream.Events) == stream.State));

    [Fact]
    public void The_generated_runs_reach_every_status_so_the_properties_are_not_vacuous()
    {
        var states = RunGen().Sample(50, 200).SelectMany(run => run.Streams.Values.Select(s => s.State.Status)).ToHashSet();

        Assert.Superset(new HashSet<GenesisMintStatus> { GenesisMintStatus.Pending, GenesisMintStatus.Submitted, GenesisMintStatus.Minted, GenesisMintStatus.Failed }, states);
    }

    private static void Check(Func<Run, bool> property) =>
        Prop.ForAll(Arb.From(RunGen()), property).Check(Config.QuickThrowOnFailure.WithMaxTest(300));

    private static Gen<Run> RunGen() =>
        from maxAttempts in Gen.Choose(1, 3)
        from commands in Gen.Sized(size => Gen.Choose(0, 3 * size).SelectMany(n => Gen.ListOf(CommandGen(), n)))
        select Execute(new GenesisMintRules(maxAttempts), commands);

    private static Gen<((Guid User, string Achievement) Stream, Func<DateTimeOffset, GenesisMintCommand> Command)> CommandGen() =>
        from user in Gen.Elements(Users)
        from achievement in Gen.Elements(Achievements)
        from attempt in Gen.Choose(0, 4)
        from pick in Gen.Choose(0, 6)
        select ((user, achievement), (Func<DateTimeOffset, GenesisMintCommand>)(now => pick switch
        {
            0 or 1 => new RequestGenesisMint(user, achievement, now.AddMinutes(-attempt), now),
            2 => new HoldGenesisMint(attempt % 2 == 0 ? GenesisMintReasons.AwaitingWallet : GenesisMintReasons.StarknetNotConfigured, "waiting", now),
            3 => new StartGenesisMintAttempt(attempt, "0xabc", now),
            4 => new RecordGenesisMintTransaction(attempt, $"0x{attempt + 10:x}", now),
            5 => new RecordGenesisMinted(attempt, $"0x{attempt + 10:x}", (ulong)attempt, now),
            _ => new RecordGenesisMintFailure(attempt, "reverted", now),
        }));

    /// <summary>Runs each command against its stream as the repository would: decide on the state, keep the events of
    /// an accepted decision, skip a refused one.</summary>
    private static Run Execute(GenesisMintRules rules, List<((Guid User, string Achievement) Stream, Func<DateTimeOffset, GenesisMintCommand> Command)> commands)
    {
        var streams = new Dictionary<(Guid User, string Achievement), Stream>();
        var now = Start;
        foreach (var (key, command) in commands)
        {
            now = now.AddMinutes(1);
            var stream = streams.TryGetValue(key, out var s) ? s : streams[key] = new Stream();
            var decision = GenesisMint.Decide(stream.State, command(now), rules);
            if (!decision.IsRejected)
            {
                stream.Events.AddRange(decision.Events);
                stream.State = GenesisMint.Fold(stream.State, decision.Events);
            }
        }

        return new Run(rules, streams);
    }

    private sealed record Run(GenesisMintRules Rules, Dictionary<(Guid User, string Achievement), Stream> Streams)
    {
        public override string ToString() => $"max attempts {Rules.MaxAttempts}; " + string.Join("; ", Streams.Select(s =>
            $"{s.Key.User:N}/{s.Key.Achievement}: {string.Join(", ", s.Value.Events.Select(e => e.GetType().Name))}"));
    }

    private sealed class Stream
    {
        public GenesisMintState State { get; set; } = GenesisMintState.None;

        public List<IGenesisMintEvent> Events { get; } = [];
    }
}

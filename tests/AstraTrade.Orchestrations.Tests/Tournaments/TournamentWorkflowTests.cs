using System.Text.Json;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Orchestrations.Runtime;
using AstraTrade.Orchestrations.Tournaments;

namespace AstraTrade.Orchestrations.Tests.Tournaments;

/// <summary>
/// The tournament workflow's state machine, step by step: what it asks of the runtime for each message. Each state
/// goes through JSON between steps, as the runtime may hand it over. (Over the real host, with the real activities:
/// TournamentWorkflowTests in the functional tests.)
/// </summary>
public sealed class TournamentWorkflowTests
{
    private const string Cup = "custom-cup";
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset OpensAt = Monday.AddHours(1);
    private static readonly DateTimeOffset StartsAt = Monday.AddHours(25);
    private static readonly DateTimeOffset EndsAt = Monday.AddHours(27);

    private readonly TournamentWorkflow _workflow = new();
    private readonly Dictionary<int, string> _calls = [];
    private TournamentWorkflow.State _state = null!;
    private DateTimeOffset _now = Monday;
    private int _nextCall = 1;
    private int _nextTimer = 1;

    [Fact]
    public void It_starts_by_listening_for_a_cancellation_and_reading_the_tournament()
    {
        var step = Start();

        Assert.Equal(["tournament-cancelled"], step.Waits);
        var call = Assert.Single(step.Calls);
        Assert.Equal(("tournaments.advance", (object?)Cup), (call.Activity, call.Input));
        Assert.Empty(step.Timers);
        Assert.Null(step.CustomStatus);
        Assert.Equal("tournament-" + Cup, TournamentWorkflow.InstanceId(Cup));
    }

    [Fact]
    public void It_sleeps_until_each_phase_change_then_finalizes_and_completes()
    {
        Start();
        var scheduled = Answer(TournamentStatus.Scheduled, OpensAt);
        Assert.Equal(OpensAt, Assert.Single(scheduled.Timers).Due);
        Assert.Equal(new TournamentWorkflowStatus(TournamentStatus.Scheduled, OpensAt, null), scheduled.CustomStatus);

        var opening = Fire(OpensAt);
        Assert.Equal("tournaments.advance", Assert.Single(opening.Calls).Activity);
        var registration = Answer(TournamentStatus.Registration, StartsAt);
        Assert.Equal(StartsAt, Assert.Single(registration.Timers).Due);
        Assert.Equal(new TournamentWorkflowStatus(TournamentStatus.Registration, StartsAt, null), registration.CustomStatus);

        Assert.Equal("tournaments.advance", Assert.Single(Fire(StartsAt).Calls).Activity);
        var live = Answer(TournamentStatus.Live, EndsAt);
        Assert.Equal(EndsAt, Assert.Single(live.Timers).Due);

        Assert.Equal("tournaments.finalize", Assert.Single(Fire(EndsAt).Calls).Activity);
        var completed = Answer(TournamentStatus.Completed, null);
        Assert.True(completed.Completed);
        Assert.Equal(new TournamentOutcome(Cup, TournamentStatus.Completed), completed.Output);
        Assert.Equal(new TournamentWorkflowStatus(TournamentStatus.Completed, null, null), completed.CustomStatus);
        Assert.Empty(completed.Timers);
        Assert.Empty(completed.Calls);
    }

    [Fact]
    public void A_tournament_found_ended_is_finalized_at_once()
    {
        Start();
        _now = EndsAt.AddDays(1);

        var finalizing = Answer(TournamentStatus.Finalizing, null);

        Assert.Equal("tournaments.finalize", Assert.Single(finalizing.Calls).Activity);
        Assert.Empty(finalizing.Timers);
        Assert.Equal(new TournamentWorkflowStatus(TournamentStatus.Finalizing, null, null), finalizing.CustomStatus);
        Assert.True(Answer(TournamentStatus.Completed, null).Completed);
    }

    [Fact]
    public void A_change_that_is_due_but_not_yet_applied_is_checked_again_shortly()
    {
        // The activity's process clock ran behind the timer's: the tournament still says registration after its start.
        Start();
        Answer(TournamentStatus.Registration, StartsAt);
        Fire(StartsAt);

        var behind = Answer(TournamentStatus.Registration, StartsAt);

        Assert.Equal(StartsAt + TournamentWorkflow.Recheck, Assert.Single(behind.Timers).Due);
        Assert.Equal("tournaments.advance", Assert.Single(Fire(StartsAt + TournamentWorkflow.Recheck).Calls).Activity);
    }

    [Fact]
    public void After_the_retries_are_used_up_it_waits_and_tries_again_and_never_gives_up()
    {
        Start();
        Answer(TournamentStatus.Live, EndsAt);
        Fire(EndsAt);

        var failed = Handle(new ActivityFailed(LastCall, "tournaments.finalize", "stale-price: no fresh mark", 8));

        var retryAt = EndsAt + TournamentWorkflow.RetryLater;
        Assert.Equal(retryAt, Assert.Single(failed.Timers).Due);
        Assert.Equal(new TournamentWorkflowStatus(TournamentStatus.Live, retryAt, "stale-price: no fresh mark"), failed.CustomStatus);
        Assert.False(failed.Completed);
        Assert.Null(failed.FailReason);

        Assert.Equal("tournaments.finalize", Assert.Single(Fire(retryAt).Calls).Activity);
        Assert.True(Answer(TournamentStatus.Completed, null).Completed);
    }

    [Fact]
    public void A_first_read_that_fails_is_retried_as_an_advance()
    {
        Start();

        var failed = Handle(new ActivityFailed(LastCall, "tournaments.advance", "store unavailable", 8));

        Assert.Equal(new TournamentWorkflowStatus(null, Monday + TournamentWorkflow.RetryLater, "store unavailable"), failed.CustomStatus);
        Assert.Equal("tournaments.advance", Assert.Single(Fire(Monday + TournamentWorkflow.RetryLater).Calls).Activity);
    }

    [Fact]
    public void A_cancellation_event_ends_the_instance_once_the_tournament_confirms_it()
    {
        Start();
        Answer(TournamentStatus.Registration, StartsAt);
        var timer = _state.Timer!.Value;

        var raised = Handle(new EventRaised("tournament-cancelled", "\"admin\""u8.ToArray()));
        Assert.Equal(["tournament-cancelled"], raised.Waits);
        Assert.Equal("tournaments.advance", Assert.Single(raised.Calls).Activity);
        Assert.Empty(raised.CancelledTimers);

        var cancelled = Answer(TournamentStatus.Cancelled, null);
        Assert.Equal([timer], cancelled.CancelledTimers);
        Assert.True(cancelled.Completed);
        Assert.Equal(new TournamentOutcome(Cup, TournamentStatus.Cancelled), cancelled.Output);
        Assert.Equal(new TournamentWorkflowStatus(TournamentStatus.Cancelled, null, null), cancelled.CustomStatus);
    }

    [Fact]
    public void A_cancellation_event_for_a_tournament_that_goes_on_changes_nothing_but_the_timer()
    {
        Start();
        Answer(TournamentStatus.Live, EndsAt);
        var timer = _state.Timer!.Value;

        Handle(new EventRaised("tournament-cancelled", "\"admin\""u8.ToArray()));
        var still = Answer(TournamentStatus.Live, EndsAt);

        Assert.Equal([timer], still.CancelledTimers);
        Assert.Equal(EndsAt, Assert.Single(still.Timers).Due);
        Assert.False(still.Completed);
        Assert.Equal("tournaments.finalize", Assert.Single(Fire(EndsAt).Calls).Activity);
    }

    [Fact]
    public void Only_the_latest_call_and_the_latest_timer_count()
    {
        Start();
        var first = LastCall;
        Handle(new EventRaised("tournament-cancelled", "\"admin\""u8.ToArray()));

        // The first read's answer arrives after the event's read was asked for: it is overtaken.
        var stale = Handle(Result(first, TournamentStatus.Registration, StartsAt));
        Assert.Empty(stale.Timers);
        Assert.Null(stale.CustomStatus);

        Answer(TournamentStatus.Registration, StartsAt);
        var replaced = _state.Timer!.Value;
        Handle(new EventRaised("tournament-cancelled", "\"admin\""u8.ToArray()));
        Answer(TournamentStatus.Registration, StartsAt);

        var old = Handle(new TimerFired(replaced, StartsAt));
        Assert.Empty(old.Calls);
        Assert.Equal("tournaments.advance", Assert.Single(Fire(StartsAt).Calls).Activity);
    }

    [Fact]
    public void An_instance_for_a_tournament_that_does_not_exist_fails()
    {
        Start("custom-nowhere");

        var missing = Answer(TournamentStatus.NotCreated, null);

        Assert.Equal("There is no tournament 'custom-nowhere'.", missing.FailReason);
        Assert.False(missing.Completed);
    }

    [Fact]
    public void Inputs_are_read_strictly()
    {
        var input = TournamentWorkflowJson.Default.TournamentWorkflowInput;
        Assert.Equal(new TournamentWorkflowInput(Cup), JsonSerializer.Deserialize("""{"tournamentId":"custom-cup"}""", input));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{}", input));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"tournamentId":null}""", input));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"tournamentId":"custom-cup","startsAt":"2026-11-02"}""", input));
        Assert.Equal(
            """{"phase":"registration","nextCheckAt":"2026-11-03T13:00:00+00:00","lastError":null}""",
            JsonSerializer.Serialize(new TournamentWorkflowStatus(TournamentStatus.Registration, StartsAt, null), TournamentWorkflowJson.Default.TournamentWorkflowStatus));
    }

    private int LastCall => _nextCall - 1;

    private RecordingContext<TournamentWorkflowInput, TournamentOutcome> Start(string tournamentId = Cup)
    {
        var step = Context();
        _state = RoundTrip(_workflow.Start(new TournamentWorkflowInput(tournamentId), step));
        return Record(step);
    }

    private RecordingContext<TournamentWorkflowInput, TournamentOutcome> Handle(WorkflowMessage message)
    {
        var step = Context();
        _state = RoundTrip(_workflow.Handle(_state, message, step));
        return Record(step);
    }

    /// <summary>The latest call answers with where the tournament stands.</summary>
    private RecordingContext<TournamentWorkflowInput, TournamentOutcome> Answer(TournamentStatus status, DateTimeOffset? next) =>
        Handle(Result(LastCall, status, next));

    /// <summary>The pending timer fires, with the clock at its due time.</summary>
    private RecordingContext<TournamentWorkflowInput, TournamentOutcome> Fire(DateTimeOffset due)
    {
        _now = due;
        return Handle(new TimerFired(_state.Timer ?? throw new InvalidOperationException("No timer is pending."), due));
    }

    private ActivityCompleted Result(int callId, TournamentStatus status, DateTimeOffset? next) =>
        new(callId, _calls[callId], JsonSerializer.SerializeToUtf8Bytes(new TournamentProgress(status, next), TournamentWorkflowJson.Default.TournamentProgress));

    private RecordingContext<TournamentWorkflowInput, TournamentOutcome> Context() => new("tournament-" + Cup, _now, _nextCall, _nextTimer);

    private RecordingContext<TournamentWorkflowInput, TournamentOutcome> Record(RecordingContext<TournamentWorkflowInput, TournamentOutcome> step)
    {
        foreach (var (id, activity, _) in step.Calls)
        {
            _calls[id] = activity;
        }

        (_nextCall, _nextTimer) = (step.NextCallId, step.NextTimerId);
        return step;
    }

    private static TournamentWorkflow.State RoundTrip(TournamentWorkflow.State state)
    {
        var json = JsonSerializer.Serialize(state, TournamentWorkflowJson.Default.State);
        var read = JsonSerializer.Deserialize(json, TournamentWorkflowJson.Default.State)!;
        Assert.Equal(state, read);
        return read;
    }
}

using AstraTrade.Domain.Nft;

namespace AstraTrade.Domain.UnitTests.Nft;

/// <summary>The Genesis mint request decider, command by command (DOMAIN.md §6).</summary>
public class GenesisMintTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid User = Guid.Parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    private static readonly GenesisMintRules Rules = new(MaxAttempts: 2);

    [Fact]
    public void An_unlock_queues_one_pending_request_with_the_deterministic_token_id()
    {
        var (state, events) = Run(GenesisMintState.None, new RequestGenesisMint(User, "FIRST_TRADE", Now.AddMinutes(-1), Now));

        var requested = Assert.IsType<GenesisMintRequested>(Assert.Single(events));
        Assert.Equal(GenesisTokenId.Text(User, GenesisCollection.Find("FIRST_TRADE")!), requested.TokenId);
        Assert.Equal((GenesisMintStatus.Pending, GenesisMintReasons.Queued, 0), (state.Status, state.Reason, state.Attempts));
        Assert.Equal((Now.AddMinutes(-1), Now), (state.UnlockedAt, state.RequestedAt));

        // The unlock delivered again, even with another time, changes nothing.
        Assert.Empty(Run(state, new RequestGenesisMint(User, "FIRST_TRADE", Now, Now.AddHours(1))).Events);
    }

    [Fact]
    public void Achievements_without_a_genesis_nft_are_refused_and_ids_are_exact()
    {
        Assert.Equal("not-a-genesis-achievement", Decide(GenesisMintState.None, new RequestGenesisMint(User, "TRADER_NOVICE", Now, Now)).Error?.Code);
        Assert.Equal("not-a-genesis-achievement", Decide(GenesisMintState.None, new RequestGenesisMint(User, "first_trade", Now, Now)).Error?.Code);
        Assert.Equal(7, GenesisCollection.Kinds.Count);
        Assert.Equal(
            ["FIRST_TRADE", "LEVEL_10", "LEVEL_25", "LEVEL_50", "LEVEL_100", "TOURNAMENT_CHAMPION", "CONSTELLATION_FOUNDER"],
            GenesisCollection.Kinds.Select(k => k.AchievementId));
    }

    [Fact]
    public void Nothing_but_a_request_is_accepted_before_one_exists()
    {
        Assert.Equal("nft-not-requested", Decide(GenesisMintState.None, new StartGenesisMintAttempt(1, "0x1", Now)).Error?.Code);
        Assert.Equal("nft-not-requested", Decide(GenesisMintState.None, new HoldGenesisMint(GenesisMintReasons.AwaitingWallet, "no wallet", Now)).Error?.Code);
    }

    [Fact]
    public void Pending_shows_what_it_waits_for_and_a_repeat_of_the_same_reason_adds_nothing()
    {
        var pending = Requested();
        var (held, events) = Run(pending, new HoldGenesisMint(GenesisMintReasons.AwaitingWallet, "Link a wallet.", Now));

        Assert.IsType<GenesisMintWaiting>(Assert.Single(events));
        Assert.Equal((GenesisMintStatus.Pending, GenesisMintReasons.AwaitingWallet, "Link a wallet."), (held.Status, held.Reason, held.Detail));
        Assert.Empty(Run(held, new HoldGenesisMint(GenesisMintReasons.AwaitingWallet, "Link a wallet.", Now)).Events);
        Assert.Single(Run(held, new HoldGenesisMint(GenesisMintReasons.StarknetNotConfigured, "No node.", Now)).Events);
    }

    [Fact]
    public void Pending_then_submitted_then_minted_and_each_step_repeats_harmlessly()
    {
        var (submitted, started) = Run(Requested(), new StartGenesisMintAttempt(1, "0xabc", Now));
        Assert.IsType<GenesisMintAttemptStarted>(Assert.Single(started));
        Assert.Equal((GenesisMintStatus.Submitted, 1, "0xabc", (string?)null), (submitted.Status, submitted.Attempts, submitted.Recipient, submitted.Reason));
        Assert.Empty(Run(submitted, new StartGenesisMintAttempt(1, "0xabc", Now)).Events);

        var (sent, _) = Run(submitted, new RecordGenesisMintTransaction(1, "0x77", Now));
        Assert.Equal("0x77", sent.TransactionHash);
        Assert.Empty(Run(sent, new RecordGenesisMintTransaction(1, "0x77", Now)).Events);

        var (minted, _) = Run(sent, new RecordGenesisMinted(1, "0x77", 812_346, Now));
        Assert.Equal((GenesisMintStatus.Minted, "0x77", (ulong?)812_346), (minted.Status, minted.TransactionHash, minted.BlockNumber));
        Assert.True(minted.IsFinished);
        Assert.Empty(Run(minted, new RecordGenesisMinted(1, "0x77", 812_346, Now)).Events);

        // Nothing starts after minted, and a late notice of the transaction changes nothing.
        Assert.Equal("mint-step-out-of-order", Decide(minted, new StartGenesisMintAttempt(2, "0xabc", Now)).Error?.Code);
        Assert.Empty(Run(minted, new RecordGenesisMintTransaction(1, "0x99", Now)).Events);
    }

    [Fact]
    public void A_failed_attempt_goes_back_to_pending_until_the_attempts_are_used_up()
    {
        var (first, _) = Run(Requested(), new StartGenesisMintAttempt(1, "0xabc", Now));
        var (retrying, failed) = Run(first, new RecordGenesisMintFailure(1, "reverted: out of gas", Now));

        Assert.True(Assert.IsType<GenesisMintAttemptFailed>(Assert.Single(failed)).WillRetry);
        Assert.Equal((GenesisMintStatus.Pending, GenesisMintReasons.Retrying, "reverted: out of gas"), (retrying.Status, retrying.Reason, retrying.Detail));
        Assert.Empty(Run(retrying, new RecordGenesisMintFailure(1, "reverted: out of gas", Now)).Events);

        // Attempts go one after another: not the same again, not one skipped.
        Assert.Equal("mint-step-out-of-order", Decide(retrying, new StartGenesisMintAttempt(1, "0xabc", Now)).Error?.Code);
        Assert.Equal("mint-step-out-of-order", Decide(retrying, new StartGenesisMintAttempt(3, "0xabc", Now)).Error?.Code);

        var (second, _) = Run(retrying, new StartGenesisMintAttempt(2, "0xabc", Now));
        Assert.Null(second.TransactionHash);
        var (gaveUp, last) = Run(second, new RecordGenesisMintFailure(2, "refused", Now));

        Assert.False(Assert.IsType<GenesisMintAttemptFailed>(Assert.Single(last)).WillRetry);
        Assert.Equal((GenesisMintStatus.Failed, GenesisMintReasons.AttemptsExhausted, 2), (gaveUp.Status, gaveUp.Reason, gaveUp.Attempts));
        Assert.Equal("mint-step-out-of-order", Decide(gaveUp, new StartGenesisMintAttempt(3, "0xabc", Now)).Error?.Code);
        Assert.Equal("mint-step-out-of-order", Decide(gaveUp, new HoldGenesisMint(GenesisMintReasons.AwaitingWallet, "x", Now)).Error?.Code);
    }

    [Fact]
    public void Outcomes_of_an_attempt_that_is_not_the_current_one_are_refused()
    {
        var (submitted, _) = Run(Requested(), new StartGenesisMintAttempt(1, "0xabc", Now));

        Assert.Equal("mint-step-out-of-order", Decide(submitted, new RecordGenesisMinted(2, "0x1", 1, Now)).Error?.Code);
        Assert.Equal("mint-step-out-of-order", Decide(submitted, new RecordGenesisMintFailure(2, "x", Now)).Error?.Code);
        Assert.Equal("mint-step-out-of-order", Decide(submitted, new RecordGenesisMintTransaction(2, "0x1", Now)).Error?.Code);
        Assert.Equal("mint-step-out-of-order", Decide(Requested(), new RecordGenesisMinted(1, "0x1", 1, Now)).Error?.Code);
    }

    [Fact]
    public void Minted_without_a_transaction_of_its_own_keeps_the_one_it_knew()
    {
        var (submitted, _) = Run(Requested(), new StartGenesisMintAttempt(1, "0xabc", Now));
        var (sent, _) = Run(submitted, new RecordGenesisMintTransaction(1, "0x77", Now));

        var (minted, _) = Run(sent, new RecordGenesisMinted(1, null, null, Now));

        Assert.Equal((GenesisMintStatus.Minted, "0x77"), (minted.Status, minted.TransactionHash));
    }

    private static GenesisMintState Requested() => Run(GenesisMintState.None, new RequestGenesisMint(User, "LEVEL_10", Now, Now)).State;

    private static AstraTrade.Domain.Common.Decision<IGenesisMintEvent> Decide(GenesisMintState state, GenesisMintCommand command) => GenesisMint.Decide(state, command, Rules);

    private static (GenesisMintState State, IReadOnlyList<IGenesisMintEvent> Events) Run(GenesisMintState state, GenesisMintCommand command)
    {
        var decision = Decide(state, command);
        Assert.Null(decision.Error);
        return (GenesisMint.Fold(state, decision.Events), decision.Events);
    }
}

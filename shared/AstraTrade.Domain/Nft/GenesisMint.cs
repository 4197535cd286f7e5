using System.Diagnostics;
using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Nft;

/// <summary>
/// The Genesis mint request decider (ARCHITECTURE.md §3), one stream per user and kind. It keeps "at most one token per
/// user and achievement" on our side: one request per stream, one deterministic token id, attempts one after another,
/// and nothing after minted or failed. Every step is idempotent for its repeat (the workflow's activities run at least
/// once), and a step that does not fit the request's state is refused rather than guessed at.
/// </summary>
public static class GenesisMint
{
    public static Decision<IGenesisMintEvent> Decide(GenesisMintState state, GenesisMintCommand command, GenesisMintRules rules)
    {
        if (command is RequestGenesisMint request)
        {
            return DecideRequest(state, request);
        }

        if (!state.IsRequested)
        {
            return NftErrors.NotRequested();
        }

        return command switch
        {
            HoldGenesisMint hold => DecideHold(state, hold),
            StartGenesisMintAttempt start => DecideStart(state, start),
            RecordGenesisMintTransaction sent => DecideSent(state, sent),
            RecordGenesisMinted minted => DecideMinted(state, minted),
            RecordGenesisMintFailure failure => DecideFailure(state, failure, rules),
            _ => throw new UnreachableException($"{command.GetType()} is not a Genesis mint command."),
        };
    }

    public static GenesisMintState Evolve(GenesisMintState state, IGenesisMintEvent e) => e switch
    {
        GenesisMintRequested r => state with
        {
            Status = GenesisMintStatus.Pending,
            UserId = r.UserId,
            AchievementId = r.AchievementId,
            TokenId = r.TokenId,
            UnlockedAt = r.UnlockedAt,
            RequestedAt = r.At,
            UpdatedAt = r.At,
            Reason = GenesisMintReasons.Queued,
            Detail = "Queued for minting.",
        },
        GenesisMintWaiting w => state with { Reason = w.Reason, Detail = w.Detail, UpdatedAt = w.At },
        GenesisMintAttemptStarted s => state with
        {
            Status = GenesisMintStatus.Submitted,
            Attempts = s.Attempt,
            Recipient = s.Recipient,
            TransactionHash = null,
            BlockNumber = null,
            Reason = null,
            Detail = null,
            UpdatedAt = s.At,
        },
        GenesisMintTransactionSent t => state with { TransactionHash = t.TransactionHash, UpdatedAt = t.At },
        GenesisMinted m => state with
        {
            Status = GenesisMintStatus.Minted,
            TransactionHash = m.TransactionHash ?? state.TransactionHash,
            BlockNumber = m.BlockNumber,
            Reason = null,
            Detail = null,
            UpdatedAt = m.At,
        },
        GenesisMintAttemptFailed f => state with
        {
            Status = f.WillRetry ? GenesisMintStatus.Pending : GenesisMintStatus.Failed,
            Reason = f.WillRetry ? GenesisMintReasons.Retrying : GenesisMintReasons.AttemptsExhausted,
            Detail = f.Reason,
            UpdatedAt = f.At,
        },
        _ => throw new UnreachableException($"{e.GetType()} is not a Genesis mint event."),
    };

    public static GenesisMintState Fold(GenesisMintState state, IEnumerable<IGenesisMintEvent> events) => events.Aggregate(state, Evolve);

    private static Decision<IGenesisMintEvent> DecideRequest(GenesisMintState state, RequestGenesisMint request)
    {
        if (GenesisCollection.Find(request.AchievementId) is not { } kind)
        {
            return NftErrors.NotGenesis(request.AchievementId);
        }

        // At most one per user and achievement: the unlock delivered again (or raced) finds the request made.
        return state.IsRequested
            ? Decision<IGenesisMintEvent>.Accept()
            : Decision<IGenesisMintEvent>.Accept(new GenesisMintRequested(
                request.UserId, kind.AchievementId, GenesisTokenId.Text(request.UserId, kind), request.UnlockedAt, request.Now));
    }

    private static Decision<IGenesisMintEvent> DecideHold(GenesisMintState state, HoldGenesisMint hold)
    {
        if (state.Status != GenesisMintStatus.Pending)
        {
            return NftErrors.OutOfOrder("wait unless it is pending");
        }

        return state.Reason == hold.Reason && state.Detail == hold.Detail
            ? Decision<IGenesisMintEvent>.Accept()
            : Decision<IGenesisMintEvent>.Accept(new GenesisMintWaiting(hold.Reason, hold.Detail, hold.Now));
    }

    private static Decision<IGenesisMintEvent> DecideStart(GenesisMintState state, StartGenesisMintAttempt start)
    {
        if (start.Attempt == state.Attempts && state.Status == GenesisMintStatus.Submitted)
        {
            return Decision<IGenesisMintEvent>.Accept(); // this attempt was started already
        }

        return state.Status == GenesisMintStatus.Pending && start.Attempt == state.Attempts + 1
            ? Decision<IGenesisMintEvent>.Accept(new GenesisMintAttemptStarted(start.Attempt, start.Recipient, start.Now))
            : NftErrors.OutOfOrder($"start attempt {start.Attempt} (status {state.Status}, {state.Attempts} attempts started)");
    }

    private static Decision<IGenesisMintEvent> DecideSent(GenesisMintState state, RecordGenesisMintTransaction sent)
    {
        if (sent.Attempt != state.Attempts || state.Status != GenesisMintStatus.Submitted)
        {
            // A late notice of an attempt that has ended since: what it would say is already known.
            return sent.Attempt <= state.Attempts
                ? Decision<IGenesisMintEvent>.Accept()
                : NftErrors.OutOfOrder($"record a transaction for attempt {sent.Attempt} before it started");
        }

        return state.TransactionHash == sent.TransactionHash
            ? Decision<IGenesisMintEvent>.Accept()
            : Decision<IGenesisMintEvent>.Accept(new GenesisMintTransactionSent(sent.Attempt, sent.TransactionHash, sent.Now));
    }

    private static Decision<IGenesisMintEvent> DecideMinted(GenesisMintState state, RecordGenesisMinted minted)
    {
        if (state.Status == GenesisMintStatus.Minted)
        {
            return Decision<IGenesisMintEvent>.Accept();
        }

        return state.Status == GenesisMintStatus.Submitted && minted.Attempt == state.Attempts
            ? Decision<IGenesisMintEvent>.Accept(new GenesisMinted(minted.Attempt, minted.TransactionHash, minted.BlockNumber, minted.Now))
            : NftErrors.OutOfOrder($"be minted by attempt {minted.Attempt} (status {state.Status}, {state.Attempts} attempts started)");
    }

    private static Decision<IGenesisMintEvent> DecideFailure(GenesisMintState state, RecordGenesisMintFailure failure, GenesisMintRules rules)
    {
        if (failure.Attempt == state.Attempts && state.Status is GenesisMintStatus.Pending or GenesisMintStatus.Failed
            && state.Reason is GenesisMintReasons.Retrying or GenesisMintReasons.AttemptsExhausted)
        {
            return Decision<IGenesisMintEvent>.Accept(); // this failure was recorded already
        }

        return state.Status == GenesisMintStatus.Submitted && failure.Attempt == state.Attempts
            ? Decision<IGenesisMintEvent>.Accept(new GenesisMintAttemptFailed(failure.Attempt, failure.Reason, failure.Attempt < rules.MaxAttempts, failure.Now))
            : NftErrors.OutOfOrder($"fail attempt {failure.Attempt} (status {state.Status}, {state.Attempts} attempts started)");
    }
}

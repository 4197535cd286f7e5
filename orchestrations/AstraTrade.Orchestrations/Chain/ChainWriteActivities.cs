using System.Text.Json;
using AstraTrade.Application.Nft.Chain;
using AstraTrade.Contracts.Starknet;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Chain;

/// <summary>
/// The chain write's steps that touch the world, over the operator account. The purpose of every transaction is the
/// instance id, so the operator's "one transaction per purpose" is "one per instance". Each step is safe to repeat (see
/// <see cref="IOperatorAccount"/>); a transport failure throws and the call's retry policy runs it again. Missing
/// configuration is an answer, not a failure: the workflow waits for it.
/// </summary>
public sealed class ChainWriteActivities(IOperatorAccount account, Func<WorkflowClient> workflows)
{
    /// <summary>What the operator signs and asks, and nothing else: an instance started by hand (the management API takes
    /// any input) cannot make the operator call another entry point of the contracts it owns.</summary>
    private static readonly HashSet<(string Contract, string Entrypoint)> Writes =
        [(ChainContracts.Achievements, AchievementsContract.RecordAchievement), (ChainContracts.Genesis, GenesisContract.Mint)];

    private static readonly HashSet<(string Contract, string Entrypoint)> Views =
        [(ChainContracts.Achievements, AchievementsContract.IsRecorded), (ChainContracts.Genesis, GenesisContract.OwnerOf)];

    // Never rename: the names are stored with every call.
    public static readonly Activity<ChainCall, DoneCheck> CheckDone = new("chain.check-done", ChainWriteJson.Default.Options);
    public static readonly Activity<PrepareInput, PrepareResult> Prepare = new("chain.prepare", ChainWriteJson.Default.Options);
    public static readonly Activity<SignedInvoke, SubmitResult> Submit = new("chain.submit", ChainWriteJson.Default.Options);
    public static readonly Activity<SignedInvoke, TransactionCheck> Check = new("chain.check", ChainWriteJson.Default.Options);
    public static readonly Activity<NotifyInput, bool> Notify = new("chain.notify", ChainWriteJson.Default.Options);

    public async ValueTask<DoneCheck> CheckDoneAsync(ChainCall view, ActivityContext context)
    {
        if (!Views.Contains((view.Contract, view.Entrypoint)))
        {
            return new DoneCheck(false, $"The done-check {view.Contract}.{view.Entrypoint} is not one the operator asks (is_recorded, owner_of).");
        }

        return account.Unavailable([view.Contract]) is { } why
            ? new DoneCheck(false, why)
            : new DoneCheck(await account.IsDoneAsync(view, context.CancellationToken));
    }

    public async ValueTask<PrepareResult> PrepareAsync(PrepareInput input, ActivityContext context)
    {
        if (input.Calls.Count == 0 || input.Calls.Any(c => !Writes.Contains((c.Contract, c.Entrypoint))))
        {
            return new PrepareResult(null, WouldFail: "The operator signs only record_achievement on the achievements contract and mint on the Genesis contract.");
        }

        if (account.Unavailable(input.Calls.Select(c => c.Contract)) is { } why)
        {
            return new PrepareResult(null, Unavailable: why);
        }

        try
        {
            return new PrepareResult(await account.PrepareAsync(context.InstanceId, input.Calls, input.Replaces, context.CancellationToken));
        }
        catch (WriteWouldFailException e)
        {
            return new PrepareResult(null, WouldFail: e.Message);
        }
    }

    public ValueTask<SubmitResult> SubmitAsync(SignedInvoke transaction, ActivityContext context) =>
        account.SubmitAsync(transaction, context.CancellationToken);

    public ValueTask<TransactionCheck> CheckAsync(SignedInvoke transaction, ActivityContext context) =>
        account.CheckAsync(transaction, context.CancellationToken);

    /// <summary>Raises the outcome (or the sent notice) to the instance that asked. An instance that is gone or finished
    /// has nobody left to tell: that is not a failure.</summary>
    public async ValueTask<bool> NotifyAsync(NotifyInput input, ActivityContext context)
    {
        var payload = input.Outcome is { } outcome
            ? JsonSerializer.SerializeToUtf8Bytes(outcome, ChainWriteJson.Default.ChainWriteOutcome)
            : JsonSerializer.SerializeToUtf8Bytes(input.Sent!, ChainWriteJson.Default.ChainWriteSent);
        var raised = await workflows().RaiseEventAsync(input.InstanceId, input.EventName, payload, context.CancellationToken);
        return raised == OperationOutcome.Accepted;
    }
}

using AstraTrade.Application.Nft.Chain;

namespace AstraTrade.Orchestrations.Chain;

/// <summary>What a chain write does. Its instance id is its purpose (e.g. <c>chain-achievement-{user}-{achievement}</c>):
/// one write per purpose, so starting it twice is a no-op.</summary>
/// <param name="Calls">The calls one transaction makes (the operator account's multicall).</param>
/// <param name="DoneWhen">A view whose non-zero answer means the write has already happened (checked before anything is
/// signed, and again after a revert): e.g. <c>is_recorded</c>. Null: the receipt alone decides.</param>
/// <param name="Notify">Whom to tell: the instance that raised it, through external events.</param>
public sealed record ChainWriteInput(IReadOnlyList<ChainCall> Calls, ChainCall? DoneWhen = null, ChainWriteNotify? Notify = null);

/// <summary>Events raised to <paramref name="InstanceId"/>: <paramref name="SentEvent"/> (payload
/// <see cref="ChainWriteSent"/>) once the node has the transaction, if named, and <paramref name="FinishedEvent"/>
/// (payload <see cref="ChainWriteOutcome"/>) at the end.</summary>
public sealed record ChainWriteNotify(string InstanceId, string FinishedEvent, string? SentEvent = null);

public enum ChainWriteResult
{
    /// <summary>The transaction succeeded in a block accepted on L2.</summary>
    Accepted,

    /// <summary>It was included but reverted (and <see cref="ChainWriteInput.DoneWhen"/>, if any, says not done).</summary>
    Reverted,

    /// <summary><see cref="ChainWriteInput.DoneWhen"/> says the write had already happened.</summary>
    AlreadyDone,

    /// <summary>It never got on chain: the node kept refusing it, or the estimate showed it would fail.</summary>
    Failed,
}

/// <param name="Purpose">The chain write's instance id.</param>
/// <param name="TransactionHash">The last transaction signed for the purpose, if any.</param>
/// <param name="Transactions">How many transactions were signed for the purpose: more than one only when earlier ones were
/// dead (refused, or their nonce used by another transaction). A replacement of a refused one can be identical to it.</param>
public sealed record ChainWriteOutcome(string Purpose, ChainWriteResult Result, string? TransactionHash, ulong? BlockNumber, string? Reason, int Transactions);

public sealed record ChainWriteSent(string Purpose, string TransactionHash, string Nonce, int Revision);

/// <summary>The instance's custom status, for the management API.</summary>
/// <param name="Step">checking, waiting-for-configuration, preparing, submitting, polling, verifying, notifying or done.</param>
/// <param name="Waiting">Why it waits, while it waits for configuration or to retry.</param>
public sealed record ChainWriteStatus(string Step, string? TransactionHash, string? Nonce, string? Finality, int Polls, int Resubmits, string? Waiting);

/// <summary>Activity inputs and results.</summary>
public sealed record PrepareInput(IReadOnlyList<ChainCall> Calls, string? Replaces);

/// <param name="Unavailable">Why nothing could be signed (not configured).</param>
/// <param name="WouldFail">The estimate ran it and it failed.</param>
public sealed record PrepareResult(SignedInvoke? Transaction, string? Unavailable = null, string? WouldFail = null);

/// <param name="Unavailable">Why the view could not be asked (not configured).</param>
public sealed record DoneCheck(bool Done, string? Unavailable = null);

public sealed record NotifyInput(string InstanceId, string EventName, ChainWriteOutcome? Outcome, ChainWriteSent? Sent);

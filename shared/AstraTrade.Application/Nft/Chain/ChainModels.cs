namespace AstraTrade.Application.Nft.Chain;

/// <summary>One call of a contract's entry point.</summary>
/// <param name="Contract">A contract name the deployment configures an address for (<c>Starknet:Contracts:{name}</c>),
/// e.g. <see cref="ChainContracts.Achievements"/>. Names, not addresses, so that a write queued before the address was
/// configured still goes to the right contract.</param>
/// <param name="Entrypoint">The entry point's name; the selector is its starknet_keccak.</param>
/// <param name="Calldata">Felts in canonical hex.</param>
public sealed record ChainCall(string Contract, string Entrypoint, IReadOnlyList<string> Calldata);

/// <summary>The contracts the backend writes to.</summary>
public static class ChainContracts
{
    public const string Achievements = "achievements";

    public const string Genesis = "genesis";
}

/// <summary>An INVOKE v3 transaction as signed by the operator account: everything needed to send exactly it again.</summary>
/// <param name="Purpose">What it is for (the chain write's instance id); at most one live transaction per purpose.</param>
/// <param name="Revision">1 for the purpose's first transaction, one more for each replacement of a dead one.</param>
/// <param name="Hash">The transaction hash (<c>InvokeV3Hash</c>), which the signature signs.</param>
public sealed record SignedInvoke(
    string Purpose,
    int Revision,
    string Hash,
    string Sender,
    string ChainId,
    string Nonce,
    IReadOnlyList<string> Calldata,
    InvokeFeeBounds Bounds,
    IReadOnlyList<string> Signature);

/// <summary>The transaction's resource bounds (max amount, max price per unit), as hex.</summary>
public sealed record InvokeFeeBounds(
    string L1GasMaxAmount,
    string L1GasMaxPrice,
    string L2GasMaxAmount,
    string L2GasMaxPrice,
    string L1DataGasMaxAmount,
    string L1DataGasMaxPrice);

public enum SubmitStatus
{
    /// <summary>The node took it.</summary>
    Sent,

    /// <summary>The node has it already (a repeat of a send whose answer was lost, or a resubmission).</summary>
    AlreadyKnown,

    /// <summary>The node refused it and does not know it: it is nowhere and can never run as it is.</summary>
    Refused,
}

/// <param name="Reason">Why it was refused (the node's error), when it was.</param>
public sealed record SubmitResult(SubmitStatus Status, string? Reason = null);

public enum TransactionState
{
    /// <summary>The node does not know the hash (not received yet, or dropped).</summary>
    Unknown,

    /// <summary>Received, or executed in a block not yet accepted.</summary>
    Pending,

    /// <summary>Succeeded in a block accepted on L2 (or L1).</summary>
    Accepted,

    /// <summary>Included and charged, but reverted.</summary>
    Reverted,

    /// <summary>Unknown to the node while its nonce has been used by another transaction: it can never run.</summary>
    Dead,
}

/// <param name="Finality">The node's finality status (RECEIVED, ACCEPTED_ON_L2, …), when it knows the transaction.</param>
/// <param name="Reason">The revert reason, or why it is dead.</param>
public sealed record TransactionCheck(TransactionState State, string? Finality = null, ulong? BlockNumber = null, string? Reason = null);

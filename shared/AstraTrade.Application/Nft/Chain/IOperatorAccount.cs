namespace AstraTrade.Application.Nft.Chain;

/// <summary>
/// The backend's own Starknet account, which signs and sends every chain write (on-chain achievements, Genesis mints).
/// The application layer depends on the domain only (ARCHITECTURE.md §1), so the Starknet layer stays behind this port;
/// the adapter is Infrastructure/Starknet/Operator. Felts cross it as canonical hex strings. The chain-write workflow
/// (orchestrations/…/Chain) drives it one step at a time, and every step is safe to run more than once:
/// <list type="bullet">
/// <item><see cref="PrepareAsync"/> signs at most one transaction per purpose (it persists it before returning, and a
/// repeat returns the persisted one), replacing it only when told the earlier one is dead;</item>
/// <item><see cref="SubmitAsync"/> sends that same signed transaction; the node's "already known" is success;</item>
/// <item><see cref="CheckAsync"/> and <see cref="IsDoneAsync"/> only read.</item>
/// </list>
/// A transport failure (the node unreachable, a time-out) throws, for the caller's retry policy; what the node decided
/// comes back as a value.
/// </summary>
public interface IOperatorAccount
{
    /// <summary>Null when writes to these contracts can go ahead; otherwise why not (no node, no operator account, no
    /// address configured for a contract), in words.</summary>
    string? Unavailable(IEnumerable<string> contracts);

    /// <summary>Whether the view <paramref name="view"/> answers a non-zero first felt (e.g. <c>is_recorded</c> is true,
    /// <c>owner_of</c> names an owner). A view that reverts (an ERC-721 <c>owner_of</c> of a token that does not exist)
    /// answers false.</summary>
    ValueTask<bool> IsDoneAsync(ChainCall view, CancellationToken cancellationToken);

    /// <summary>
    /// The signed transaction for <paramref name="purpose"/>: the one persisted earlier if there is one, otherwise a new
    /// one (next nonce, fee estimated with the configured margin, signed, persisted, then returned). With
    /// <paramref name="replaces"/>, a persisted transaction with that hash is dead (refused, or its nonce used by another
    /// transaction) and a new one takes its place; if the persisted one is already another, that one is returned.
    /// </summary>
    ValueTask<SignedInvoke> PrepareAsync(string purpose, IReadOnlyList<ChainCall> calls, string? replaces, CancellationToken cancellationToken);

    /// <summary>Sends the signed transaction. Sending it again is safe: the same transaction cannot run twice.</summary>
    ValueTask<SubmitResult> SubmitAsync(SignedInvoke transaction, CancellationToken cancellationToken);

    /// <summary>Where the transaction is: unknown to the node, waiting, accepted or reverted in a block, or dead (its
    /// nonce was used by another transaction, so it can never run).</summary>
    ValueTask<TransactionCheck> CheckAsync(SignedInvoke transaction, CancellationToken cancellationToken);
}

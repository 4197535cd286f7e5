using System.Text.Json;

namespace AstraTrade.Application.Ports;

/// <summary>
/// What sign-in with Starknet needs from the chain's cryptography and from a node. The application layer depends on the
/// domain only (ARCHITECTURE.md §1), so the Starknet projects (field arithmetic, SNIP-12, the JSON-RPC client) stay
/// behind this port; the adapter lives in Infrastructure/Starknet. Felts cross the port as canonical hex strings
/// ("0x", lowercase, no leading zeros), which is also how they are stored and compared.
/// </summary>
public interface IStarknetSignatures
{
    /// <summary>The canonical form of a felt given as "0x" hex (any case, leading zeros allowed), or null when it is not
    /// hex or not below the field prime.</summary>
    string? NormalizeFelt(string? text);

    /// <summary>The SNIP-12 revision 1 typed data of a sign-in challenge, as a wallet's signTypedData takes it, and the
    /// message hash the account signs.</summary>
    SignInTypedData DescribeChallenge(SignInMessage message);

    /// <summary>
    /// Whether <paramref name="signature"/> is the account's signature of <paramref name="messageHash"/>: checked locally
    /// when the account's key is registered in configuration, otherwise by the account contract itself
    /// (<c>is_valid_signature</c> through <c>starknet_call</c>).
    /// </summary>
    ValueTask<SignatureVerdict> VerifyAsync(string address, string messageHash, IReadOnlyList<string> signature, CancellationToken cancellationToken);
}

/// <summary>The values of a challenge; every felt canonical.</summary>
public sealed record SignInMessage(string ChainId, string Address, string Nonce, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

public sealed record SignInTypedData(JsonElement TypedData, string MessageHash);

public enum SignatureOutcome
{
    Valid,

    /// <summary>The signature does not verify, or the account refused it.</summary>
    Invalid,

    /// <summary>Nothing can decide: no key registered and no node configured, or the node cannot be reached.</summary>
    Unavailable,
}

/// <param name="Reason">Why, for the problem detail when the outcome is not <see cref="SignatureOutcome.Valid"/>.</param>
public sealed record SignatureVerdict(SignatureOutcome Outcome, string Reason)
{
    public static SignatureVerdict Valid(string how) => new(SignatureOutcome.Valid, how);

    public static SignatureVerdict Invalid(string reason) => new(SignatureOutcome.Invalid, reason);

    public static SignatureVerdict Unavailable(string reason) => new(SignatureOutcome.Unavailable, reason);
}

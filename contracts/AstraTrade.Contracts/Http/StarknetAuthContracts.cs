using System.Text.Json;

namespace AstraTrade.Contracts.Http;

/// <param name="Address">The Starknet account address, "0x" hex.</param>
public sealed record StarknetChallengeRequest(string Address);

/// <param name="Nonce">Identifies the challenge; send it back with the signature.</param>
/// <param name="TypedData">SNIP-12 revision 1 typed data (types, primaryType, domain, message), as signTypedData takes it.</param>
/// <param name="MessageHash">The hash the account signs (for clients that sign a hash rather than typed data).</param>
public sealed record StarknetChallengeResponse(
    string Address, string Nonce, JsonElement TypedData, string MessageHash, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <param name="Signature">The account's signature as felts, "0x" hex: [r, s] for a plain Stark-key account; some
/// wallets send more elements, which are passed to the account as they are.</param>
public sealed record StarknetVerifyRequest(string Address, string Nonce, IReadOnlyList<string> Signature);

public sealed record StarknetWalletResponse(Guid UserId, string Address, DateTimeOffset LinkedAt);

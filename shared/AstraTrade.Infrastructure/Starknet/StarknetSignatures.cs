using System.Text.Json;
using System.Text.Json.Nodes;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Users;
using AstraTrade.Starknet;
using AstraTrade.Starknet.Rpc;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Infrastructure.Starknet;

/// <summary>
/// The sign-in port over the project's own Starknet layer: SNIP-12 revision 1 for the challenge, STARK ECDSA for
/// accounts whose key the operator registered, and the account contract's SRC-6 <c>is_valid_signature</c> through a node
/// for every other account (which is the only check that is right for any account: Argent, Braavos, multisig,
/// passkey accounts each define their own signature scheme, and keys rotate).
/// </summary>
public sealed class StarknetSignatures : IStarknetSignatures
{
    /// <summary>The SNIP-12 statement every challenge carries, shown by wallets that display typed data.</summary>
    public const string Statement = "Sign in to AstraTrade";

    /// <summary>What SRC-6 accounts return for a valid signature: the short string "VALID".</summary>
    public static readonly Felt Valid = ShortString.Encode("VALID");

    private static readonly Felt IsValidSignature = Selectors.GetSelectorFromName("is_valid_signature");

    private readonly StarknetRpcClient? _rpc;
    private readonly Dictionary<Felt, Felt> _keys = [];
    private readonly ILogger<StarknetSignatures> _logger;

    public StarknetSignatures(StarknetOptions options, HttpClient http, ILogger<StarknetSignatures> logger, TimeProvider time)
    {
        _logger = logger;
        if (!string.IsNullOrWhiteSpace(options.RpcUrl))
        {
            _rpc = new StarknetRpcClient(http, new Uri(options.RpcUrl, UriKind.Absolute), timeProvider: time);
        }

        foreach (var (address, key) in options.AccountKeys)
        {
            // A wrong entry is an operator's mistake: refuse to start rather than let that account never sign in.
            if (!TryParse(address, out var account) || !TryParse(key, out var starkKey))
            {
                throw new InvalidOperationException($"Starknet:AccountKeys: '{address}' → '{key}' is not an address and a key in \"0x\" hex.");
            }

            _keys[account] = starkKey;
        }

        _ = ShortString.Encode(options.ChainId); // a chain id that is not a short string fails here, at start-up
    }

    public string? NormalizeFelt(string? text) => TryParse(text, out var felt) ? felt.ToHexString() : null;

    public SignInTypedData DescribeChallenge(SignInMessage message)
    {
        var json = new JsonObject
        {
            ["types"] = new JsonObject
            {
                [TypedData.DomainTypeName] = Members(("name", "shortstring"), ("version", "shortstring"), ("chainId", "shortstring"), ("revision", "shortstring")),
                ["SignIn"] = Members(
                    ("address", "ContractAddress"), ("nonce", "felt"), ("issuedAt", "timestamp"), ("expiresAt", "timestamp"), ("statement", "shortstring")),
            },
            ["primaryType"] = "SignIn",
            ["domain"] = new JsonObject { ["name"] = "AstraTrade", ["version"] = "1", ["chainId"] = message.ChainId, ["revision"] = "1" },
            ["message"] = new JsonObject
            {
                ["address"] = message.Address,
                ["nonce"] = message.Nonce,
                ["issuedAt"] = message.IssuedAt.ToUnixTimeSeconds(),
                ["expiresAt"] = message.ExpiresAt.ToUnixTimeSeconds(),
                ["statement"] = Statement,
            },
        };
        var element = JsonSerializer.SerializeToElement(json);
        var hash = TypedData.FromJson(element).GetMessageHash(Felt.Parse(message.Address));
        return new SignInTypedData(element, hash.ToHexString());
    }

    public async ValueTask<SignatureVerdict> VerifyAsync(string address, string messageHash, IReadOnlyList<string> signature, CancellationToken cancellationToken)
    {
        var account = Felt.Parse(address);
        var hash = Felt.Parse(messageHash);
        var felts = signature.Select(Felt.Parse).ToArray();
        if (felts.Length < 2)
        {
            return SignatureVerdict.Invalid("a signature has at least r and s");
        }

        if (_keys.TryGetValue(account, out var starkKey))
        {
            // A registered account is a plain Stark-key account: its signature is (r, s); wallets that append more
            // elements put them after these.
            return StarkEcdsa.Verify(hash, new StarkSignature(felts[0], felts[1]), starkKey)
                ? SignatureVerdict.Valid("registered key")
                : SignatureVerdict.Invalid("it does not verify against the account's registered key");
        }

        if (_rpc is null)
        {
            return SignatureVerdict.Unavailable("no Starknet node is configured (Starknet:RpcUrl) and the account's key is not registered");
        }

        // is_valid_signature(hash: felt252, signature: Array<felt252>): the array is its length, then its elements.
        Felt[] calldata = [hash, Felt.FromUInt64((ulong)felts.Length), .. felts];
        try
        {
            var result = await _rpc.CallAsync(new FunctionCall(account, IsValidSignature, calldata), BlockId.Latest, cancellationToken);

            // SRC-6 returns 'VALID'; accounts from before SRC-6 returned 1 (true).
            return result.Count > 0 && (result[0] == Valid || result[0] == Felt.One)
                ? SignatureVerdict.Valid("the account")
                : SignatureVerdict.Invalid("the account answered that it is not valid");
        }
        catch (ContractNotFoundException)
        {
            return SignatureVerdict.Invalid("no account is deployed at this address");
        }
        catch (ContractEntryPointNotFoundException)
        {
            return SignatureVerdict.Invalid("the contract at this address is not an account (no is_valid_signature)");
        }
        catch (ContractErrorException e)
        {
            // Most accounts (Argent, OpenZeppelin's assertions) revert on a bad signature rather than return 0.
            _logger.LogInformation("is_valid_signature of {Address} reverted: {Revert}", address, e.DataText);
            return SignatureVerdict.Invalid("the account rejected it");
        }
        catch (Exception e) when (e is StarknetRpcException or StarknetRpcTransportException or StarknetRpcProtocolException)
        {
            _logger.LogWarning(e, "Could not ask the Starknet node to verify a signature of {Address}", address);
            return SignatureVerdict.Unavailable("the Starknet node did not answer usably");
        }
    }

    /// <summary>"0x" hex only (decimal would make "10" and "0x10" two spellings of different numbers), at most 64 digits
    /// after leading zeros are allowed for, below the field prime.</summary>
    private static bool TryParse(string? text, out Felt felt)
    {
        felt = Felt.Zero;
        if (text is null || text.Length is < 3 or > 66 || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var ch in text.AsSpan(2))
        {
            if (!char.IsAsciiHexDigit(ch))
            {
                return false;
            }
        }

        return Felt.TryParse("0x" + text[2..], out felt);
    }

    private static JsonArray Members(params (string Name, string Type)[] members) =>
        [.. members.Select(m => (JsonNode)new JsonObject { ["name"] = m.Name, ["type"] = m.Type })];
}

using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Users;

/// <summary>
/// Sign in with Starknet (DOMAIN.md §4, docs/starknet.md): the server issues a single-use SNIP-12 challenge for an
/// address, the account signs it, and a valid signature signs the wallet's user in (created on first use) or links the
/// wallet to the signed-in user. The message hash is always recomputed from the stored challenge, never from anything
/// the client sends back.
/// </summary>
public sealed class StarknetSignIn(
    IStarknetSignatures starknet,
    IDocumentStore documents,
    UserDirectory users,
    AccessTokens accessTokens,
    RefreshTokens refreshTokens,
    StarknetOptions options,
    TimeProvider time)
{
    private const string Challenges = "starknet-challenges";
    private const string Wallets = "starknet-wallets";

    /// <summary>Far more than any account's signature (Argent's multisig guardians send a handful); a bound so a
    /// client cannot make the node call arbitrarily large.</summary>
    private const int MaxSignatureLength = 32;

    /// <summary>A password hash no password verifies (it is not in PasswordHasher's format), so a user created by a
    /// wallet has no password until one is set. It names the wallet, which tells this user apart from one registered
    /// with a password under the same username (see <see cref="SignInAsync"/>).</summary>
    private static string WalletOnlyPasswordHash(string address) => "starknet-wallet$" + address;

    public async ValueTask<Result<StarknetChallengeResponse>> ChallengeAsync(string address, CancellationToken cancellationToken)
    {
        if (starknet.NormalizeFelt(address) is not { } account)
        {
            return StarknetSignInErrors.InvalidAddress();
        }

        // 128 random bits: unguessable, and short enough for a felt.
        var nonce = starknet.NormalizeFelt("0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))!;

        // SNIP-12 timestamps are whole seconds; the stored values are the signed values.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var expiresAt = issuedAt + TimeSpan.FromSeconds(Math.Max(1, (long)options.ChallengeLifetime.TotalSeconds));
        var challenge = new ChallengeRecord(account, options.ChainId, issuedAt, expiresAt, null);
        var described = starknet.DescribeChallenge(challenge.Message(nonce));
        await documents.PutAsync(Challenges, nonce, Serialize(challenge), Precondition.IfAbsent, cancellationToken);
        return new StarknetChallengeResponse(account, nonce, described.TypedData, described.MessageHash, issuedAt, expiresAt);
    }

    /// <summary>Signs in the wallet's user; a wallet seen for the first time gets a new user.</summary>
    public async ValueTask<Result<TokenResponse>> SignInAsync(StarknetVerifyRequest request, CancellationToken cancellationToken)
    {
        var proven = await ProveAsync(request, cancellationToken);
        if (proven.Error is { } refused)
        {
            return refused;
        }

        var account = proven.Value;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var stored = await documents.GetAsync(Wallets, account, cancellationToken);
            string etag;
            WalletLink link;
            if (stored is null)
            {
                // The link is claimed before the user is created, so two first sign-ins with one wallet make one user.
                var username = await PickUsernameAsync(account, cancellationToken);
                link = new WalletLink(Username.UserIdFor(username), username, CreatedUser: true, time.GetUtcNow());
                try
                {
                    etag = await documents.PutAsync(Wallets, account, Serialize(link), Precondition.IfAbsent, cancellationToken);
                }
                catch (PreconditionFailedException)
                {
                    continue; // another sign-in with this wallet claimed it first: use its link
                }
            }
            else
            {
                link = Deserialize(stored.Body.Span, StarknetJsonContext.Default.WalletLink);
                etag = stored.ETag;
            }

            var user = await users.GetAsync(link.UserId, cancellationToken);
            if (link.CreatedUser)
            {
                if (!user.IsRegistered)
                {
                    // Also completes a claim whose user creation never happened (a crash between the two writes).
                    var register = new RegisterUser(link.Username, WalletOnlyPasswordHash(account), UserRole.User, time.GetUtcNow());
                    var created = await users.Repository.ExecuteAsync(StreamIds.User(link.UserId), s => User.Decide(s, register), cancellationToken);
                    user = created.IsSuccess ? created.Value.State : await users.GetAsync(link.UserId, cancellationToken);
                }

                if (!user.IsRegistered || user.PasswordHash != WalletOnlyPasswordHash(account))
                {
                    // Someone registered the chosen username with a password between the claim and the creation: that user
                    // is not this wallet's. Drop the claim and choose another name.
                    await DeleteQuietlyAsync(account, etag, cancellationToken);
                    continue;
                }
            }
            else if (!user.IsRegistered)
            {
                return UserErrors.UserNotFound();
            }

            return await IssueAsync(user, cancellationToken);
        }

        return ApplicationErrors.Busy();
    }

    /// <summary>Links the wallet to <paramref name="userId"/> (from the caller's token); idempotent for the same user.</summary>
    public async ValueTask<Result<StarknetWalletResponse>> LinkAsync(Guid userId, StarknetVerifyRequest request, CancellationToken cancellationToken)
    {
        var proven = await ProveAsync(request, cancellationToken);
        if (proven.Error is { } refused)
        {
            return refused;
        }

        var account = proven.Value;
        var user = await users.GetAsync(userId, cancellationToken);
        if (!user.IsRegistered)
        {
            return UserErrors.UserNotFound();
        }

        var link = new WalletLink(userId, user.Username, CreatedUser: false, time.GetUtcNow());
        try
        {
            await documents.PutAsync(Wallets, account, Serialize(link), Precondition.IfAbsent, cancellationToken);
            return new StarknetWalletResponse(userId, account, link.LinkedAt);
        }
        catch (PreconditionFailedException)
        {
            var existing = await documents.GetAsync(Wallets, account, cancellationToken);
            return existing is not null && Deserialize(existing.Body.Span, StarknetJsonContext.Default.WalletLink) is var current && current.UserId == userId
                ? new StarknetWalletResponse(userId, account, current.LinkedAt)
                : StarknetSignInErrors.WalletLinkedElsewhere();
        }
    }

    /// <summary>
    /// Checks the request against its stored challenge and the account, then consumes the challenge. The challenge is
    /// consumed only after the signature verified (a wrong signature cannot burn someone else's challenge) and with the
    /// ETag it was read with, so of two concurrent requests with one challenge exactly one gets through.
    /// </summary>
    private async ValueTask<Result<string>> ProveAsync(StarknetVerifyRequest request, CancellationToken cancellationToken)
    {
        if (starknet.NormalizeFelt(request.Address) is not { } account)
        {
            return StarknetSignInErrors.InvalidAddress();
        }

        if (request.Signature.Count is < 2 or > MaxSignatureLength)
        {
            return StarknetSignInErrors.MalformedSignature($"must have 2 to {MaxSignatureLength} felts");
        }

        var signature = new List<string>(request.Signature.Count);
        foreach (var element in request.Signature)
        {
            if (starknet.NormalizeFelt(element) is not { } felt)
            {
                return StarknetSignInErrors.MalformedSignature("must be felts in \"0x\" hex below the field prime");
            }

            signature.Add(felt);
        }

        // A nonce is opaque to the client: one that is not even a felt is simply not a challenge this server issued.
        var nonce = starknet.NormalizeFelt(request.Nonce);
        var stored = nonce is null ? null : await documents.GetAsync(Challenges, nonce, cancellationToken);
        if (stored is null)
        {
            return StarknetSignInErrors.ChallengeNotFound();
        }

        var challenge = Deserialize(stored.Body.Span, StarknetJsonContext.Default.ChallengeRecord);
        if (challenge.Address != account)
        {
            return StarknetSignInErrors.ChallengeForAnotherAddress();
        }

        if (challenge.UsedAt is not null)
        {
            return StarknetSignInErrors.ChallengeUsed();
        }

        var now = time.GetUtcNow();
        if (now >= challenge.ExpiresAt)
        {
            return StarknetSignInErrors.ChallengeExpired();
        }

        var hash = starknet.DescribeChallenge(challenge.Message(nonce!)).MessageHash;
        var verdict = await starknet.VerifyAsync(account, hash, signature, cancellationToken);
        switch (verdict.Outcome)
        {
            case SignatureOutcome.Invalid:
                return StarknetSignInErrors.InvalidSignature(verdict.Reason);
            case SignatureOutcome.Unavailable:
                return StarknetSignInErrors.VerificationUnavailable(verdict.Reason);
        }

        try
        {
            await documents.PutAsync(Challenges, nonce!, Serialize(challenge with { UsedAt = now }), Precondition.IfMatch(stored.ETag), cancellationToken);
        }
        catch (PreconditionFailedException)
        {
            return StarknetSignInErrors.ChallengeUsed(); // a concurrent request with the same challenge won
        }

        return account;
    }

    /// <summary>"stark_" and the address's leading hex digits (letters, digits and '_' fit the username rules); longer
    /// when that name is taken, and with a random tail in the unlikely case both are.</summary>
    private async ValueTask<string> PickUsernameAsync(string address, CancellationToken cancellationToken)
    {
        var hex = address[2..];
        string[] candidates =
        [
            "stark_" + hex[..Math.Min(12, hex.Length)],
            "stark_" + hex[..Math.Min(24, hex.Length)],
        ];
        foreach (var candidate in candidates)
        {
            if (!(await users.GetAsync(Username.UserIdFor(candidate), cancellationToken)).IsRegistered)
            {
                return candidate;
            }
        }

        return "stark_" + hex[..Math.Min(12, hex.Length)] + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }

    private async ValueTask DeleteQuietlyAsync(string address, string etag, CancellationToken cancellationToken)
    {
        try
        {
            await documents.DeleteAsync(Wallets, address, Precondition.IfMatch(etag), cancellationToken);
        }
        catch (PreconditionFailedException)
        {
            // Changed meanwhile: the next attempt reads whatever it is now.
        }
    }

    // The same tokens AuthService issues for a password sign-in.
    private async ValueTask<TokenResponse> IssueAsync(UserState user, CancellationToken cancellationToken)
    {
        var (access, expiresAt) = accessTokens.Issue(user.UserId, user.Username, user.Role);
        var refresh = await refreshTokens.IssueAsync(user.UserId, null, cancellationToken);
        return new TokenResponse(user.UserId, access, refresh, (int)(expiresAt - time.GetUtcNow()).TotalSeconds, "Bearer");
    }

    private static byte[] Serialize(ChallengeRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, StarknetJsonContext.Default.ChallengeRecord);

    private static byte[] Serialize(WalletLink link) => JsonSerializer.SerializeToUtf8Bytes(link, StarknetJsonContext.Default.WalletLink);

    private static T Deserialize<T>(ReadOnlySpan<byte> body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(body, type) ?? throw new InvalidDataException($"An empty {typeof(T).Name} document.");

    /// <summary>A challenge as issued; the chain id is kept so that a configuration change does not alter the hash of
    /// challenges already out.</summary>
    internal sealed record ChallengeRecord(string Address, string ChainId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt)
    {
        public SignInMessage Message(string nonce) => new(ChainId, Address, nonce, IssuedAt, ExpiresAt);
    }

    /// <param name="CreatedUser">The wallet's first sign-in created the user (rather than a signed-in user linking it).</param>
    internal sealed record WalletLink(Guid UserId, string Username, bool CreatedUser, DateTimeOffset LinkedAt);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StarknetSignIn.ChallengeRecord))]
[JsonSerializable(typeof(StarknetSignIn.WalletLink))]
internal sealed partial class StarknetJsonContext : JsonSerializerContext;

using System.Numerics;
using System.Security.Cryptography;
using AstraTrade.Starknet;
using AstraTrade.Testing;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>A Starknet account for the tests: a random address and a random Stark key.</summary>
public sealed record Wallet(Felt Address, StarkSigner Signer)
{
    public string Hex => Address.ToHexString();

    public static Wallet Random() => new(
        Felt.FromBytesBigEndian(RandomNumberGenerator.GetBytes(31)),
        new StarkSigner(new BigInteger(RandomNumberGenerator.GetBytes(31), isUnsigned: true, isBigEndian: true) + 1));
}

/// <summary>An app on a manual clock that verifies through <see cref="FakeAccountNode"/>, with one account whose key
/// is registered in configuration (verified locally; the node does not know it).</summary>
public sealed class StarknetFixture : AppFixture, IDisposable
{
    public static readonly Wallet Registered = new(Felt.Parse("0x0ab5c0ffee"), new StarkSigner(BigInteger.Parse("123456789123456789123456789")));

    public StarknetFixture() => Node = FakeAccountNode.StartAsync().GetAwaiter().GetResult();

    public FakeAccountNode Node { get; }

    protected override AppOptions Options => new()
    {
        ScriptedMarket = true,
        Clock = new ManualTimeProvider(),
        Settings = new Dictionary<string, string?>
        {
            ["Starknet:RpcUrl"] = Node.Url,
            ["Starknet:ChainId"] = "SN_SEPOLIA",
            ["Starknet:ChallengeLifetime"] = "00:05:00",
            [$"Starknet:AccountKeys:{Registered.Hex}"] = Registered.Signer.StarkKey.ToHexString(),
        },
    };

    public void Dispose() => Node.DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>Sign in with Starknet: SNIP-12 challenges, verification by the account (through a node) or by a registered
/// key, single use, expiry, wallet users and linking (DOMAIN.md §4, docs/starknet.md).</summary>
public sealed class StarknetSignInTests(StarknetFixture fixture) : AppTests<StarknetFixture>(fixture)
{
    private readonly FakeAccountNode _node = fixture.Node;

    private FakeAccountNode Node => _node;

    [Fact]
    public async Task The_challenge_is_snip12_typed_data_whose_hash_the_wallet_computes_itself()
    {
        var wallet = Wallet.Random();
        var now = App.Clock!.GetUtcNow();

        // Wallets often send the 64-digit padded form, some in upper case.
        var challenge = await ChallengeAsync("0x" + wallet.Address.ToPaddedHexString()[2..].ToUpperInvariant());

        Assert.Equal(wallet.Hex, challenge.Address); // lower case, leading zeros gone
        var typed = challenge.TypedData;
        Assert.Equal("SignIn", typed.GetProperty("primaryType").GetString());
        var domain = typed.GetProperty("domain");
        Assert.Equal("AstraTrade", domain.GetProperty("name").GetString());
        Assert.Equal("1", domain.GetProperty("version").GetString());
        Assert.Equal("SN_SEPOLIA", domain.GetProperty("chainId").GetString());
        Assert.Equal("1", domain.GetProperty("revision").GetString());
        var message = typed.GetProperty("message");
        Assert.Equal(wallet.Hex, message.GetProperty("address").GetString());
        Assert.Equal(challenge.Nonce, message.GetProperty("nonce").GetString());
        Assert.Equal(now.ToUnixTimeSeconds(), message.GetProperty("issuedAt").GetInt64());
        Assert.Equal(now.ToUnixTimeSeconds() + 300, message.GetProperty("expiresAt").GetInt64());
        Assert.Equal(challenge.IssuedAt + TimeSpan.FromMinutes(5), challenge.ExpiresAt);

        // What a wallet signs: the message hash of exactly this document for this account.
        Assert.Equal(TypedData.FromJson(typed).GetMessageHash(wallet.Address).ToHexString(), challenge.MessageHash);

        var another = await ChallengeAsync(wallet.Hex);
        Assert.NotEqual(challenge.Nonce, another.Nonce);
        Assert.NotEqual(challenge.MessageHash, another.MessageHash);
    }

    [Fact]
    public async Task A_new_wallet_signs_in_through_its_account_contract_and_gets_a_user_it_signs_in_to_again()
    {
        var wallet = NodeWallet();

        var tokens = await Api.ReadAsync<TokenResponse>(await VerifyAsync(wallet, await ChallengeAsync(wallet.Hex)));

        Assert.Equal(1, Node.CallsFor(wallet.Address));
        Assert.Equal(900, tokens.ExpiresIn);
        using var client = App.WithToken(tokens.AccessToken);
        var me = await Api.ReadAsync<MeResponse>(await client.GetAsync("/api/v1/me"));
        Assert.Equal("stark_" + wallet.Hex[2..14], me.Username);
        Assert.Equal(tokens.UserId, me.UserId);

        var again = await Api.ReadAsync<TokenResponse>(await VerifyAsync(wallet, await ChallengeAsync(wallet.Hex)));
        Assert.Equal(tokens.UserId, again.UserId);
        Assert.Equal(2, Node.CallsFor(wallet.Address));

        // A wallet user has no password: logging in with any password fails.
        using var anonymous = App.Anonymous();
        await Api.ProblemAsync(
            await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = me.Username, password = "starknet-wallet$" + wallet.Hex }),
            HttpStatusCode.Unauthorized, "invalid-credentials");
    }

    [Fact]
    public async Task An_account_answering_1_as_before_SRC6_is_accepted()
    {
        var wallet = NodeWallet();
        Node.Legacy[wallet.Address] = true;

        await Api.ReadAsync<TokenResponse>(await VerifyAsync(wallet, await ChallengeAsync(wallet.Hex)));
    }

    [Fact]
    public async Task Extra_signature_elements_go_to_the_account_as_they_are()
    {
        var wallet = NodeWallet();
        var challenge = await ChallengeAsync(wallet.Hex);
        var signature = Sign(wallet, challenge);

        // The fake checks the array length it receives against the elements, so a dropped or miscounted element fails.
        var response = await PostVerifyAsync(new { address = wallet.Hex, nonce = challenge.Nonce, signature = (string[])[.. signature, "0x1", "0x2"] });

        await Api.ReadAsync<TokenResponse>(response);
    }

    [Fact]
    public async Task An_account_with_a_registered_key_is_verified_locally_without_the_node()
    {
        var wallet = StarknetFixture.Registered;

        var tokens = await Api.ReadAsync<TokenResponse>(await VerifyAsync(wallet, await ChallengeAsync(wallet.Hex)));

        Assert.Equal(0, Node.CallsFor(wallet.Address)); // the node does not know this account: it would have refused
        var impostor = new Wallet(wallet.Address, Wallet.Random().Signer);
        await Api.ProblemAsync(await VerifyAsync(impostor, await ChallengeAsync(wallet.Hex)), HttpStatusCode.Unauthorized, "invalid-signature");
        Assert.NotEqual(Guid.Empty, tokens.UserId);
    }

    [Fact]
    public async Task A_challenge_signs_in_once()
    {
        var wallet = NodeWallet();
        var challenge = await ChallengeAsync(wallet.Hex);
        await Api.ReadAsync<TokenResponse>(await VerifyAsync(wallet, challenge));

        await Api.ProblemAsync(await VerifyAsync(wallet, challenge), HttpStatusCode.Unauthorized, "challenge-used");
    }

    [Fact]
    public async Task Concurrent_requests_with_one_challenge_let_exactly_one_through()
    {
        var wallet = NodeWallet();
        var challenge = await ChallengeAsync(wallet.Hex);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => VerifyAsync(wallet, challenge)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await Api.ProblemAsync(refused, HttpStatusCode.Unauthorized, "challenge-used");
        }
    }

    [Fact]
    public async Task A_challenge_expires_after_its_lifetime()
    {
        var wallet = NodeWallet();
        var challenge = await ChallengeAsync(wallet.Hex);

        App.Clock!.Advance(TimeSpan.FromMinutes(5));

        await Api.ProblemAsync(await VerifyAsync(wallet, challenge), HttpStatusCode.Unauthorized, "challenge-expired");
        Assert.Equal(0, Node.CallsFor(wallet.Address));
    }

    [Fact]
    public async Task A_challenge_issued_for_another_address_or_signed_by_another_account_is_refused()
    {
        var victim = NodeWallet();
        var attacker = NodeWallet();
        var challenge = await ChallengeAsync(victim.Hex);

        // The attacker presents the victim's challenge as their own…
        var signedByAttacker = Sign(attacker, challenge);
        await Api.ProblemAsync(
            await PostVerifyAsync(new { address = attacker.Hex, nonce = challenge.Nonce, signature = signedByAttacker }),
            HttpStatusCode.Unauthorized, "challenge-address-mismatch");

        // …or signs it and claims to be the victim: the victim's account refuses the signature.
        await Api.ProblemAsync(
            await PostVerifyAsync(new { address = victim.Hex, nonce = challenge.Nonce, signature = signedByAttacker }),
            HttpStatusCode.Unauthorized, "invalid-signature");

        // Neither consumed it: the victim still signs in with it.
        await Api.ReadAsync<TokenResponse>(await VerifyAsync(victim, challenge));
    }

    [Fact]
    public async Task An_unknown_challenge_is_refused()
    {
        var wallet = NodeWallet();
        var signature = new[] { "0x1", "0x2" };

        await Api.ProblemAsync(
            await PostVerifyAsync(new { address = wallet.Hex, nonce = "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), signature }),
            HttpStatusCode.Unauthorized, "challenge-not-found");
        await Api.ProblemAsync(
            await PostVerifyAsync(new { address = wallet.Hex, nonce = "not-a-nonce", signature }), HttpStatusCode.Unauthorized, "challenge-not-found");
    }

    public static readonly TheoryData<string> MalformedAddresses =
    [
        "",
        "0x",
        "abc",
        "123",
        "0xzz",
        "0x 1",
        "0x800000000000011000000000000000000000000000000000000000000000001", // the field prime
        "0x" + new string('f', 64),
        "0x" + new string('0', 65) + "1",
    ];

    [Theory]
    [MemberData(nameof(MalformedAddresses))]
    public async Task A_malformed_address_is_400(string address)
    {
        using var anonymous = App.Anonymous();
        await Api.ProblemAsync(
            await anonymous.PostAsJsonAsync("/api/v1/auth/starknet/challenge", new { address }), HttpStatusCode.BadRequest, "invalid-starknet-address");
        await Api.ProblemAsync(
            await PostVerifyAsync(new { address, nonce = "0x1", signature = new[] { "0x1", "0x2" } }), HttpStatusCode.BadRequest, "invalid-starknet-address");
    }

    [Fact]
    public async Task A_malformed_signature_is_400_and_does_not_use_the_challenge()
    {
        var wallet = NodeWallet();
        var challenge = await ChallengeAsync(wallet.Hex);
        string[][] malformed =
        [
            [],
            ["0x1"],
            ["0x1", "xyz"],
            ["0x1", "12"],
            ["0x1", "0x800000000000011000000000000000000000000000000000000000000000001"],
            [.. Enumerable.Repeat("0x1", 33)],
        ];

        foreach (var signature in malformed)
        {
            await Api.ProblemAsync(
                await PostVerifyAsync(new { address = wallet.Hex, nonce = challenge.Nonce, signature }), HttpStatusCode.BadRequest, "malformed-signature");
        }

        using var anonymous = App.Anonymous();
        await Api.ProblemAsync(
            await anonymous.SendAsync(Api.Raw(HttpMethod.Post, "/api/v1/auth/starknet/verify", $$"""{"address":"{{wallet.Hex}}","nonce":"{{challenge.Nonce}}","signature":"0x1"}""")),
            HttpStatusCode.BadRequest, "malformed-request");
        Assert.Equal(0, Node.CallsFor(wallet.Address));
        await Api.ReadAsync<TokenResponse>(await VerifyAsync(wallet, challenge));
    }

    [Fact]
    public async Task A_signed_in_user_links_a_wallet_which_then_signs_in_to_that_user()
    {
        var user = await App.RegisterAsync("linker");
        var wallet = NodeWallet();
        var challenge = await ChallengeAsync(wallet.Hex);

        var linked = await Api.ReadAsync<StarknetWalletResponse>(
            await user.Http.PostAsJsonAsync("/api/v1/auth/starknet/link", VerifyBody(wallet, challenge)));

        Assert.Equal(new StarknetWalletResponse(user.Id, wallet.Hex, App.Clock!.GetUtcNow()), linked);
        var tokens = await Api.ReadAsync<TokenResponse>(await VerifyAsync(wallet, await ChallengeAsync(wallet.Hex)));
        Assert.Equal(user.Id, tokens.UserId);
        using var client = App.WithToken(tokens.AccessToken);
        Assert.Equal(user.Username, (await Api.ReadAsync<MeResponse>(await client.GetAsync("/api/v1/me"))).Username);

        // Linking again to the same user is a no-op.
        var relinked = await Api.ReadAsync<StarknetWalletResponse>(
            await user.Http.PostAsJsonAsync("/api/v1/auth/starknet/link", VerifyBody(wallet, await ChallengeAsync(wallet.Hex))));
        Assert.Equal(linked, relinked);
    }

    [Fact]
    public async Task A_wallet_linked_to_another_user_cannot_be_linked_again()
    {
        var first = await App.RegisterAsync("first");
        var second = await App.RegisterAsync("second");
        var wallet = NodeWallet();
        await Api.ReadAsync<StarknetWalletResponse>(
            await first.Http.PostAsJsonAsync("/api/v1/auth/starknet/link", VerifyBody(wallet, await ChallengeAsync(wallet.Hex))));

        await Api.ProblemAsync(
            await second.Http.PostAsJsonAsync("/api/v1/auth/starknet/link", VerifyBody(wallet, await ChallengeAsync(wallet.Hex))),
            HttpStatusCode.Conflict, "wallet-linked-elsewhere");

        // Nor can a wallet that created its own user on first sign-in.
        var walletUser = NodeWallet();
        await Api.ReadAsync<TokenResponse>(await VerifyAsync(walletUser, await ChallengeAsync(walletUser.Hex)));
        await Api.ProblemAsync(
            await second.Http.PostAsJsonAsync("/api/v1/auth/starknet/link", VerifyBody(walletUser, await ChallengeAsync(walletUser.Hex))),
            HttpStatusCode.Conflict, "wallet-linked-elsewhere");
    }

    [Fact]
    public async Task Linking_needs_a_signed_in_user()
    {
        var wallet = NodeWallet();
        using var anonymous = App.Anonymous();

        await Api.ProblemAsync(
            await anonymous.PostAsJsonAsync("/api/v1/auth/starknet/link", VerifyBody(wallet, await ChallengeAsync(wallet.Hex))),
            HttpStatusCode.Unauthorized, "unauthorized");
    }

    private Wallet NodeWallet()
    {
        var wallet = Wallet.Random();
        Node.Accounts[wallet.Address] = wallet.Signer.StarkKey;
        return wallet;
    }

    private async Task<StarknetChallengeResponse> ChallengeAsync(string address)
    {
        using var anonymous = App.Anonymous();
        return await Api.ReadAsync<StarknetChallengeResponse>(await anonymous.PostAsJsonAsync("/api/v1/auth/starknet/challenge", new { address }));
    }

    /// <summary>Signs the hash the test computes from the typed data, not the hash the server sent.</summary>
    private static string[] Sign(Wallet wallet, StarknetChallengeResponse challenge)
    {
        var signature = wallet.Signer.Sign(TypedData.FromJson(challenge.TypedData).GetMessageHash(wallet.Address));
        return [signature.R.ToHexString(), signature.S.ToHexString()];
    }

    private static object VerifyBody(Wallet wallet, StarknetChallengeResponse challenge) =>
        new { address = wallet.Hex, nonce = challenge.Nonce, signature = Sign(wallet, challenge) };

    private Task<HttpResponseMessage> VerifyAsync(Wallet wallet, StarknetChallengeResponse challenge) => PostVerifyAsync(VerifyBody(wallet, challenge));

    private async Task<HttpResponseMessage> PostVerifyAsync(object body)
    {
        using var anonymous = App.Anonymous();
        return await anonymous.PostAsJsonAsync("/api/v1/auth/starknet/verify", body);
    }
}

/// <summary>No node and no registered key: nothing can verify, and the app says so rather than accepting.</summary>
public sealed class StarknetWithoutNodeFixture : AppFixture
{
    protected override AppOptions Options => new() { ScriptedMarket = true };
}

public sealed class StarknetWithoutNodeTests(StarknetWithoutNodeFixture fixture) : AppTests<StarknetWithoutNodeFixture>(fixture)
{
    [Fact]
    public async Task Verification_is_unavailable_and_the_challenge_stays_usable()
    {
        var wallet = Wallet.Random();
        using var anonymous = App.Anonymous();
        var challenge = await Api.ReadAsync<StarknetChallengeResponse>(
            await anonymous.PostAsJsonAsync("/api/v1/auth/starknet/challenge", new { address = wallet.Hex }));
        var signature = wallet.Signer.Sign(Felt.Parse(challenge.MessageHash));

        var response = await anonymous.PostAsJsonAsync(
            "/api/v1/auth/starknet/verify",
            new { address = wallet.Hex, nonce = challenge.Nonce, signature = new[] { signature.R.ToHexString(), signature.S.ToHexString() } });

        await Api.ProblemAsync(response, HttpStatusCode.ServiceUnavailable, "starknet-verification-unavailable");
    }
}

using AstraTrade.Contracts.Starknet;
using AstraTrade.Domain.Nft;
using AstraTrade.Starknet;

namespace AstraTrade.Functions.FunctionalTests.Nft;

/// <summary>
/// Genesis NFTs over the real host (DOMAIN.md §6, docs/nft.md): a real FIRST_TRADE unlock, delivered as the integration
/// event, queues a mint that waits for a wallet, then is minted through the operator account to the wallet a user linked;
/// the API shows only the caller's NFTs, and the ERC-721 metadata is public.
/// </summary>
public sealed class NftEndpointTests(NftFixture fixture) : AppTests<NftFixture>(fixture)
{
    private readonly FakeStarknetChain _chain = fixture.Chain;

    private FakeStarknetChain Chain => _chain;

    [Fact]
    public async Task An_unlock_queues_a_pending_nft_that_waits_for_a_wallet_and_is_minted_to_it_once_linked()
    {
        var user = await App.RegisterAsync("genesis");
        await NftDriver.UnlockFirstTradeAsync(App, user);

        await NftDriver.DeliverUnlocksAsync(App, user.Id);

        var id = GenesisTokenId.Text(user.Id, GenesisCollection.Find("FIRST_TRADE")!);
        var pending = await NftDriver.AdvanceUntilAsync(App, user, id, n => n.Reason == GenesisMintReasons.AwaitingWallet, "awaiting a wallet");
        Assert.Equal(("FIRST_TRADE", "AstraTrade Genesis: First Trade", "pending", 0), (pending.AchievementId, pending.Name, pending.Status, pending.Attempts));
        Assert.Equal($"/api/v1/nfts/{id}/metadata", pending.MetadataUrl);
        Assert.Null(pending.Recipient);
        var listed = Assert.Single((await NftDriver.ListAsync(user)).Items);
        Assert.Equal(pending, listed);

        // The achievement itself is recorded on chain meanwhile, under the user's id.
        var player = Felt.Parse(CairoValues.UserFelt(user.Id));
        await NftDriver.AdvanceUntilAsync(App, () => Chain.Recorded.Contains((player, ShortString.Encode("FIRST_TRADE"))), "FIRST_TRADE recorded on chain");

        var wallet = await NftDriver.LinkWalletAsync(App, Chain, user);
        var minted = await NftDriver.AdvanceUntilAsync(App, user, id, n => n.Status == "minted", "minted");

        Assert.Equal((wallet.Hex, 1, (string?)null), (minted.Recipient, minted.Attempts, minted.Reason));
        Assert.NotNull(minted.TransactionHash);
        Assert.NotNull(minted.BlockNumber);
        Assert.Equal(wallet.Address, Chain.Owners[GenesisTokenId.Of(user.Id, GenesisCollection.Find("FIRST_TRADE")!)]);
        Assert.Contains(Felt.Parse(minted.TransactionHash!), Chain.Invokes);
    }

    [Fact]
    public async Task An_unlock_delivered_again_mints_nothing_twice()
    {
        var user = await App.RegisterAsync("twice");
        await NftDriver.LinkWalletAsync(App, Chain, user);
        await NftDriver.UnlockFirstTradeAsync(App, user);
        await NftDriver.DeliverUnlocksAsync(App, user.Id);
        var id = GenesisTokenId.Text(user.Id, GenesisCollection.Find("FIRST_TRADE")!);
        var minted = await NftDriver.AdvanceUntilAsync(App, user, id, n => n.Status == "minted", "minted");
        var invokes = Chain.Invokes.Count;

        await NftDriver.DeliverUnlocksAsync(App, user.Id);
        App.Clock!.Advance(TimeSpan.FromMinutes(1));
        await App.FeedsCaughtUpAsync();

        Assert.Equal(minted, Assert.Single((await NftDriver.ListAsync(user)).Items));
        Assert.Equal(invokes, Chain.Invokes.Count);
    }

    [Fact]
    public async Task An_nft_is_shown_to_its_owner_only_and_unknown_ids_are_not_found()
    {
        var owner = await App.RegisterAsync("owner");
        var other = await App.RegisterAsync("other");
        await NftDriver.UnlockFirstTradeAsync(App, owner);
        await NftDriver.DeliverUnlocksAsync(App, owner.Id);
        var id = GenesisTokenId.Text(owner.Id, GenesisCollection.Find("FIRST_TRADE")!);
        await NftDriver.AdvanceUntilAsync(App, owner, id, _ => true, "requested");

        await Api.ProblemAsync(await other.Http.GetAsync($"/api/v1/nfts/{id}"), HttpStatusCode.NotFound, "nft-not-found");
        Assert.Empty((await NftDriver.ListAsync(other)).Items);

        // An id of a kind nobody has, ids that are not token ids, and another user's token of the same kind.
        foreach (var unknown in new[] { GenesisTokenId.Text(owner.Id, GenesisCollection.Find("LEVEL_100")!), "42", "0" + id, "not-a-number", "-1",
            GenesisTokenId.Text(other.Id, GenesisCollection.Find("FIRST_TRADE")!) })
        {
            await Api.ProblemAsync(await owner.Http.GetAsync($"/api/v1/nfts/{unknown}"), HttpStatusCode.NotFound, "nft-not-found");
        }

        using var anonymous = App.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/nfts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/nfts/{id}")).StatusCode);
    }

    [Fact]
    public async Task The_metadata_is_public_erc721_json_with_name_description_image_and_attributes()
    {
        var user = await App.RegisterAsync("meta");
        await NftDriver.UnlockFirstTradeAsync(App, user);
        await NftDriver.DeliverUnlocksAsync(App, user.Id);
        var id = GenesisTokenId.Text(user.Id, GenesisCollection.Find("FIRST_TRADE")!);
        var nft = await NftDriver.AdvanceUntilAsync(App, user, id, _ => true, "requested");
        using var anonymous = App.Anonymous();

        var response = await anonymous.GetAsync(nft.MetadataUrl);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        var metadata = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["name", "description", "image", "attributes"], metadata.EnumerateObject().Select(p => p.Name));
        Assert.Equal("AstraTrade Genesis: First Trade", metadata.GetProperty("name").GetString());
        Assert.StartsWith("Closed a first qualifying trade", metadata.GetProperty("description").GetString(), StringComparison.Ordinal);
        var image = metadata.GetProperty("image").GetString()!;
        Assert.StartsWith("data:image/svg+xml;base64,", image, StringComparison.Ordinal);
        var svg = Encoding.UTF8.GetString(Convert.FromBase64String(image["data:image/svg+xml;base64,".Length..]));
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg, StringComparison.Ordinal);
        Assert.Contains("First Trade", svg, StringComparison.Ordinal);
        var attributes = metadata.GetProperty("attributes").EnumerateArray().ToList();
        Assert.Equal(["Collection", "Achievement", "Kind", "Unlocked"], attributes.Select(a => a.GetProperty("trait_type").GetString()));
        Assert.Equal("FIRST_TRADE", attributes[1].GetProperty("value").GetString());
        Assert.Equal(1, attributes[2].GetProperty("value").GetInt32());
        Assert.Equal("date", attributes[3].GetProperty("display_type").GetString());
        Assert.Equal(nft.UnlockedAt.ToUnixTimeSeconds(), attributes[3].GetProperty("value").GetInt64());
        Assert.False(attributes[0].TryGetProperty("display_type", out _));

        await Api.ProblemAsync(await anonymous.GetAsync("/api/v1/nfts/42/metadata"), HttpStatusCode.NotFound, "nft-not-found");
        await Api.ProblemAsync(
            await anonymous.GetAsync($"/api/v1/nfts/{GenesisTokenId.Text(user.Id, GenesisCollection.Find("LEVEL_10")!)}/metadata"), HttpStatusCode.NotFound, "nft-not-found");
    }
}

/// <summary>The filter that tells the NFT context about proven wallets, around the sign-in endpoints' answers.</summary>
public sealed class WalletLinkedFilterTests(NftFixture fixture) : AppTests<NftFixture>(fixture)
{
    [Fact]
    public async Task A_link_or_a_wallet_sign_in_makes_the_wallet_the_recipient_and_a_refusal_does_not()
    {
        var recipients = App.Services.GetRequiredService<AstraTrade.Application.Nft.MintRecipients>();
        var linker = await App.RegisterAsync("filterlink");
        var signer = await App.RegisterAsync("filtersign");
        var refused = await App.RegisterAsync("filterno");

        await NftDriver.RunWalletFilterAsync(App, new StarknetVerifyRequest("0xAB", "0x1", ["0x1", "0x2"]),
            TypedResults.Ok(new StarknetWalletResponse(linker.Id, "0xab", App.Clock!.GetUtcNow())));
        await NftDriver.RunWalletFilterAsync(App, new StarknetVerifyRequest("0x00CD", "0x1", ["0x1", "0x2"]),
            TypedResults.Ok(new TokenResponse(signer.Id, "access", "refresh", 900, "Bearer")));
        await NftDriver.RunWalletFilterAsync(App, new StarknetVerifyRequest("0xEF", "0x1", ["0x1", "0x2"]),
            AstraTrade.Functions.Http.Problems.For("invalid-signature", "The account refused the signature."));

        Assert.Equal("0xab", await recipients.FindAsync(linker.Id, default));
        Assert.Equal("0xcd", await recipients.FindAsync(signer.Id, default));
        Assert.Null(await recipients.FindAsync(refused.Id, default));
    }
}

/// <summary>Without Starknet settings the request is still queued and shown, pending with the reason; nothing is faked.</summary>
public sealed class UnconfiguredNftTests(UnconfiguredNftFixture fixture) : AppTests<UnconfiguredNftFixture>(fixture)
{
    [Fact]
    public async Task An_unlock_reaches_the_nft_context_through_the_integration_event_relay_alone()
    {
        var user = await App.RegisterAsync("relayed");

        await NftDriver.UnlockFirstTradeAsync(App, user); // no hand delivery: the relay publishes, the consumer hands it on

        var id = GenesisTokenId.Text(user.Id, GenesisCollection.Find("FIRST_TRADE")!);
        var pending = await NftDriver.AdvanceUntilAsync(App, user, id, n => n.Status == "pending", "the relayed unlock's mint request");
        Assert.Equal("FIRST_TRADE", pending.AchievementId);
    }

    [Fact]
    public async Task Without_starknet_configured_the_nft_stays_pending_and_says_why()
    {
        var user = await App.RegisterAsync("nochain");
        await NftDriver.UnlockFirstTradeAsync(App, user);

        await NftDriver.DeliverUnlocksAsync(App, user.Id);

        var id = GenesisTokenId.Text(user.Id, GenesisCollection.Find("FIRST_TRADE")!);
        var pending = await NftDriver.AdvanceUntilAsync(App, user, id, n => n.Reason == GenesisMintReasons.StarknetNotConfigured, "waiting for configuration");
        Assert.Equal(("pending", 0, (string?)null), (pending.Status, pending.Attempts, pending.TransactionHash));
        Assert.Contains("Starknet:RpcUrl", pending.Detail, StringComparison.Ordinal);

        // The achievement's chain write waits too, and says why, to its owner.
        var write = await Api.ReadAsync<JsonElement>(
            await user.Http.GetAsync($"/api/v1/workflows/instances/chain-achievement-{user.Id:N}-FIRST_TRADE"), HttpStatusCode.Accepted);
        Assert.Equal("Running", write.GetProperty("runtimeStatus").GetString());
        Assert.Contains("Starknet:RpcUrl", write.GetProperty("customStatus").GetProperty("waiting").GetString(), StringComparison.Ordinal);
    }
}

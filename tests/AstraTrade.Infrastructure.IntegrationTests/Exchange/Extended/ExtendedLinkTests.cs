using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
using AstraTrade.Starknet;

namespace AstraTrade.Infrastructure.IntegrationTests.Exchange.Extended;

/// <summary>Linking a user's Extended account (checked with the exchange), its balance and the exchange's marks.</summary>
public sealed class ExtendedLinkTests : IAsyncLifetime
{
    private const string OtherApiKey = "other-api-key-9876543210";
    private const string OtherKeyHex = "0x5a3e1f0c9b7d2e4f6a8c0b1d3e5f7a9c2b4d6e8f0a1c3e5b7d9f1a3c5e7b9d1";
    private const uint OtherVault = 8123;
    private readonly ExtendedTestBed _bed = new(collateral: 2_500m);
    private long _otherAccountId;

    public Task InitializeAsync()
    {
        _otherAccountId = _bed.Fake.AddAccount(OtherApiKey, OtherVault, StarkEcdsa.GetStarkKey(StarkPrivateKey.Parse(OtherKeyHex).RevealValue()), 700m);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Linking_checks_the_credentials_with_the_exchange_stores_them_and_shows_the_accounts_public_details()
    {
        var linked = await _bed.Exchange.LinkAsync(_bed.User, ExtendedTestBed.TheCredentials, default);

        Assert.True(linked.IsSuccess, linked.Error?.ToString());
        Assert.Equal(
            new ExchangeAccount("extended", _bed.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture), ExtendedTestBed.Vault, ExtendedTestBed.StarkKey.ToHexString()),
            linked.Value);
        var stored = await _bed.Credentials.FindAsync(_bed.User, default);
        Assert.Equal((ExtendedTestBed.ApiKey, ExtendedTestBed.PrivateKeyHex, 7001L), (stored!.ApiKey, stored.StarkKey.Reveal(), stored.Vault));
        Assert.Equal(ExchangeAckStatus.Filled, (await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 500m), default)).Status);
    }

    [Fact]
    public async Task An_api_key_the_exchange_refuses_is_invalid_credentials_and_nothing_is_stored()
    {
        var linked = await _bed.Exchange.LinkAsync(_bed.User, new ExchangeCredentials("not-a-key", ExtendedTestBed.Key, ExtendedTestBed.Vault), default);

        Assert.Equal("exchange-credentials-invalid", linked.Error!.Code);
        Assert.Null(await _bed.Credentials.FindAsync(_bed.User, default));
    }

    [Fact]
    public async Task A_stark_key_that_is_not_the_accounts_is_a_mismatch()
    {
        var linked = await _bed.Exchange.LinkAsync(_bed.User, new ExchangeCredentials(ExtendedTestBed.ApiKey, StarkPrivateKey.Parse(OtherKeyHex), ExtendedTestBed.Vault), default);

        Assert.Equal("exchange-key-mismatch", linked.Error!.Code);
        Assert.Null(await _bed.Credentials.FindAsync(_bed.User, default));
    }

    [Fact]
    public async Task A_vault_that_is_not_the_accounts_is_a_mismatch()
    {
        var linked = await _bed.Exchange.LinkAsync(_bed.User, new ExchangeCredentials(ExtendedTestBed.ApiKey, ExtendedTestBed.Key, OtherVault), default);
        Assert.Equal("exchange-key-mismatch", linked.Error!.Code);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-3L)]
    [InlineData(4_294_967_296L)]
    public async Task A_vault_outside_the_contracts_range_is_refused_without_asking_the_exchange(long vault)
    {
        var linked = await _bed.Exchange.LinkAsync(_bed.User, new ExchangeCredentials(ExtendedTestBed.ApiKey, ExtendedTestBed.Key, vault), default);
        Assert.Equal("exchange-vault-invalid", linked.Error!.Code);
        Assert.Empty(_bed.Fake.Requests);
    }

    [Fact]
    public async Task An_account_that_is_not_active_cannot_be_linked()
    {
        _bed.Fake.SetAccountStatus(ExtendedTestBed.ApiKey, "DISABLED");
        var linked = await _bed.Exchange.LinkAsync(_bed.User, ExtendedTestBed.TheCredentials, default);
        Assert.Equal("exchange-account-inactive", linked.Error!.Code);
        Assert.Null(await _bed.Credentials.FindAsync(_bed.User, default));
    }

    [Fact]
    public async Task A_relink_replaces_every_credential_and_orders_go_to_the_new_account()
    {
        Assert.True((await _bed.Exchange.LinkAsync(_bed.User, ExtendedTestBed.TheCredentials, default)).IsSuccess);
        var relinked = await _bed.Exchange.LinkAsync(_bed.User, new ExchangeCredentials(OtherApiKey, StarkPrivateKey.Parse(OtherKeyHex), OtherVault), default);

        Assert.Equal((_otherAccountId.ToString(System.Globalization.CultureInfo.InvariantCulture), 8123L), (relinked.Value.AccountId, relinked.Value.Vault));
        var stored = await _bed.Credentials.FindAsync(_bed.User, default);
        Assert.Equal((OtherApiKey, OtherKeyHex, 8123L), (stored!.ApiKey, stored.StarkKey.Reveal(), stored.Vault));
        await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 500m), default);
        Assert.Equal(_otherAccountId, Assert.Single(_bed.Fake.Orders).AccountId);
        Assert.Empty(_bed.Fake.Refusals); // signed with the new key for the new vault
    }

    [Fact]
    public async Task Unlinking_forgets_the_credentials()
    {
        await _bed.Exchange.LinkAsync(_bed.User, ExtendedTestBed.TheCredentials, default);
        await _bed.Exchange.UnlinkAsync(_bed.User, default);
        await _bed.Exchange.UnlinkAsync(_bed.User, default); // nothing left: a no-op

        Assert.Null(await _bed.Credentials.FindAsync(_bed.User, default));
        Assert.Equal("exchange-account-not-linked", (await _bed.Exchange.GetBalanceAsync(_bed.User, default)).Error!.Code);
    }

    [Fact]
    public async Task The_balance_is_the_exchanges_and_moves_with_fees_and_the_mark()
    {
        await _bed.Exchange.LinkAsync(_bed.User, ExtendedTestBed.TheCredentials, default);
        var start = (await _bed.Exchange.GetBalanceAsync(_bed.User, default)).Value;
        Assert.Equal((2_500m, 2_500m, 2_500m, 0m), (start.Balance, start.Equity, start.AvailableForTrade, start.UnrealisedPnl));

        await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 1_000m, leverage: 10), default); // 0.02 BTC, fee 0.50
        _bed.Fake.SetMark("BTC-USD", 50_500m);

        var after = (await _bed.Exchange.GetBalanceAsync(_bed.User, default)).Value;
        Assert.Equal(2_499.5m, after.Balance);
        Assert.Equal(10m, after.UnrealisedPnl); // 0.02 × 500
        Assert.Equal(2_509.5m, after.Equity);
        Assert.Equal(2_509.5m - 101m, after.AvailableForTrade); // initial margin: 0.02 × 50 500 / 10
        Assert.True(after.UpdatedAt > DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task A_balance_read_with_a_revoked_key_asks_for_a_new_link()
    {
        await _bed.LinkDirectlyAsync(new ExchangeCredentials("revoked-key", ExtendedTestBed.Key, ExtendedTestBed.Vault));
        Assert.Equal("exchange-credentials-invalid", (await _bed.Exchange.GetBalanceAsync(_bed.User, default)).Error!.Code);
    }

    [Fact]
    public async Task When_Extended_does_not_answer_the_balance_says_unavailable_and_there_is_no_mark()
    {
        await _bed.Exchange.LinkAsync(_bed.User, ExtendedTestBed.TheCredentials, default);
        _bed.Fake.Throttle(count: 100, seconds: 3_600); // a Retry-After far beyond what the client waits for

        Assert.Equal("exchange-unavailable", (await _bed.Exchange.GetBalanceAsync(_bed.User, default)).Error!.Code);
        Assert.Null(await _bed.Exchange.GetMarkAsync("BTC-USD", default));
    }

    [Fact]
    public async Task The_mark_is_the_exchanges_as_of_the_read_and_an_unlisted_market_has_none()
    {
        _bed.Fake.SetMark("BTC-USD", 61_234.5m);
        var before = DateTimeOffset.UtcNow;

        var mark = await _bed.Exchange.GetMarkAsync("BTC-USD", default);

        Assert.Equal(61_234.5m, mark!.Price);
        Assert.InRange(mark.Time, before, DateTimeOffset.UtcNow);
        Assert.Null(await _bed.Exchange.GetMarkAsync("DOGE-USD", default));
        Assert.Equal("extended", _bed.Exchange.Name);
    }
}

using System.Collections.Concurrent;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
using AstraTrade.Infrastructure.Exchange.Extended;
using AstraTrade.Testing.Extended;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Infrastructure.IntegrationTests.Exchange.Extended;

/// <summary>The composition entry point: live trading only where Extended is configured, credentials where Key Vault is.</summary>
public sealed class ExtendedCompositionTests : IAsyncLifetime
{
    private readonly FakeExtended _fake = new();
    private readonly FakeKeyVault _keyVault = new();
    private readonly ListLoggerFactory _logs = new();

    public Task InitializeAsync()
    {
        _fake.AddAccount(ExtendedTestBed.ApiKey, ExtendedTestBed.Vault, ExtendedTestBed.StarkKey, 5_000m);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _keyVault.Dispose();
        await _fake.DisposeAsync();
    }

    [Fact]
    public void Without_an_Extended_base_url_there_is_no_live_exchange()
    {
        Assert.Null(ExtendedComposition.Create(Configuration(("KeyVault:Uri", _keyVault.Uri.ToString())), TimeProvider.System, _logs));
    }

    [Fact]
    public async Task Without_Key_Vault_links_are_kept_in_memory_and_the_log_says_they_do_not_survive_a_restart()
    {
        var exchange = ExtendedComposition.Create(Configuration(("Extended:BaseUrl", _fake.BaseUrl.ToString()), ("Extended:ChainId", "SN_SEPOLIA")), TimeProvider.System, _logs)!;
        var user = Guid.NewGuid();

        Assert.True((await exchange.LinkAsync(user, ExtendedTestBed.TheCredentials, default)).IsSuccess);
        var ack = await exchange.SubmitAsync(new(Guid.NewGuid(), StreamIds.LiveAccount(user), "BTC-USD", PositionSide.Long, OrderType.Market, null, 500m, 2), default);

        Assert.Equal(ExchangeAckStatus.Filled, ack.Status);
        Assert.Contains(_logs.Lines, l => l.Contains("lost on restart", StringComparison.Ordinal));
        Assert.Empty(_keyVault.Requests);
    }

    [Fact]
    public async Task With_Key_Vault_a_link_is_a_secret_there_and_an_unlink_purges_it()
    {
        var exchange = ExtendedComposition.Create(
            Configuration(("Extended:BaseUrl", _fake.BaseUrl.ToString()), ("Extended:ChainId", "SN_SEPOLIA"), ("KeyVault:Uri", _keyVault.Uri.ToString().TrimEnd('/'))),
            TimeProvider.System, _logs, keyVaultCredential: new KeyVaultExchangeCredentialVaultTests.FixedToken())!;
        var user = Guid.NewGuid();
        var secret = KeyVaultExchangeCredentialVault.SecretName(user);

        Assert.True((await exchange.LinkAsync(user, ExtendedTestBed.TheCredentials, default)).IsSuccess);
        Assert.NotNull(_keyVault.Current(secret));
        Assert.True((await exchange.GetBalanceAsync(user, default)).IsSuccess);

        await exchange.UnlinkAsync(user, default);
        Assert.Null(_keyVault.Current(secret));
        Assert.False(_keyVault.IsDeleted(secret));
        Assert.Equal("exchange-account-not-linked", (await exchange.GetBalanceAsync(user, default)).Error!.Code);
    }

    [Theory]
    [InlineData("Extended:ChainId", "SN_GOERLI", "Extended:ChainId")]
    [InlineData("Extended:MarketSlippage", "lots", "Extended:MarketSlippage")]
    [InlineData("Extended:RequestTimeout", "soon", "Extended:RequestTimeout")]
    [InlineData("KeyVault:Uri", "not a url", "KeyVault:Uri")]
    public void A_malformed_setting_is_named(string key, string value, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => ExtendedComposition.Create(Configuration(("Extended:BaseUrl", _fake.BaseUrl.ToString()), (key, value)), TimeProvider.System, _logs));
        Assert.Contains(named, error.Message);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private sealed class ListLoggerFactory : ILoggerFactory
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Forwarder(Lines);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Forwarder(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {formatter(state, exception)}");
        }
    }
}

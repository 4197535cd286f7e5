using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
using AstraTrade.Infrastructure.Exchange.Extended;

namespace AstraTrade.Infrastructure.IntegrationTests.Exchange.Extended;

/// <summary>API keys and Stark keys never reach logs, exceptions, answers or ToString, on any path of the adapter.</summary>
public sealed class ExtendedSecretsTests : IAsyncLifetime
{
    private readonly ExtendedTestBed _bed = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Keys_never_show_in_logs_exceptions_answers_or_ToString()
    {
        var texts = new List<string>();
        var credentials = ExtendedTestBed.TheCredentials;
        texts.Add((await _bed.Exchange.LinkAsync(_bed.User, new ExchangeCredentials("bad-api-key-31337", ExtendedTestBed.Key, ExtendedTestBed.Vault), default)).Error!.ToString());
        texts.Add((await _bed.Exchange.LinkAsync(_bed.User, new ExchangeCredentials(ExtendedTestBed.ApiKey, StarkPrivateKey.Parse("0x777"), ExtendedTestBed.Vault), default)).Error!.ToString());
        var linked = await _bed.Exchange.LinkAsync(_bed.User, credentials, default);
        texts.Add(linked.Value.ToString());
        var acks = new List<ExchangeAck>
        {
            await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 1_000m), default),
            await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 90_000m), default),
            await _bed.Exchange.CloseAsync(new ExchangeClose(Guid.NewGuid(), _bed.Stream, "BTC-USD", PositionSide.Long, 0.02m), default),
        };
        await _bed.LinkDirectlyAsync(new ExchangeCredentials(ExtendedTestBed.ApiKey, StarkPrivateKey.Parse("0x1234567"), ExtendedTestBed.Vault));
        acks.Add(await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 1_000m), default));
        await _bed.LinkDirectlyAsync(new ExchangeCredentials("bad-api-key-31337", ExtendedTestBed.Key, ExtendedTestBed.Vault));
        acks.Add(await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 1_000m), default));
        texts.Add(Assert.Throws<FormatException>(() => StarkPrivateKey.Parse(ExtendedTestBed.PrivateKeyHex + "zz")).ToString());
        texts.Add(credentials.ToString() + ExtendedTestBed.Key + $"{ExtendedTestBed.Key}" + _bed.Options);
        texts.AddRange(acks.Select(a => a.ToString()));
        texts.AddRange(_bed.Log.Lines);

        var everything = string.Join("\n", texts);
        Assert.NotEmpty(_bed.Log.Lines);
        Assert.Contains(acks, a => a.Status == ExchangeAckStatus.Rejected);
        Assert.DoesNotContain(ExtendedTestBed.PrivateKeyHex[2..], everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("1234567", everything);
        Assert.DoesNotContain(ExtendedTestBed.ApiKey, everything);
        Assert.DoesNotContain("bad-api-key-31337", everything);
    }
}

using System.Text.Json;
using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// The per-user live stream (GET /api/v1/stream, server-sent events): a user sees their own fills, closes, XP,
/// achievements and level-ups as they are committed, and nobody else's.
/// </summary>
public sealed class LiveStreamTests(ManualClockFixture fixture) : AppTests<ManualClockFixture>(fixture)
{
    private ManualTimeProvider Clock => App.Clock!;

    [Fact]
    public async Task A_trader_sees_their_own_fill_close_xp_achievement_and_level_up_and_not_other_users_events()
    {
        var trader = await App.RegisterAsync("streamer");
        var other = await App.RegisterAsync("bystander");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stream");
        using var response = await trader.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        Assert.Equal("ready", (await ReadEventAsync(reader)).Event);

        await other.OpenAsync(Eth, "short", 2, 10m);
        var placed = await trader.OpenAsync(Btc, "long", 2, 10m);
        Clock.Advance(AstraTradeApp.MinimumHold);
        App.Scripted.Refresh();
        await trader.ClosePositionAsync(placed.Position!.Id);

        var events = new List<(string Event, string Id, JsonElement Data)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!events.Any(e => e.Event == "level-up"))
        {
            events.Add(await ReadEventAsync(reader).WaitAsync(timeout.Token));
        }

        Assert.Equal(["order", "position", "xp", "xp", "achievement", "xp", "level-up"], events.Select(e => e.Event));
        Assert.All(events, e => Assert.EndsWith(trader.Id.ToString("N") + ":" + e.Id.Split(':')[1], e.Id, StringComparison.Ordinal));
        Assert.Equal(placed.Position!.Id, events[0].Data.GetProperty("positionId").GetGuid());
        Assert.Equal("filled", events[0].Data.GetProperty("status").GetString());
        Assert.Equal("closed", events[1].Data.GetProperty("status").GetString());
        Assert.Equal(50, events[2].Data.GetProperty("amount").GetInt64());
        Assert.Equal("FIRST_TRADE", events[4].Data.GetProperty("id").GetString());
        Assert.Equal(2, events[6].Data.GetProperty("level").GetInt32());
    }

    [Fact]
    public async Task The_stream_needs_a_token() =>
        await Api.ProblemAsync(await App.Anonymous().GetAsync("/api/v1/stream"), HttpStatusCode.Unauthorized, "unauthorized");

    internal static async Task<(string Event, string Id, JsonElement Data)> ReadEventAsync(StreamReader reader)
    {
        string? name = null, id = null, data = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return (name ?? "message", id ?? string.Empty, JsonDocument.Parse(data).RootElement.Clone());
                }

                continue;
            }

            var (field, value) = (line[..line.IndexOf(':', StringComparison.Ordinal)], line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].TrimStart());
            switch (field)
            {
                case "event": name = value; break;
                case "id": id = value; break;
                case "data": data = value; break;
            }
        }

        throw new EndOfStreamException("The stream ended.");
    }
}

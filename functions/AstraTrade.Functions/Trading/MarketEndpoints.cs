using AstraTrade.Application.Common;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Contracts.Http;
using AstraTrade.Functions.Http;

namespace AstraTrade.Functions.Trading;

public static class MarketEndpoints
{
    private const int MaxCandles = 1_000;

    private static readonly Dictionary<string, CandleInterval> Intervals = new(StringComparer.Ordinal)
    {
        ["1m"] = CandleInterval.OneMinute,
        ["5m"] = CandleInterval.FiveMinutes,
        ["15m"] = CandleInterval.FifteenMinutes,
        ["1h"] = CandleInterval.OneHour,
        ["4h"] = CandleInterval.FourHours,
        ["1d"] = CandleInterval.OneDay,
    };

    public static void MapMarketEndpoints(this RouteGroupBuilder api)
    {
        var markets = api.MapGroup("/markets").WithTags("Markets");

        markets.MapGet("/", async (MarketCatalog catalog, IMarketData data, CancellationToken ct) =>
            {
                var views = new List<MarketResponse>(catalog.All.Count);
                foreach (var market in catalog.All)
                {
                    if (await ViewAsync(market, data, ct) is { } view)
                    {
                        views.Add(view);
                    }
                }

                return TypedResults.Ok(views);
            })
            .WithSummary("Every listed market with its mark price, 24 h statistics and risk parameters")
            .Produces<List<MarketResponse>>();

        markets.MapGet("/{symbol}", async (string symbol, MarketCatalog catalog, IMarketData data, CancellationToken ct) =>
                catalog.Find(symbol) is not { } market ? NotFound(symbol)
                : await ViewAsync(market, data, ct) is { } view ? TypedResults.Ok(view)
                : Problems.For("stale-price", $"There is no price for {market.Symbol} yet; try again in a moment."))
            .WithSummary("One market")
            .Produces<MarketResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        markets.MapGet("/{symbol}/candles", async (string symbol, string? interval, int? limit, MarketCatalog catalog, IMarketData data, CancellationToken ct) =>
            {
                if (catalog.Find(symbol) is not { } market)
                {
                    return NotFound(symbol);
                }

                var errors = new Dictionary<string, string[]>();
                interval ??= "1m";
                if (!Intervals.TryGetValue(interval, out var parsed))
                {
                    errors["interval"] = [$"Use one of {string.Join(", ", Intervals.Keys)}."];
                }

                if (limit is < 1 or > MaxCandles)
                {
                    errors["limit"] = [$"Must be from 1 to {MaxCandles}."];
                }

                if (errors.Count > 0)
                {
                    return Problems.Validation(errors);
                }

                var candles = await data.GetCandlesAsync(market.Symbol, parsed, limit ?? 100, ct);
                return TypedResults.Ok(new CandlesResponse(
                    market.Symbol, interval, [.. candles.Select(c => new CandleResponse(c.OpenTime, c.Open, c.High, c.Low, c.Close))]));
            })
            .WithSummary("OHLC candles, oldest first (interval 1m|5m|15m|1h|4h|1d, limit 1–1000, default 100)")
            .Produces<CandlesResponse>()
            .ProducesValidationProblem();
    }

    // On a lookup an unknown symbol is "not found"; in an order body it is a 422 (the default for its code).
    private static IResult NotFound(string symbol) => Problems.For(ApplicationErrors.UnknownMarket(symbol), StatusCodes.Status404NotFound);

    private static async ValueTask<MarketResponse?> ViewAsync(Domain.Trading.MarketSpec market, IMarketData data, CancellationToken ct)
    {
        if (!data.TryGetLatest(market.Symbol, out var tick))
        {
            return null;
        }

        var stats = await data.Get24HourStatsAsync(market.Symbol, ct);
        return new MarketResponse(
            market.Symbol, tick.Price, tick.Time, stats.High, stats.Low, stats.Change, Math.Round(stats.ChangeRatio, 6), tick.FundingRate,
            market.MaxLeverage, market.MaintenanceMarginRate, market.TakerFeeRate, market.MinNotional, market.Halted);
    }
}

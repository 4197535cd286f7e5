using System.Collections.Frozen;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>The listed markets. Symbols are matched ignoring case and reported in their canonical form.</summary>
public sealed class MarketCatalog
{
    public static readonly IReadOnlyList<MarketSpec> Defaults =
    [
        new("BTC-USD", 100, 0.005m, 0.0005m, 10m),
        new("ETH-USD", 100, 0.005m, 0.0005m, 10m),
        new("SOL-USD", 50, 0.01m, 0.0005m, 10m),
        new("STRK-USD", 20, 0.025m, 0.0005m, 10m),
    ];

    private readonly FrozenDictionary<string, MarketSpec> _bySymbol;

    public MarketCatalog(IEnumerable<MarketSpec>? markets = null)
    {
        All = [.. markets ?? Defaults];
        foreach (var m in All)
        {
            if (m.MaxLeverage < 1 || m.MaintenanceMarginRate is <= 0 or >= 1 || m.TakerFeeRate is < 0 or >= 1 || m.MinNotional < 0)
            {
                throw new ArgumentException($"Market {m.Symbol} has invalid parameters: {m}.", nameof(markets));
            }
        }

        _bySymbol = All.ToFrozenDictionary(m => m.Symbol, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<MarketSpec> All { get; }

    public MarketSpec? Find(string symbol) => _bySymbol.GetValueOrDefault(symbol);
}

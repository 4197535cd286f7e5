using System.Globalization;
using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>
/// Paged histories read straight from the account's stream, newest first, so they are always consistent with the
/// account (no projection lag). A cursor is the stream version to continue below, opaque to clients.
/// </summary>
public sealed class AccountHistory(IEventStore store, TradingAccounts tradingAccounts)
{
    public const int MaxPageSize = 200;
    private const int ReadChunk = 256;

    public ValueTask<Result<(IReadOnlyList<TradeResponse> Items, string? NextCursor)>> TradesAsync(
        Guid userId, AccountSelector account, string? cursor, int limit, CancellationToken cancellationToken) =>
        PageAsync(userId, account, cursor, limit, TradingViews.Trade, cancellationToken);

    public ValueTask<Result<(IReadOnlyList<PositionResponse> Items, string? NextCursor)>> ClosedPositionsAsync(
        Guid userId, AccountSelector account, string? cursor, int limit, CancellationToken cancellationToken) =>
        PageAsync(userId, account, cursor, limit, TradingViews.Ended, cancellationToken);

    private async ValueTask<Result<(IReadOnlyList<T> Items, string? NextCursor)>> PageAsync<T>(
        Guid userId, AccountSelector account, string? cursor, int limit, Func<IAccountEvent, T?> select, CancellationToken cancellationToken)
        where T : class
    {
        if (!TryDecode(cursor, out var below))
        {
            return ApplicationErrors.InvalidCursor();
        }

        var stream = await tradingAccounts.ResolveAsync(userId, account, trading: false, cancellationToken);
        if (!stream.IsSuccess)
        {
            return stream.Error!;
        }

        var items = new List<T>(limit);
        var next = below;
        while (items.Count < limit && next > 1)
        {
            var events = await store.ReadStreamBackwardAsync(stream.Value, next - 1, ReadChunk, cancellationToken);
            if (events.Count == 0)
            {
                break;
            }

            foreach (var recorded in events)
            {
                next = recorded.Version;
                if (EventTypes.Deserialize(recorded) is IAccountEvent e && select(e) is { } item)
                {
                    items.Add(item);
                    if (items.Count == limit)
                    {
                        break;
                    }
                }
            }
        }

        // A further page exists only if older events remain; it may turn out empty, which is a valid last page.
        return (items, items.Count == limit && next > 1 ? Encode(next) : null);
    }

    private static string Encode(long version) => PageCursor.Encode("v" + version.ToString(CultureInfo.InvariantCulture));

    private static bool TryDecode(string? cursor, out long below)
    {
        below = long.MaxValue;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        return PageCursor.TryDecode(cursor, out var text)
            && text.StartsWith('v') && long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out below) && below > 0;
    }
}

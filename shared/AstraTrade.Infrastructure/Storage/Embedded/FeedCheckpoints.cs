using System.Globalization;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>The embedded store's checkpoints: the decimal global position of the last event delivered.</summary>
internal static class FeedCheckpoints
{
    public static FeedCheckpoint At(long position) =>
        position == 0 ? FeedCheckpoint.Start : new FeedCheckpoint(position.ToString(CultureInfo.InvariantCulture));

    /// <exception cref="ArgumentException">Not a checkpoint this store hands out, or one beyond its last event.</exception>
    public static long ToPosition(FeedCheckpoint checkpoint, long head, string paramName)
    {
        if (checkpoint.IsStart)
        {
            return 0;
        }

        var value = checkpoint.Value;
        if (value[0] == '0' || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            throw new ArgumentException(
                $"'{value}' is not a checkpoint of the embedded event store, which are global positions in plain decimal (\"1\", \"2\", …).",
                paramName);
        }

        if (position > head)
        {
            throw new ArgumentException(
                $"Checkpoint {position} lies beyond this store's last event ({head}): it belongs to another store or a data directory that was since deleted.",
                paramName);
        }

        return position;
    }
}

using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// The event store's part of the writer loop. It checks expected versions against each stream as it will be once the
/// batch is written (published events plus those staged earlier in the batch), so two appends racing on one stream
/// cannot both win even when they share a batch; it recognises a retry of an append that is already stored; and it
/// encodes the rest.
/// </summary>
internal sealed class EventWriter(RecordLog log, EventIndex index, TimeProvider time, Action committed)
    : IGroupCommitHandler<PendingAppend>
{
    public void Prepare(PendingAppend append, RecordBatch batch)
    {
        if (append.CancellationToken.IsCancellationRequested)
        {
            append.Canceled = true;
            return;
        }

        var stream = index.FindStream(append.StreamId);
        long version = stream?.Events.StagedCount ?? 0;
        if (append.ExpectedVersion != ExpectedVersion.Any && append.ExpectedVersion != version)
        {
            if (FindStoredAppend(stream, append.ExpectedVersion, append.Events, batch) is { } original)
            {
                append.Result = original;
            }
            else
            {
                append.Rejection = new WrongExpectedVersionException(append.StreamId, append.ExpectedVersion, version);
            }

            return;
        }

        var payload = batch.Reserve(append.PayloadLength, out var payloadOffset);
        if (payloadOffset + append.PayloadLength > EventLocation.MaxOffset)
        {
            append.Rejection = new IOException("The event log has reached its maximum size of 1 TiB.");
            return;
        }

        try
        {
            EventRecordCodec.Encode(payload, append.StreamId, version + 1, index.NextPosition, time.GetUtcNow().UtcTicks, append.Events, append.TraceParent);
        }
        catch (ArgumentException ex)
        {
            append.Rejection = ex;
            return;
        }

        batch.Seal();
        var written = index.Stage(payloadOffset, payload);
        append.WrittenTo = written;
        append.Result = new AppendResult(written.Events.StagedCount, FeedCheckpoints.At(index.NextPosition - 1));
    }

    public void Commit(ReadOnlySpan<PendingAppend> appends)
    {
        var wrote = false;
        foreach (var append in appends)
        {
            if (append.WrittenTo is { } stream)
            {
                index.Publish(stream);
                wrote = true;
            }
        }

        if (wrote)
        {
            index.PublishHead();
            committed();
        }

        foreach (var append in appends)
        {
            append.Complete();
        }
    }

    public void Fail(ReadOnlySpan<PendingAppend> appends, Exception error)
    {
        foreach (var append in appends)
        {
            append.TrySetException(error);
        }
    }

    /// <summary>The original result when the events at versions expected+1.. carry exactly these event ids: the
    /// caller is retrying an append that succeeded (its acknowledgement was lost).</summary>
    private AppendResult? FindStoredAppend(StreamEntry? stream, long expectedVersion, IReadOnlyList<EventData> events, RecordBatch batch)
    {
        if (stream is null || expectedVersion < 0 || expectedVersion + events.Count > stream.Events.StagedCount)
        {
            return null;
        }

        Span<byte> identity = stackalloc byte[EventRecordCodec.IdentityLength];
        var lastPosition = 0L;
        for (var i = 0; i < events.Count; i++)
        {
            var location = stream.Events[(int)expectedVersion + i];
            if (location.Offset >= batch.FileOffset)
            {
                batch.Read(location.Offset, identity.Length).CopyTo(identity);
            }
            else
            {
                log.Read(location.Offset, identity);
            }

            if (EventRecordCodec.ReadEventId(identity) != events[i].EventId)
            {
                return null;
            }

            lastPosition = EventRecordCodec.ReadPosition(identity);
        }

        return new AppendResult(expectedVersion + events.Count, FeedCheckpoints.At(lastPosition));
    }
}

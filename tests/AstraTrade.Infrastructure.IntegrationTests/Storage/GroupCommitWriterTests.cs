using AstraTrade.Infrastructure.Storage.Embedded;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

/// <summary>The writer loop on its own, with a handler that writes each payload as a record (or blows up on request).</summary>
public sealed class GroupCommitWriterTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Every_acknowledged_write_is_in_the_file_in_queue_order()
    {
        var path = _directory.File("log");
        var writes = Enumerable.Range(0, 500).Select(i => new TestWrite([(byte)i, (byte)(i >> 8)])).ToArray();
        using (var log = RecordLog.Open(path, (_, _) => { }))
        {
            var writer = new GroupCommitWriter<TestWrite>(log, new TestHandler(), "test store");
            foreach (var write in writes)
            {
                writer.Enqueue(write);
            }

            await Task.WhenAll(writes.Select(w => w.Task));
            Assert.InRange(writer.BatchesWritten, 1, 500);
            await writer.DisposeAsync();
        }

        Assert.Equal(writes.Select(w => w.Payload), ReadAll(path));
    }

    [Fact]
    public async Task After_a_failure_the_writer_fails_its_batch_and_refuses_every_later_write()
    {
        var path = _directory.File("log");
        var writes = Enumerable.Range(0, 50).Select(i => new TestWrite([(byte)i], explode: i == 20)).ToArray();
        using (var log = RecordLog.Open(path, (_, _) => { }))
        {
            var writer = new GroupCommitWriter<TestWrite>(log, new TestHandler(), "test store");
            foreach (var write in writes)
            {
                writer.Enqueue(write);
            }

            await Task.WhenAll(writes.Select(w => w.Task.ContinueWith(_ => { }, TaskScheduler.Default)));
            Assert.IsType<IOException>(writes[20].Task.Exception!.InnerException);
            Assert.All(writes[20..], w => Assert.IsType<InvalidOperationException>(w.Task.Exception!.InnerException!.InnerException));
            var refused = Assert.Throws<IOException>(() => writer.Enqueue(new TestWrite([1])));
            Assert.Contains("test store", refused.Message, StringComparison.Ordinal);
            await writer.DisposeAsync();
        }

        var succeeded = writes.Where(w => w.Task.IsCompletedSuccessfully).Select(w => w.Payload).ToList();
        Assert.Equal(succeeded, ReadAll(path));
    }

    [Fact]
    public async Task Disposing_writes_what_is_queued_and_then_refuses_writes()
    {
        var path = _directory.File("log");
        using var log = RecordLog.Open(path, (_, _) => { });
        var writer = new GroupCommitWriter<TestWrite>(log, new TestHandler(), "test store");
        var writes = Enumerable.Range(0, 100).Select(i => new TestWrite([(byte)i])).ToArray();
        foreach (var write in writes)
        {
            writer.Enqueue(write);
        }

        await writer.DisposeAsync();

        Assert.All(writes, w => Assert.True(w.Task.IsCompletedSuccessfully));
        Assert.Throws<ObjectDisposedException>(() => writer.Enqueue(new TestWrite([1])));
    }

    private static List<byte[]> ReadAll(string path)
    {
        var payloads = new List<byte[]>();
        using var log = RecordLog.Open(path, (_, payload) => payloads.Add(payload.ToArray()));
        return payloads;
    }

    private sealed class TestWrite(byte[] payload, bool explode = false) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public byte[] Payload { get; } = payload;

        public bool Explode { get; } = explode;
    }

    private sealed class TestHandler : IGroupCommitHandler<TestWrite>
    {
        public void Prepare(TestWrite write, RecordBatch batch)
        {
            if (write.Explode)
            {
                throw new InvalidOperationException("The handler's state is broken.");
            }

            write.Payload.CopyTo(batch.Reserve(write.Payload.Length, out _));
            batch.Seal();
        }

        public void Commit(ReadOnlySpan<TestWrite> writes)
        {
            foreach (var write in writes)
            {
                write.TrySetResult();
            }
        }

        public void Fail(ReadOnlySpan<TestWrite> writes, Exception error)
        {
            foreach (var write in writes)
            {
                write.TrySetException(error);
            }
        }
    }
}

using AstraTrade.Infrastructure.Storage.Embedded;
using FsCheck;
using FsCheck.Fluent;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

/// <summary>The framing, fsync and recovery rules of the record log itself, below any store.</summary>
public sealed class RecordLogTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Records_written_in_any_batches_come_back_in_order_and_truncation_anywhere_keeps_exactly_the_whole_records_before_it()
    {
        var payload = Gen.Choose(1, 200).SelectMany(length => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length));
        var writes = Gen.NonEmptyListOf(Gen.NonEmptyListOf(payload).Select(w => w.ToArray())).Select(w => w.ToArray());
        var cases = from w in writes from cut in Gen.Choose(0, 1000) select (Writes: w, Cut: cut / 1000.0);

        Prop.ForAll(Arb.From(cases), c =>
        {
            var path = _directory.File($"{Guid.NewGuid():N}.log");
            var ends = WriteLog(path, c.Writes);
            var records = c.Writes.SelectMany(w => w).ToList();
            var intact = Read(path);
            var fileLength = new FileInfo(path).Length;

            var cutAt = RecordFormat.FileHeaderLength + (long)((fileLength - RecordFormat.FileHeaderLength) * c.Cut);
            Truncate(path, cutAt);
            var whole = ends.Count(end => end <= cutAt);
            var recovered = Read(path);

            return intact.Payloads.Count == records.Count
                && intact.Payloads.Zip(records).All(p => p.First.SequenceEqual(p.Second))
                && recovered.Payloads.Count == whole
                && recovered.Payloads.Zip(records).All(p => p.First.SequenceEqual(p.Second))
                && recovered.Length == (whole == 0 ? RecordFormat.FileHeaderLength : ends[whole - 1])
                && new FileInfo(path).Length == recovered.Length;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(5000)]
    public void Garbage_after_the_last_record_is_cut_off_and_appending_continues(int garbageLength)
    {
        var path = _directory.File("log");
        WriteLog(path, [[[1, 2, 3]], [[4, 5]]]);
        var garbage = new byte[garbageLength];
        new Random(garbageLength).NextBytes(garbage);
        AppendBytes(path, garbage);

        using (var log = RecordLog.Open(path, (_, _) => { }))
        {
            Assert.Equal(garbageLength, log.DiscardedTailBytes);
            var batch = new RecordBatch();
            batch.Reset(log.Length);
            batch.Reserve(1, out _)[0] = 6;
            batch.Seal();
            log.Append(batch.Written);
        }

        Assert.Equal([[1, 2, 3], [4, 5], [6]], Read(path).Payloads);
    }

    [Fact]
    public void A_zero_filled_tail_is_cut_off()
    {
        var path = _directory.File("log");
        WriteLog(path, [[[1, 2, 3]]]);
        AppendBytes(path, new byte[4096]);

        var recovered = Read(path);

        Assert.Equal([[1, 2, 3]], recovered.Payloads);
        Assert.Equal(4096, recovered.Discarded);
    }

    [Fact]
    public void Damage_to_any_byte_of_a_write_that_was_followed_by_another_is_refused_and_leaves_the_file_alone()
    {
        var path = _directory.File("log");
        var ends = WriteLog(path, [[[1, 1, 1]], [[2, 2, 2, 2], [3, 3]], [[4]]]);
        var original = File.ReadAllBytes(path);

        for (var offset = ends[0]; offset < ends[2]; offset++)
        {
            var damaged = (byte[])original.Clone();
            damaged[offset] ^= 0x20;
            File.WriteAllBytes(path, damaged);

            var refused = Assert.Throws<LogCorruptedException>(() => Read(path));

            Assert.Equal(path, refused.Path);
            Assert.Equal(damaged, File.ReadAllBytes(path));
        }
    }

    [Fact]
    public void Damage_to_the_start_of_the_final_write_while_its_later_records_are_intact_is_a_torn_write()
    {
        // After a power cut, later pages of the unsynced final write may be on disk while earlier ones are not.
        var path = _directory.File("log");
        var ends = WriteLog(path, [[[1]], [[2, 2, 2], [3, 3, 3], [4, 4, 4]]]);
        var bytes = File.ReadAllBytes(path);
        bytes[ends[0] + RecordFormat.HeaderLength] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        var recovered = Read(path);

        Assert.Equal([[1]], recovered.Payloads);
        Assert.Equal(ends[0], recovered.Length);
    }

    [Fact]
    public void Damage_inside_the_final_write_keeps_the_records_before_it()
    {
        var path = _directory.File("log");
        var ends = WriteLog(path, [[[1]], [[2, 2, 2], [3, 3, 3], [4, 4, 4]]]);
        var bytes = File.ReadAllBytes(path);
        bytes[ends[2] - 1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        Assert.Equal([[1], [2, 2, 2]], Read(path).Payloads);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    public void A_file_without_a_valid_header_is_refused(int damagedByte)
    {
        var path = _directory.File("log");
        WriteLog(path, [[[1]]]);
        var bytes = File.ReadAllBytes(path);
        bytes[damagedByte] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        Assert.Throws<LogCorruptedException>(() => Read(path));
    }

    [Fact]
    public void An_empty_file_is_refused_rather_than_taken_for_a_new_log()
    {
        var path = _directory.File("log");
        File.WriteAllBytes(path, []);

        Assert.Throws<LogCorruptedException>(() => Read(path));
    }

    [Fact]
    public void A_record_whose_checksum_holds_but_whose_content_the_store_rejects_is_refused()
    {
        var path = _directory.File("log");
        WriteLog(path, [[[1]], [[2]]]);

        var refused = Assert.Throws<LogCorruptedException>(() => RecordLog.Open(path, (_, payload) =>
        {
            if (payload[0] == 2)
            {
                throw new InvalidDataException("not a record of this store");
            }
        }));

        Assert.IsType<InvalidDataException>(refused.InnerException);
    }

    [Fact]
    public void Only_the_first_record_of_each_write_is_flagged_as_a_write_start()
    {
        var path = _directory.File("log");
        WriteLog(path, [[[1], [2]], [[3]]]);
        var bytes = File.ReadAllBytes(path);

        var flags = new List<bool>();
        for (var offset = RecordFormat.FileHeaderLength; offset < bytes.Length;)
        {
            Assert.True(RecordFormat.TryReadHeader(bytes.AsSpan(offset), out var header));
            flags.Add(header.FirstOfWrite);
            offset += RecordFormat.HeaderLength + header.PayloadLength;
        }

        Assert.Equal([true, false, true], flags);
    }

    /// <summary>Writes each write as one batch and returns the file offset where each record ends.</summary>
    internal static List<long> WriteLog(string path, byte[][][] writes)
    {
        var ends = new List<long>();
        using var log = RecordLog.Open(path, (_, _) => { });
        var batch = new RecordBatch();
        foreach (var write in writes)
        {
            batch.Reset(log.Length);
            foreach (var payload in write)
            {
                payload.CopyTo(batch.Reserve(payload.Length, out var payloadOffset));
                batch.Seal();
                ends.Add(payloadOffset + payload.Length);
            }

            log.Append(batch.Written);
        }

        return ends;
    }

    private static (List<byte[]> Payloads, long Length, long Discarded) Read(string path)
    {
        var payloads = new List<byte[]>();
        using var log = RecordLog.Open(path, (_, payload) => payloads.Add(payload.ToArray()));
        return (payloads, log.Length, log.DiscardedTailBytes);
    }

    private static void Truncate(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength(length);
    }

    private static void AppendBytes(string path, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write);
        file.Write(bytes);
    }
}

using AstraTrade.Infrastructure.Storage.Embedded;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

public sealed class AppendOnlyListTests
{
    [Fact]
    public void Items_keep_their_index_across_every_segment_boundary()
    {
        var list = new AppendOnlyList<int>();
        for (var i = 0; i < 100_000; i++)
        {
            list.Stage(i);
        }

        list.Publish();

        Assert.Equal(100_000, list.Count);
        for (var i = 0; i < 100_000; i++)
        {
            Assert.Equal(i, list[i]);
        }
    }

    [Fact]
    public void Staged_items_are_invisible_until_published()
    {
        var list = new AppendOnlyList<string>();
        list.Stage("a");
        list.Stage("b");

        Assert.Equal(0, list.Count);
        Assert.Equal(2, list.StagedCount);
        list.Publish();
        Assert.Equal(2, list.Count);
    }

    [Fact]
    public async Task A_reader_running_alongside_the_writer_always_sees_a_complete_prefix()
    {
        var list = new AppendOnlyList<long>();
        const int Total = 300_000;
        using var done = new CancellationTokenSource();

        var reader = Task.Run(() =>
        {
            var checks = 0L;
            while (!done.IsCancellationRequested || checks == 0)
            {
                var count = list.Count;
                for (var i = Math.Max(0, count - 64); i < count; i++)
                {
                    Assert.Equal(i * 3L, list[i]);
                    checks++;
                }
            }
        });

        for (var i = 0; i < Total; i++)
        {
            list.Stage(i * 3L);
            if (i % 7 == 0)
            {
                list.Publish();
            }
        }

        list.Publish();
        await done.CancelAsync();
        await reader;
        Assert.Equal(Total, list.Count);
    }
}

using AstraTrade.Starknet.Rpc;

namespace AstraTrade.Starknet.Tests.Rpc;

/// <summary>starknet_getEvents: chunks, continuation tokens, and the enumerator that follows them.</summary>
public sealed class RpcEventsTests : RpcTestBase
{
    private static readonly Felt Achievements = Felt.Parse("0x5a7e");
    private static readonly Felt Unlocked = Selectors.GetSelectorFromName("AchievementUnlocked");

    private void Seed(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var block = Node.LatestBlock - 50 + (ulong)(i / 4);
            var from = i % 3 == 0 ? Token : Achievements;
            Node.Events.Add(new FakeEvent(block, FakeStarknetNode.BlockHashOf(block), Poseidon.Hash(7UL, (ulong)i), i % 4, 0, from,
                [i % 2 == 0 ? Unlocked : Selectors.GetSelectorFromName("Transfer"), (ulong)i], [(ulong)(i * 10)]));
        }
    }

    [Fact]
    public async Task All_events_are_returned_in_order_by_following_continuation_tokens()
    {
        Seed(25);
        var events = await Client.GetAllEventsAsync(new EventFilter(), chunkSize: 10).ToListAsync();

        Assert.Equal(Enumerable.Range(0, 25).Select(i => (Felt)(ulong)(i * 10)), events.Select(e => e.Data[0]));
        Assert.Equal(3, Node.RequestCount("starknet_getEvents"));
        var first = events[0];
        Assert.Equal(Node.LatestBlock - 50, first.BlockNumber);
        Assert.Equal(FakeStarknetNode.BlockHashOf(Node.LatestBlock - 50), first.BlockHash);
        Assert.Equal(Poseidon.Hash(7UL, 0UL), first.TransactionHash);
        Assert.Equal(0, first.TransactionIndex);
        Assert.Equal(Token, first.FromAddress);
    }

    [Fact]
    public async Task One_page_at_a_time()
    {
        Seed(12);
        var filter = new EventFilter { FromBlock = BlockId.Number(0), ToBlock = BlockId.Latest };
        var page1 = await Client.GetEventsAsync(filter, 5);
        Assert.Equal(5, page1.Events.Count);
        Assert.NotNull(page1.ContinuationToken);
        var page2 = await Client.GetEventsAsync(filter, 5, page1.ContinuationToken);
        var page3 = await Client.GetEventsAsync(filter, 5, page2.ContinuationToken);
        Assert.Equal(2, page3.Events.Count);
        Assert.Null(page3.ContinuationToken);
    }

    [Fact]
    public async Task Filters_by_address_keys_and_block_range()
    {
        Seed(40);
        var from = Node.LatestBlock - 48;
        var to = Node.LatestBlock - 45;
        var filter = new EventFilter
        {
            FromBlock = BlockId.Number(from),
            ToBlock = BlockId.Number(to),
            Addresses = [Achievements],
            Keys = [[Unlocked], []],
        };
        var events = await Client.GetAllEventsAsync(filter, chunkSize: 2).ToListAsync();

        var expected = Enumerable.Range(0, 40)
            .Where(i => i % 3 != 0 && i % 2 == 0)
            .Where(i => Node.LatestBlock - 50 + (ulong)(i / 4) is var b && b >= from && b <= to)
            .Select(i => (Felt)(ulong)i)
            .ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, events.Select(e => e.Keys[1]));

        var sent = System.Text.Json.JsonDocument.Parse(Node.Requests.First().Body).RootElement.GetProperty("params").GetProperty("filter");
        Assert.Equal(Achievements.ToHexString(), sent.GetProperty("address").GetString());
        Assert.Equal(from, sent.GetProperty("from_block").GetProperty("block_number").GetUInt64());
        Assert.Equal(2, sent.GetProperty("chunk_size").GetInt32());
    }

    [Fact]
    public async Task Several_addresses_are_sent_as_a_list()
    {
        Seed(9);
        var events = await Client.GetAllEventsAsync(new EventFilter { Addresses = [Achievements, Token] }, 4).ToListAsync();
        Assert.Equal(9, events.Count);
        var sent = System.Text.Json.JsonDocument.Parse(Node.Requests.First().Body).RootElement.GetProperty("params").GetProperty("filter");
        Assert.Equal(2, sent.GetProperty("address").GetArrayLength());
    }

    [Fact]
    public async Task Paging_errors_are_typed()
    {
        Seed(3);
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => Client.GetEventsAsync(new EventFilter(), 2, "page-0-forged"));
        await Assert.ThrowsAsync<PageSizeTooBigException>(() => Client.GetEventsAsync(new EventFilter(), Node.MaxChunkSize + 1));
        var manyKeys = Enumerable.Range(0, Node.MaxKeysInFilter + 1).Select(_ => (IReadOnlyList<Felt>)[]).ToList();
        await Assert.ThrowsAsync<TooManyKeysInFilterException>(() => Client.GetEventsAsync(new EventFilter { Keys = manyKeys }, 2));
    }

    [Fact]
    public async Task A_page_that_fails_in_transport_is_retried_and_paging_goes_on()
    {
        Seed(25);
        var seen = new List<EmittedEvent>();
        await foreach (var e in Client.GetAllEventsAsync(new EventFilter(), 10))
        {
            seen.Add(e);
            if (seen.Count == 10)
            {
                Node.Faults.Enqueue(new Fault.Status(503));
            }
        }

        Assert.Equal(25, seen.Count);
        Assert.Equal(4, Node.RequestCount("starknet_getEvents"));
    }

    [Fact]
    public async Task A_node_that_repeats_a_token_does_not_make_the_enumeration_loop()
    {
        Seed(3);
        Node.RepeatContinuationToken = true;
        await Assert.ThrowsAsync<StarknetRpcProtocolException>(async () =>
        {
            await foreach (var _ in Client.GetAllEventsAsync(new EventFilter(), 2))
            {
            }
        });
        Assert.Equal(2, Node.RequestCount("starknet_getEvents"));
    }
}

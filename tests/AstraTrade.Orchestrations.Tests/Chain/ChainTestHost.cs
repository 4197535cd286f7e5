using System.Numerics;
using AstraTrade.Application.Nft;
using AstraTrade.Application.Nft.Chain;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Users;
using AstraTrade.Infrastructure.Starknet;
using AstraTrade.Infrastructure.Starknet.Operator;
using AstraTrade.Infrastructure.Storage.Embedded;
using AstraTrade.Orchestrations.Chain;
using AstraTrade.Orchestrations.Nft;
using AstraTrade.Orchestrations.Runtime;
using AstraTrade.Starknet;
using AstraTrade.Starknet.Rpc;
using AstraTrade.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AstraTrade.Orchestrations.Tests.Chain;

/// <summary>
/// The chain workflows as the function app runs them: a workflow host on an embedded store in a temporary directory, an
/// in-process queue and a manual clock, the real operator account (signing with a test key) over the real JSON-RPC client,
/// talking to a <see cref="FakeChainNode"/> that outlives restarts (it is the chain). <see cref="RestartAsync"/> stops
/// everything as a crash would (the queue and the operator's memory are lost) and starts again on the same store.
/// <see cref="CrashAt"/> arms an interruption at a named moment: the request (or store write) in progress never
/// completes, and the test restarts the host.
/// </summary>
internal sealed class ChainTestHost : IAsyncDisposable
{
    public static readonly BigInteger OperatorKey = BigInteger.Parse("3141592653589793238462643383279502884197169399375105820974944", System.Globalization.CultureInfo.InvariantCulture);
    public static readonly Felt OperatorAddress = Felt.Parse("0x0a57a0de0001");
    public static readonly Felt AchievementsAddress = Felt.Parse("0x0a57a0de00a1");
    public static readonly Felt GenesisAddress = Felt.Parse("0x0a57a0de00a2");

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private bool _configured;
    private CrashSwitch? _crash;

    private ChainTestHost(bool configured, ChainWriteTimings timings, GenesisMintTimings mintTimings)
    {
        _configured = configured;
        Timings = timings;
        MintTimings = mintTimings;
        Directory = Path.Combine(Path.GetTempPath(), "astratrade-chain-" + Guid.NewGuid().ToString("N"));
        Node = new FakeChainNode(OperatorAddress, new StarkSigner(OperatorKey).PublicKey, AchievementsAddress, GenesisAddress);
    }

    /// <summary>Short waits, so a test covers a chain write's life in a few simulated minutes.</summary>
    public static ChainWriteTimings TestTimings { get; } = new(
        FirstPoll: TimeSpan.FromSeconds(2),
        MaxPoll: TimeSpan.FromSeconds(16),
        StuckAfter: TimeSpan.FromSeconds(60),
        RetryLater: TimeSpan.FromMinutes(5),
        ReplaceAfter: TimeSpan.FromSeconds(10),
        MaxTransactions: 3,
        ConfigurationRecheck: TimeSpan.FromHours(1))
    {
        Transient = new RetryPolicy(3, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(4)),
    };

    public static GenesisMintTimings TestMintTimings { get; } = new(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromMinutes(5))
    {
        Transient = new RetryPolicy(3, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(4)),
    };

    public string Directory { get; }

    public FakeChainNode Node { get; }

    public ManualTimeProvider Time { get; } = new();

    public ChainWriteTimings Timings { get; }

    public GenesisMintTimings MintTimings { get; }

    public EmbeddedStore Store { get; private set; } = null!;

    public InProcessWorkQueue Queue { get; private set; } = null!;

    public WorkflowHost Host { get; private set; } = null!;

    public WorkflowClient Client => Host.Client;

    public OperatorAccount Operator { get; private set; } = null!;

    public GenesisMints Mints { get; private set; } = null!;

    public MintRecipients Recipients { get; private set; } = null!;

    public OnChainAchievements Achievements { get; private set; } = null!;

    public GenesisMintQueue MintQueue { get; private set; } = null!;

    public AchievementUnlockedHandler Handler { get; private set; } = null!;

    /// <param name="configured">With a node, an operator account and both contracts; otherwise nothing Starknet.</param>
    public static async Task<ChainTestHost> StartAsync(bool configured = true, ChainWriteTimings? timings = null, GenesisMintTimings? mintTimings = null)
    {
        var host = new ChainTestHost(configured, timings ?? TestTimings, mintTimings ?? TestMintTimings);
        await host.OpenAsync();
        return host;
    }

    /// <summary>Waits until nothing is runnable now (what is left waits for the clock).</summary>
    public Task IdleAsync(CancellationToken cancellationToken = default) => Queue.WaitUntilIdleAsync(cancellationToken).WaitAsync(Patience, cancellationToken);

    /// <summary>Moves the clock a second at a time until every instance has finished (or the simulated time runs out).</summary>
    public async Task RunUntilFinishedAsync(IEnumerable<string> instanceIds, TimeSpan? atMost = null, CancellationToken cancellationToken = default)
    {
        var ids = instanceIds.ToList();
        var deadline = Time.GetUtcNow() + (atMost ?? TimeSpan.FromHours(2));
        while (true)
        {
            await IdleAsync(cancellationToken);
            var open = new List<string>();
            foreach (var id in ids)
            {
                var status = await Client.GetStatusAsync(id, cancellationToken: cancellationToken);
                if (status is null || !status.RuntimeStatus.IsFinished())
                {
                    open.Add($"{id} ({status?.RuntimeStatus}: {status?.CustomStatus})");
                }
            }

            if (open.Count == 0)
            {
                return;
            }

            if (Time.GetUtcNow() >= deadline)
            {
                throw new TimeoutException($"Still running after {atMost ?? TimeSpan.FromHours(2)} of simulated time: {string.Join(", ", open)}");
            }

            Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    public async Task AdvanceAsync(TimeSpan by)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += TimeSpan.FromSeconds(1))
        {
            await IdleAsync();
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        await IdleAsync();
    }

    public async Task<WorkflowStatus> StatusAsync(string instanceId) =>
        await Client.GetStatusAsync(instanceId) ?? throw new Xunit.Sdk.XunitException($"No instance {instanceId}.");

    public async Task<ChainWriteOutcome> OutcomeAsync(string instanceId)
    {
        var status = await StatusAsync(instanceId);
        Assert.True(status.RuntimeStatus == WorkflowRuntimeStatus.Completed, $"{instanceId} is {status.RuntimeStatus}: {status.Reason}");
        return System.Text.Json.JsonSerializer.Deserialize(status.Output!.Value, ChainWriteJson.Default.ChainWriteOutcome)!;
    }

    /// <summary>From now on, the first moment <paramref name="when"/> picks (a node method such as
    /// "starknet_addInvokeTransaction:answer", or "persisted" for the prepared transaction's store write) never completes;
    /// the returned task completes when it happened.</summary>
    public Task CrashAt(Func<string, bool> when)
    {
        _crash = new CrashSwitch(when);
        return _crash.Happened.Task;
    }

    /// <summary>Stops everything without finishing anything, as a crash would, then starts on the same store (with Starknet
    /// configured or not, when <paramref name="configured"/> says).</summary>
    public async Task RestartAsync(bool? configured = null)
    {
        await CloseAsync();
        _configured = configured ?? _configured;
        await OpenAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        Node.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task OpenAsync()
    {
        Store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = Directory }, Time);
        Queue = new InProcessWorkQueue(Time);
        var documents = new InterruptibleDocuments(Store.Documents, this);
        var rpc = new StarknetRpcClient(new HttpClient(new InterruptibleHandler(Node, this)), new Uri("http://node.test/rpc/v0_10"));
        Operator = new OperatorAccount(
            _configured ? new OperatorOptions { Address = OperatorAddress.ToHexString(), PrivateKey = "0x" + OperatorKey.ToString("x") } : new OperatorOptions(),
            _configured
                ? new Dictionary<string, string> { ["achievements"] = AchievementsAddress.ToHexString(), ["genesis"] = GenesisAddress.ToHexString() }
                : [],
            "SN_SEPOLIA",
            _configured ? rpc : null,
            documents,
            NullLogger<OperatorAccount>.Instance);
        Mints = new GenesisMints(Store.Events, new NftOptions { MaxMintAttempts = 2 }, Time);
        Recipients = new MintRecipients(Store.Documents, new StarknetSignatures(new StarknetOptions(), new HttpClient(), NullLogger<StarknetSignatures>.Instance, Time), Time);
        WorkflowHost? host = null;
        Func<WorkflowClient> client = () => host!.Client;
        var registry = new WorkflowRegistry().AddChainWrites(new ChainWorkflows(
            new ChainWriteActivities(Operator, client),
            new GenesisMintActivities(Mints, Recipients, Operator, client),
            Timings,
            MintTimings));

        // Leases longer than any jump the tests make: a message is never taken twice because the clock moved.
        host = new WorkflowHost(registry, Store.Events, Store.Events, Store.Documents, Queue, new WorkflowHostOptions { Lease = TimeSpan.FromDays(7) }, Time);
        Host = host;
        await Host.StartAsync(CancellationToken.None).WaitAsync(Patience);
        Achievements = new OnChainAchievements(Host.Client);
        MintQueue = new GenesisMintQueue(Mints, Recipients, Host.Client);
        Handler = new AchievementUnlockedHandler(Achievements, MintQueue, NullLogger<AchievementUnlockedHandler>.Instance);
    }

    private async Task CloseAsync()
    {
        await Host.StopAsync(CancellationToken.None).WaitAsync(Patience);
        await Host.DisposeAsync();
        Queue.Dispose();
        await Store.DisposeAsync();
        _crash = null;
    }

    /// <summary>If the armed crash picks this moment: report it, then never complete (until the host stops and cancels).</summary>
    private async Task MaybeCrashAsync(string moment, CancellationToken cancellationToken)
    {
        if (_crash is { } crash && crash.Picks(moment))
        {
            crash.Happened.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    private sealed class CrashSwitch(Func<string, bool> when)
    {
        private int _fired;

        public TaskCompletionSource Happened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Picks(string moment) => when(moment) && Interlocked.Exchange(ref _fired, 1) == 0;
    }

    /// <summary>The node, with the crash switch consulted before each request and before each answer.</summary>
    private sealed class InterruptibleHandler(FakeChainNode node, ChainTestHost host) : DelegatingHandler(new NodeInvoker(node))
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var method = System.Text.Json.Nodes.JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!["method"]!.GetValue<string>();
            await host.MaybeCrashAsync(method, cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            await host.MaybeCrashAsync(method + ":answer", cancellationToken);
            return response;
        }
    }

    /// <summary>Lets one node serve the HTTP clients of several host lifetimes (a handler is disposed with its client).</summary>
    private sealed class NodeInvoker(FakeChainNode node) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _invoker = new(node, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _invoker.SendAsync(request, cancellationToken);
    }

    /// <summary>The store, with the crash switch consulted after the operator persisted a signed transaction.</summary>
    private sealed class InterruptibleDocuments(IDocumentStore inner, ChainTestHost host) : IDocumentStore
    {
        public ValueTask<StoredDocument?> GetAsync(string collection, string id, CancellationToken cancellationToken = default) =>
            inner.GetAsync(collection, id, cancellationToken);

        public async ValueTask<string> PutAsync(string collection, string id, ReadOnlyMemory<byte> body, Precondition precondition, CancellationToken cancellationToken = default)
        {
            var etag = await inner.PutAsync(collection, id, body, precondition, cancellationToken);
            await host.MaybeCrashAsync("put:" + collection, cancellationToken);
            return etag;
        }

        public ValueTask<bool> DeleteAsync(string collection, string id, Precondition precondition, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(collection, id, precondition, cancellationToken);
    }
}

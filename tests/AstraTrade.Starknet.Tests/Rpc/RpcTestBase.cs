using System.Globalization;
using System.Numerics;
using AstraTrade.Starknet.Rpc;

namespace AstraTrade.Starknet.Tests.Rpc;

/// <summary>A fresh fake node and client per test; after each test, no request may have broken the spec's schemas.</summary>
public abstract class RpcTestBase : IAsyncLifetime
{
    protected static readonly BigInteger PrivateKey = BigInteger.Parse("3141592653589793238462643383279502884197169399375105820974944592", CultureInfo.InvariantCulture);
    protected static readonly Felt AccountAddress = Felt.Parse("0x4a1f6b6d2e1cd5e0a3f8b9c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e");
    protected static readonly Felt Token = Felt.Parse("0x4718f5a0fc34cc1af16a1cdee98ffb20c31f5cd61d6ab07201858f4287c938d");

    private HttpClient? _http;
    private FakeStarknetNode? _node;
    private StarknetRpcClient? _client;

    protected FakeStarknetNode Node => _node ?? throw new InvalidOperationException("not started");

    protected StarknetRpcClient Client => _client ?? throw new InvalidOperationException("not started");

    protected HttpClient Http => _http ?? throw new InvalidOperationException("not started");

    protected static StarknetRpcOptions FastRetries => new()
    {
        MaxAttempts = 4,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(10),
    };

    public async Task InitializeAsync()
    {
        _node = await FakeStarknetNode.StartAsync();
        _node.AddAccount(AccountAddress, StarkEcdsa.GetPublicKey(PrivateKey), nonce: 7UL);
        _http = new HttpClient();
        _client = NewClient(FastRetries);
    }

    public async Task DisposeAsync()
    {
        var violations = _node?.SchemaViolations.ToArray() ?? [];
        _http?.Dispose();
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        Assert.True(violations.Length == 0 || AllowSchemaViolations, "requests that break the spec's schemas:\n" + string.Join("\n", violations));
    }

    /// <summary>Tests of the fake's own validation send malformed requests on purpose.</summary>
    protected bool AllowSchemaViolations { get; set; }

    protected StarknetRpcClient NewClient(StarknetRpcOptions options) => new(Http, Node.Endpoint, options);

    /// <summary>An INVOKE v3 that calls transfer(recipient, amount) on the STRK token through the account.</summary>
    protected static InvokeV3Transaction Transfer(Felt nonce, ulong amount = 1_000, Felt? chainId = null, Felt? version = null) => new()
    {
        SenderAddress = AccountAddress,
        // __execute__ calldata (Cairo 1 accounts): number of calls, then per call: to, selector, calldata length, calldata.
        Calldata = [1UL, Token, Selectors.GetSelectorFromName("transfer"), 3UL, Felt.Parse("0x123abc"), amount, 0UL],
        ChainId = chainId ?? StarknetChainId.Sepolia,
        Nonce = nonce,
        Version = version ?? 3UL,
        ResourceBounds = new ResourceBounds(
            new ResourceBound(0, 50_000_000_000_000UL),
            new ResourceBound(2_000_000, 12_000_000_000UL),
            new ResourceBound(500, 2_000UL)),
        Tip = 1_000,
    };

    protected static StarkSignature Sign(InvokeV3Transaction tx) => StarkEcdsa.Sign(InvokeV3Hash.Compute(tx), PrivateKey);
}

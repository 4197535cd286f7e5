using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AstraTrade.Starknet;

namespace AstraTrade.Functions.FunctionalTests.Infrastructure;

/// <summary>
/// A Starknet JSON-RPC node on loopback that knows only <c>starknet_call</c> of accounts' <c>is_valid_signature</c>:
/// each account it knows has a Stark key, and it verifies the signature itself, as a plain Stark-key account contract
/// would. A wrong signature reverts (code 40, as Argent and OpenZeppelin accounts do); an unknown address is
/// CONTRACT_NOT_FOUND (20). So sign-in through the node fails whenever the app sends the wrong hash, the wrong
/// calldata layout or another account's signature.
/// </summary>
public sealed class FakeAccountNode : IAsyncDisposable
{
    public static readonly Felt IsValidSignature = Selectors.GetSelectorFromName("is_valid_signature");

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<Felt, int> _calls = new();

    private FakeAccountNode(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Account address → its Stark key.</summary>
    public ConcurrentDictionary<Felt, Felt> Accounts { get; } = new();

    /// <summary>Accounts that answer a valid signature with 1 (before SRC-6) instead of 'VALID'.</summary>
    public ConcurrentDictionary<Felt, bool> Legacy { get; } = new();

    public int CallsFor(Felt address) => _calls.GetValueOrDefault(address);

    public static async Task<FakeAccountNode> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var node = new FakeAccountNode(app);
        app.MapPost("/", (Delegate)node.HandleAsync);
        await app.StartAsync();
        node.Url = app.Urls.Single();
        return node;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        var root = document.RootElement;
        var id = JsonNode.Parse(root.GetProperty("id").GetRawText());
        if (root.GetProperty("method").GetString() != "starknet_call")
        {
            return Error(id, -32601, "Method not found");
        }

        var parameters = root.GetProperty("params");
        var request = parameters.GetProperty("request");
        if (parameters.GetProperty("block_id").GetString() != "latest")
        {
            return Error(id, -32602, "Invalid params: this fake answers for the latest block only");
        }

        var address = Felt.Parse(request.GetProperty("contract_address").GetString()!);
        var selector = Felt.Parse(request.GetProperty("entry_point_selector").GetString()!);
        var calldata = request.GetProperty("calldata").EnumerateArray().Select(e => Felt.Parse(e.GetString()!)).ToArray();
        _calls.AddOrUpdate(address, 1, (_, n) => n + 1);

        if (!Accounts.TryGetValue(address, out var key))
        {
            return Error(id, 20, "Contract not found");
        }

        if (selector != IsValidSignature)
        {
            return Error(id, 21, "Requested entrypoint does not exist in the contract");
        }

        // is_valid_signature(hash, signature: Array<felt252>) = [hash, len, elements…]
        var valid = calldata.Length >= 4
            && calldata[1] == Felt.FromUInt64((ulong)(calldata.Length - 2))
            && StarkEcdsa.Verify(calldata[0], new StarkSignature(calldata[2], calldata[3]), key);
        if (!valid)
        {
            return Error(id, 40, "Contract error", new JsonObject { ["revert_error"] = "argent/invalid-signature" });
        }

        var answer = Legacy.ContainsKey(address) ? Felt.One : ShortString.Encode("VALID");
        return Results.Json(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = new JsonArray(answer.ToHexString()) });
    }

    private static IResult Error(JsonNode? id, int code, string message, JsonNode? data = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (data is not null)
        {
            error["data"] = data;
        }

        return Results.Json(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = error });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

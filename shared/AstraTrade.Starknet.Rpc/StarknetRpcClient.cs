using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace AstraTrade.Starknet.Rpc;

/// <summary>Retry and time-out settings of <see cref="StarknetRpcClient"/>.</summary>
public sealed class StarknetRpcOptions
{
    /// <summary>Attempts per request, the first included (transport failures only). 1 disables retries.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The delay before the first retry; it doubles per retry, with jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest delay between attempts (also the cap on a server's Retry-After).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long one attempt may take before it counts as a transport failure.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// A client of a Starknet node's JSON-RPC API, spec 0.10.3 (starkware-libs/starknet-specs; the methods this backend needs).
/// Parameters are sent by name. RPC errors become the typed exceptions of <see cref="StarknetRpcErrorCodes"/> and are never
/// retried; transport failures (connection errors, time-outs, HTTP 5xx and 429 without a JSON-RPC body) are retried with
/// exponential backoff, except for <see cref="AddInvokeTransactionAsync(InvokeV3Transaction, IReadOnlyList{Felt}, bool, CancellationToken)"/>
/// unless its caller asks. Thread-safe.
/// </summary>
public sealed class StarknetRpcClient
{
    /// <summary>The spec version this client follows.</summary>
    public const string SpecVersion = "0.10.3";

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly StarknetRpcOptions _options;
    private readonly TimeProvider _time;
    private long _nextId;

    /// <summary>Creates a client that posts to <paramref name="endpoint"/> (e.g. https://node/rpc/v0_10).</summary>
    public StarknetRpcClient(HttpClient http, Uri endpoint, StarknetRpcOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = http;
        _endpoint = endpoint;
        _options = options ?? new StarknetRpcOptions();
        if (_options.MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxAttempts must be at least 1.");
        }

        _time = timeProvider ?? TimeProvider.System;
    }

    private static StarknetRpcJsonContext Json => StarknetRpcJsonContext.Default;

    /// <summary>starknet_chainId: the chain id (e.g. <see cref="StarknetChainId.Sepolia"/>).</summary>
    public async Task<Felt> GetChainIdAsync(CancellationToken cancellationToken = default)
    {
        var hex = await SendAsync("starknet_chainId", null, Json.String, retry: true, null, cancellationToken).ConfigureAwait(false);
        // CHAIN_ID is "0x" + hex without the FELT pattern's no-leading-zeros rule.
        return hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && Felt.TryParse(hex, out var id)
            ? id
            : throw new StarknetRpcProtocolException($"starknet_chainId: \"{hex}\" is not a hex chain id.");
    }

    /// <summary>starknet_specVersion: the spec version the node implements (compare with <see cref="SpecVersion"/>).</summary>
    public Task<string> GetSpecVersionAsync(CancellationToken cancellationToken = default) =>
        SendAsync("starknet_specVersion", null, Json.String, retry: true, null, cancellationToken);

    /// <summary>starknet_blockNumber: the latest block's number.</summary>
    public Task<ulong> GetBlockNumberAsync(CancellationToken cancellationToken = default) =>
        SendAsync("starknet_blockNumber", null, Json.UInt64, retry: true, null, cancellationToken);

    /// <summary>starknet_call: calls a view entry point and returns its result felts.</summary>
    public async Task<IReadOnlyList<Felt>> CallAsync(FunctionCall call, BlockId block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var parameters = new JsonObject
        {
            ["request"] = Node(call, Json.FunctionCall),
            ["block_id"] = Node(block, Json.BlockId),
        };
        return await SendAsync("starknet_call", parameters, Json.FeltArray, retry: true, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>starknet_getNonce: the account's nonce at <paramref name="block"/>.</summary>
    public Task<Felt> GetNonceAsync(Felt contractAddress, BlockId block, CancellationToken cancellationToken = default)
    {
        var parameters = new JsonObject
        {
            ["block_id"] = Node(block, Json.BlockId),
            ["contract_address"] = Node(contractAddress, Json.Felt),
        };
        return SendAsync("starknet_getNonce", parameters, Json.Felt, retry: true, null, cancellationToken);
    }

    /// <summary>
    /// starknet_estimateFee for INVOKE v3 transactions, each run on the state the previous ones leave. Sign them with
    /// <see cref="InvokeV3Hash.QueryVersion"/> as the version, so that the signature can never be replayed as a real
    /// transaction; with <paramref name="skipValidate"/> the signature is not checked at all.
    /// </summary>
    public async Task<IReadOnlyList<FeeEstimate>> EstimateFeeAsync(
        IReadOnlyList<(InvokeV3Transaction Transaction, IReadOnlyList<Felt> Signature)> transactions,
        BlockId block,
        bool skipValidate = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var wire = new List<InvokeV3Wire>(transactions.Count);
        foreach (var (tx, signature) in transactions)
        {
            CheckV3(tx, allowQuery: true);
            ArgumentNullException.ThrowIfNull(signature);
            wire.Add(InvokeV3Wire.From(tx, signature));
        }

        var parameters = new JsonObject
        {
            ["request"] = Node<IReadOnlyList<InvokeV3Wire>>(wire, Json.IReadOnlyListInvokeV3Wire),
            ["simulation_flags"] = Node(skipValidate ? ["SKIP_VALIDATE"] : Array.Empty<string>(), Json.StringArray),
            ["block_id"] = Node(block, Json.BlockId),
        };
        var estimates = await SendAsync("starknet_estimateFee", parameters, Json.IReadOnlyListFeeEstimate, retry: true, null, cancellationToken)
            .ConfigureAwait(false);
        return estimates.Count == transactions.Count
            ? estimates
            : throw new StarknetRpcProtocolException($"starknet_estimateFee: {estimates.Count} estimates for {transactions.Count} transactions.");
    }

    /// <summary>starknet_estimateFee for one INVOKE v3 transaction.</summary>
    public async Task<FeeEstimate> EstimateFeeAsync(
        InvokeV3Transaction transaction, IReadOnlyList<Felt> signature, BlockId block, bool skipValidate = false, CancellationToken cancellationToken = default)
    {
        var estimates = await EstimateFeeAsync([(transaction, signature)], block, skipValidate, cancellationToken).ConfigureAwait(false);
        return estimates[0];
    }

    /// <summary>starknet_addInvokeTransaction with an account's [r, s] signature.</summary>
    public Task<InvokeTransactionResult> AddInvokeTransactionAsync(
        InvokeV3Transaction transaction, StarkSignature signature, bool retryTransportFailures = false, CancellationToken cancellationToken = default) =>
        AddInvokeTransactionAsync(transaction, [signature.R, signature.S], retryTransportFailures, cancellationToken);

    /// <summary>
    /// starknet_addInvokeTransaction (v3 only; the version must be 3, not the query version). <paramref name="transaction"/>'s
    /// chain id is not sent: it is the one the signature covers, and the node recomputes the hash with its own.
    /// </summary>
    /// <remarks>
    /// A transport failure is not retried unless <paramref name="retryTransportFailures"/> is set: a time-out or a reset
    /// after the request left says nothing about whether the node accepted it, so a blind re-send is the caller's
    /// decision. Re-sending the same signed transaction is safe on chain (the nonce admits it once), and when a retry
    /// is answered DUPLICATE_TX (59) the first attempt did arrive: this method then returns the hash computed locally
    /// with <see cref="InvokeV3Hash"/>. Any other answer to a retry (INVALID_TRANSACTION_NONCE when it was already
    /// included, for example) is thrown as is; the caller should then look the local hash up with
    /// <see cref="GetTransactionStatusAsync"/> before signing anything new.
    /// </remarks>
    public async Task<InvokeTransactionResult> AddInvokeTransactionAsync(
        InvokeV3Transaction transaction, IReadOnlyList<Felt> signature, bool retryTransportFailures = false, CancellationToken cancellationToken = default)
    {
        CheckV3(transaction, allowQuery: false);
        ArgumentNullException.ThrowIfNull(signature);
        var parameters = new JsonObject { ["invoke_transaction"] = Node(InvokeV3Wire.From(transaction, signature), Json.InvokeV3Wire) };
        var state = new RequestState();
        try
        {
            return await SendAsync("starknet_addInvokeTransaction", parameters, Json.InvokeTransactionResult, retryTransportFailures, state, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DuplicateTransactionException) when (state.Attempts > 1)
        {
            return new InvokeTransactionResult(InvokeV3Hash.Compute(transaction));
        }
    }

    /// <summary>starknet_getTransactionStatus.</summary>
    /// <exception cref="TransactionHashNotFoundException">The node does not know the hash.</exception>
    public Task<TransactionStatus> GetTransactionStatusAsync(Felt transactionHash, CancellationToken cancellationToken = default) =>
        SendAsync("starknet_getTransactionStatus", new JsonObject { ["transaction_hash"] = Node(transactionHash, Json.Felt) },
            Json.TransactionStatus, retry: true, null, cancellationToken);

    /// <summary>starknet_getTransactionReceipt.</summary>
    /// <exception cref="TransactionHashNotFoundException">The node does not know the hash (or has not executed it yet).</exception>
    public Task<TransactionReceipt> GetTransactionReceiptAsync(Felt transactionHash, CancellationToken cancellationToken = default) =>
        SendAsync("starknet_getTransactionReceipt", new JsonObject { ["transaction_hash"] = Node(transactionHash, Json.Felt) },
            Json.TransactionReceipt, retry: true, null, cancellationToken);

    /// <summary>starknet_getEvents: one page of at most <paramref name="chunkSize"/> events.</summary>
    /// <param name="filter">Which events.</param>
    /// <param name="chunkSize">Page size (nodes cap it; too big gives <see cref="PageSizeTooBigException"/>).</param>
    /// <param name="continuationToken">The previous page's token; null for the first page.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<EventsChunk> GetEventsAsync(EventFilter filter, int chunkSize, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var request = new JsonObject();
        if (filter.FromBlock is { } from)
        {
            request["from_block"] = Node(from, Json.BlockId);
        }

        if (filter.ToBlock is { } to)
        {
            request["to_block"] = Node(to, Json.BlockId);
        }

        if (filter.Addresses is { Count: > 0 } addresses)
        {
            // One address goes as a plain ADDRESS: nodes before spec 0.10 accept only that form.
            request["address"] = addresses.Count == 1 ? Node(addresses[0], Json.Felt) : Node(addresses, Json.IReadOnlyListFelt);
        }

        if (filter.Keys is { Count: > 0 } keys)
        {
            request["keys"] = Node(keys, Json.IReadOnlyListIReadOnlyListFelt);
        }

        request["chunk_size"] = chunkSize;
        if (continuationToken is not null)
        {
            request["continuation_token"] = continuationToken;
        }

        return SendAsync("starknet_getEvents", new JsonObject { ["filter"] = request }, Json.EventsChunk, retry: true, null, cancellationToken);
    }

    /// <summary>
    /// Every event that matches <paramref name="filter"/>, fetched page by page: each page's continuation token is passed to
    /// the next call until a page comes without one. Each page is its own request (retried on transport failures).
    /// </summary>
    public async IAsyncEnumerable<EmittedEvent> GetAllEventsAsync(
        EventFilter filter, int chunkSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var chunk = await GetEventsAsync(filter, chunkSize, token, cancellationToken).ConfigureAwait(false);
            foreach (var e in chunk.Events)
            {
                yield return e;
            }

            token = chunk.ContinuationToken;
            // A node that hands out a token twice would make this loop forever.
            if (token is not null && !seen.Add(token))
            {
                throw new StarknetRpcProtocolException($"starknet_getEvents: continuation token \"{token}\" was returned twice.");
            }
        }
        while (token is not null);
    }

    // ------------------------------------------------------------------------------------------------------------------

    private static JsonNode? Node<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToNode(value, typeInfo);

    private static void CheckV3(InvokeV3Transaction transaction, bool allowQuery)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Version == 3UL || (allowQuery && transaction.Version == InvokeV3Hash.QueryVersion))
        {
            return;
        }

        throw new ArgumentException(
            allowQuery
                ? $"Only INVOKE v3 is supported: the version must be 0x3 or the query version, not {transaction.Version}."
                : $"Only INVOKE v3 can be submitted: the version must be 0x3, not {transaction.Version}.",
            nameof(transaction));
    }

    private async Task<T> SendAsync<T>(
        string method, JsonObject? parameters, JsonTypeInfo<T> resultType, bool retry, RequestState? state, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (parameters is not null)
        {
            request["params"] = parameters;
        }

        var body = System.Text.Encoding.UTF8.GetBytes(request.ToJsonString());
        var maxAttempts = retry ? _options.MaxAttempts : 1;
        for (var attempt = 1; ; attempt++)
        {
            if (state is not null)
            {
                state.Attempts = attempt;
            }

            Exception failure;
            TimeSpan? retryAfter = null;
            using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptCts.CancelAfter(_options.AttemptTimeout);
                try
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = JsonMediaType;
                    using var response = await _http.PostAsync(_endpoint, content, attemptCts.Token).ConfigureAwait(false);
                    var bytes = await response.Content.ReadAsByteArrayAsync(attemptCts.Token).ConfigureAwait(false);

                    // Some providers answer RPC errors with HTTP 4xx/5xx; a JSON-RPC body is an answer whatever the status.
                    if (TryReadEnvelope(bytes, out var envelope))
                    {
                        using (envelope)
                        {
                            return ReadResponse(method, id, envelope!.RootElement, resultType);
                        }
                    }

                    var status = (int)response.StatusCode;
                    if (response.IsSuccessStatusCode)
                    {
                        throw new StarknetRpcProtocolException($"{method}: HTTP {status} with a body that is not JSON-RPC: {Excerpt(bytes)}");
                    }

                    if (status < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                    {
                        throw new StarknetRpcTransportException($"{method}: HTTP {status} from {_endpoint.Host}: {Excerpt(bytes)}", attempt, null);
                    }

                    retryAfter = response.Headers.RetryAfter?.Delta;
                    failure = new HttpRequestException($"HTTP {status}: {Excerpt(bytes)}", null, response.StatusCode);
                }
                catch (HttpRequestException e)
                {
                    failure = e;
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new TimeoutException($"No answer within {_options.AttemptTimeout.TotalSeconds:0.###} s.", e);
                }
            }

            if (attempt >= maxAttempts)
            {
                var why = retry ? $"after {attempt} attempt(s)" : "(not retried)";
                throw new StarknetRpcTransportException($"{method}: transport failure {why}: {failure.Message}", attempt, failure);
            }

            await Task.Delay(Backoff(attempt, retryAfter), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var exponential = _options.BaseDelay * Math.Pow(2, attempt - 1);
        var capped = exponential < _options.MaxDelay ? exponential : _options.MaxDelay;
        // Jitter in [50 %, 100 %] keeps clients that failed together from retrying together.
        var delay = capped * (0.5 + (Random.Shared.NextDouble() / 2));
        if (retryAfter is { } server && server > delay)
        {
            delay = server < _options.MaxDelay ? server : _options.MaxDelay;
        }

        return delay;
    }

    private static bool TryReadEnvelope(byte[] bytes, out JsonDocument? document)
    {
        document = null;
        try
        {
            var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("jsonrpc", out _)
                && (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)))
            {
                document = doc;
                return true;
            }

            doc.Dispose();
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static T ReadResponse<T>(string method, long id, JsonElement root, JsonTypeInfo<T> resultType)
    {
        if (root.GetProperty("jsonrpc").ValueKind != JsonValueKind.String || root.GetProperty("jsonrpc").GetString() != "2.0")
        {
            throw new StarknetRpcProtocolException($"{method}: the answer is not JSON-RPC 2.0: {Excerpt(root)}");
        }

        var hasResult = root.TryGetProperty("result", out var result);
        var hasError = root.TryGetProperty("error", out var error);
        if (hasResult == hasError)
        {
            throw new StarknetRpcProtocolException($"{method}: the answer must have exactly one of result and error: {Excerpt(root)}");
        }

        if (hasError)
        {
            // An error about the request itself (parse error, invalid request) may come with id null.
            if (error.ValueKind != JsonValueKind.Object || !error.TryGetProperty("code", out var code) || !code.TryGetInt32(out var c))
            {
                throw new StarknetRpcProtocolException($"{method}: malformed error object: {Excerpt(root)}");
            }

            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : "";
            JsonElement? data = error.TryGetProperty("data", out var d) ? d.Clone() : null;
            throw StarknetRpcErrorCodes.Create(method, c, message, data);
        }

        if (!root.TryGetProperty("id", out var responseId) || !responseId.TryGetInt64(out var rid) || rid != id)
        {
            throw new StarknetRpcProtocolException($"{method}: the answer's id does not match the request's ({id}): {Excerpt(root)}");
        }

        try
        {
            return result.Deserialize(resultType)
                ?? throw new StarknetRpcProtocolException($"{method}: the result is null.");
        }
        catch (JsonException e)
        {
            throw new StarknetRpcProtocolException($"{method}: the result does not match spec {SpecVersion}: {e.Message} :: {Excerpt(result)}", e);
        }
    }

    private static string Excerpt(byte[] bytes) => Excerpt(System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 500)));

    private static string Excerpt(JsonElement element) => Excerpt(element.GetRawText());

    private static string Excerpt(string text) => text.Length > 500 ? text[..500] + "…" : text;

    private sealed class RequestState
    {
        public int Attempts { get; set; }
    }
}

using System.Text.Json;

namespace AstraTrade.Starknet.Rpc;

/// <summary>
/// The node answered with a JSON-RPC error object. Codes the spec (0.10.3) defines have a subclass; others (a newer spec,
/// a provider's own codes) come as this class with <see cref="Code"/> set. The client never retries these.
/// </summary>
public class StarknetRpcException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StarknetRpcException(string method, int code, string rpcMessage, JsonElement? data)
        : base($"{method}: RPC error {code} \"{rpcMessage}\"{DescribeData(data)}")
    {
        Method = method;
        Code = code;
        RpcMessage = rpcMessage;
        ErrorData = data;
    }

    /// <summary>The JSON-RPC method that failed.</summary>
    public string Method { get; }

    /// <summary>The error code.</summary>
    public int Code { get; }

    /// <summary>The error message as the node sent it.</summary>
    public string RpcMessage { get; }

    /// <summary>The error's data member, when present (a detached copy).</summary>
    public JsonElement? ErrorData { get; }

    /// <summary>The data as text: a string's value, or the raw JSON of anything else.</summary>
    public string? DataText => ErrorData switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } d => d.GetString(),
        { } d => d.GetRawText(),
    };

    private static string DescribeData(JsonElement? data)
    {
        if (data is null)
        {
            return string.Empty;
        }

        var text = data.Value.ValueKind == JsonValueKind.String ? data.Value.GetString() ?? string.Empty : data.Value.GetRawText();
        return ": " + (text.Length > 2000 ? text[..2000] + "…" : text);
    }
}

/// <summary>1 FAILED_TO_RECEIVE_TXN.</summary>
public sealed class FailedToReceiveTransactionException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.FailedToReceiveTransaction, message, data);

/// <summary>20 CONTRACT_NOT_FOUND.</summary>
public sealed class ContractNotFoundException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.ContractNotFound, message, data);

/// <summary>21 ENTRYPOINT_NOT_FOUND.</summary>
public sealed class ContractEntryPointNotFoundException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.EntryPointNotFound, message, data);

/// <summary>24 BLOCK_NOT_FOUND.</summary>
public sealed class BlockNotFoundException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.BlockNotFound, message, data);

/// <summary>29 TXN_HASH_NOT_FOUND: the node does not know the transaction (not yet received, or dropped).</summary>
public sealed class TransactionHashNotFoundException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.TransactionHashNotFound, message, data);

/// <summary>31 PAGE_SIZE_TOO_BIG.</summary>
public sealed class PageSizeTooBigException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.PageSizeTooBig, message, data);

/// <summary>32 NO_BLOCKS.</summary>
public sealed class NoBlocksException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.NoBlocks, message, data);

/// <summary>33 INVALID_CONTINUATION_TOKEN.</summary>
public sealed class InvalidContinuationTokenException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.InvalidContinuationToken, message, data);

/// <summary>34 TOO_MANY_KEYS_IN_FILTER.</summary>
public sealed class TooManyKeysInFilterException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.TooManyKeysInFilter, message, data);

/// <summary>40 CONTRACT_ERROR: a call failed; <see cref="RevertError"/> is the execution trace up to the failure.</summary>
public sealed class ContractErrorException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.ContractError, message, data)
{
    /// <summary>data.revert_error: a message, or the raw JSON of a nested CONTRACT_EXECUTION_ERROR.</summary>
    public string? RevertError => Member(ErrorData, "revert_error");

    internal static string? Member(JsonElement? data, string name) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(name, out var m)
            ? m.ValueKind == JsonValueKind.String ? m.GetString() : m.GetRawText()
            : null;
}

/// <summary>41 TRANSACTION_EXECUTION_ERROR: one of the estimated/simulated transactions failed.</summary>
public sealed class TransactionExecutionErrorException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.TransactionExecutionError, message, data)
{
    /// <summary>data.transaction_index: which transaction of the request failed first.</summary>
    public int? TransactionIndex =>
        ErrorData is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("transaction_index", out var i) && i.TryGetInt32(out var n) ? n : null;

    /// <summary>data.execution_error: a message, or the raw JSON of a nested CONTRACT_EXECUTION_ERROR.</summary>
    public string? ExecutionError => ContractErrorException.Member(ErrorData, "execution_error");
}

/// <summary>52 INVALID_TRANSACTION_NONCE: the nonce is not the account's next one (already used, or a gap).</summary>
public sealed class InvalidTransactionNonceException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.InvalidTransactionNonce, message, data);

/// <summary>53 INSUFFICIENT_RESOURCES_FOR_VALIDATE: the bounds do not cover validation or the minimal fee.</summary>
public sealed class InsufficientResourcesForValidateException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.InsufficientResourcesForValidate, message, data);

/// <summary>54 INSUFFICIENT_ACCOUNT_BALANCE: the balance is below the maximal fee (Σ max_amount × max_price).</summary>
public sealed class InsufficientAccountBalanceException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.InsufficientAccountBalance, message, data);

/// <summary>55 VALIDATION_FAILURE: the account's __validate__ refused the transaction (typically a bad signature).</summary>
public sealed class ValidationFailureException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.ValidationFailure, message, data);

/// <summary>58 NON_ACCOUNT: the sender is not an account contract.</summary>
public sealed class NonAccountException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.NonAccount, message, data);

/// <summary>59 DUPLICATE_TX: a transaction with the same hash is already in the mempool.</summary>
public sealed class DuplicateTransactionException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.DuplicateTransaction, message, data);

/// <summary>61 UNSUPPORTED_TX_VERSION.</summary>
public sealed class UnsupportedTransactionVersionException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.UnsupportedTransactionVersion, message, data);

/// <summary>63 UNEXPECTED_ERROR: the node failed; <see cref="StarknetRpcException.DataText"/> says how.</summary>
public sealed class UnexpectedRpcErrorException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.UnexpectedError, message, data);

/// <summary>64 REPLACEMENT_TRANSACTION_UNDERPRICED: a same-nonce replacement must raise the fee.</summary>
public sealed class ReplacementTransactionUnderpricedException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.ReplacementTransactionUnderpriced, message, data);

/// <summary>65 FEE_BELOW_MINIMUM.</summary>
public sealed class FeeBelowMinimumException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.FeeBelowMinimum, message, data);

/// <summary>69 INVALID_PROOF.</summary>
public sealed class InvalidProofException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.InvalidProof, message, data);

/// <summary>-32601: the node does not have the method (usually a node on another spec version or a wrong URL path).</summary>
public sealed class RpcMethodNotFoundException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.MethodNotFound, message, data);

/// <summary>-32602: the node refused the parameters (a client/spec-version mismatch, never a transient fault).</summary>
public sealed class RpcInvalidParamsException(string method, string message, JsonElement? data)
    : StarknetRpcException(method, StarknetRpcErrorCodes.InvalidParams, message, data);

/// <summary>The error codes of starknet-specs 0.10.3 (api and write_api) and the JSON-RPC 2.0 ones the client tells apart.</summary>
public static class StarknetRpcErrorCodes
{
#pragma warning disable CS1591 // The names are the spec's; each is documented on its exception.
    public const int FailedToReceiveTransaction = 1;
    public const int ContractNotFound = 20;
    public const int EntryPointNotFound = 21;
    public const int BlockNotFound = 24;
    public const int InvalidTransactionIndex = 27;
    public const int ClassHashNotFound = 28;
    public const int TransactionHashNotFound = 29;
    public const int PageSizeTooBig = 31;
    public const int NoBlocks = 32;
    public const int InvalidContinuationToken = 33;
    public const int TooManyKeysInFilter = 34;
    public const int ContractError = 40;
    public const int TransactionExecutionError = 41;
    public const int StorageProofNotSupported = 42;
    public const int ClassAlreadyDeclared = 51;
    public const int InvalidTransactionNonce = 52;
    public const int InsufficientResourcesForValidate = 53;
    public const int InsufficientAccountBalance = 54;
    public const int ValidationFailure = 55;
    public const int CompilationFailed = 56;
    public const int ContractClassSizeIsTooLarge = 57;
    public const int NonAccount = 58;
    public const int DuplicateTransaction = 59;
    public const int CompiledClassHashMismatch = 60;
    public const int UnsupportedTransactionVersion = 61;
    public const int UnsupportedContractClassVersion = 62;
    public const int UnexpectedError = 63;
    public const int ReplacementTransactionUnderpriced = 64;
    public const int FeeBelowMinimum = 65;
    public const int InvalidProof = 69;
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
#pragma warning restore CS1591

    internal static StarknetRpcException Create(string method, int code, string message, JsonElement? data) => code switch
    {
        FailedToReceiveTransaction => new FailedToReceiveTransactionException(method, message, data),
        ContractNotFound => new ContractNotFoundException(method, message, data),
        EntryPointNotFound => new ContractEntryPointNotFoundException(method, message, data),
        BlockNotFound => new BlockNotFoundException(method, message, data),
        TransactionHashNotFound => new TransactionHashNotFoundException(method, message, data),
        PageSizeTooBig => new PageSizeTooBigException(method, message, data),
        NoBlocks => new NoBlocksException(method, message, data),
        InvalidContinuationToken => new InvalidContinuationTokenException(method, message, data),
        TooManyKeysInFilter => new TooManyKeysInFilterException(method, message, data),
        ContractError => new ContractErrorException(method, message, data),
        TransactionExecutionError => new TransactionExecutionErrorException(method, message, data),
        InvalidTransactionNonce => new InvalidTransactionNonceException(method, message, data),
        InsufficientResourcesForValidate => new InsufficientResourcesForValidateException(method, message, data),
        InsufficientAccountBalance => new InsufficientAccountBalanceException(method, message, data),
        ValidationFailure => new ValidationFailureException(method, message, data),
        NonAccount => new NonAccountException(method, message, data),
        DuplicateTransaction => new DuplicateTransactionException(method, message, data),
        UnsupportedTransactionVersion => new UnsupportedTransactionVersionException(method, message, data),
        UnexpectedError => new UnexpectedRpcErrorException(method, message, data),
        ReplacementTransactionUnderpriced => new ReplacementTransactionUnderpricedException(method, message, data),
        FeeBelowMinimum => new FeeBelowMinimumException(method, message, data),
        InvalidProof => new InvalidProofException(method, message, data),
        MethodNotFound => new RpcMethodNotFoundException(method, message, data),
        InvalidParams => new RpcInvalidParamsException(method, message, data),
        _ => new StarknetRpcException(method, code, message, data),
    };
}

/// <summary>
/// The request did not get an answer: connection failures, time-outs, HTTP 5xx/429 without a JSON-RPC body, after the
/// configured retries; or an HTTP status that retrying cannot fix (401, 404…). For starknet_addInvokeTransaction the
/// transaction may or may not have reached the node: see <see cref="StarknetRpcClient.AddInvokeTransactionAsync(InvokeV3Transaction, IReadOnlyList{Felt}, bool, CancellationToken)"/>.
/// </summary>
public sealed class StarknetRpcTransportException(string message, int attempts, Exception? inner)
    : Exception(message, inner)
{
    /// <summary>How many times the request was sent.</summary>
    public int Attempts { get; } = attempts;
}

/// <summary>The node's answer is not a JSON-RPC 2.0 response for this request, or its result does not match the spec's schema.</summary>
public sealed class StarknetRpcProtocolException(string message, Exception? inner = null) : Exception(message, inner);

using AstraTrade.Application.Nft.Chain;
using AstraTrade.Application.Ports;
using AstraTrade.Starknet;
using AstraTrade.Starknet.Rpc;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Infrastructure.Starknet.Operator;

/// <summary>
/// The operator account over the project's Starknet layer (docs/nft.md, "The operator account"): INVOKE v3 transactions
/// hashed with <see cref="InvokeV3Hash"/> and signed with the configured key, nonces from a <see cref="NonceLedger"/>,
/// resource bounds from <c>starknet_estimateFee</c> times the configured margin, and each purpose's signed transaction
/// persisted before it is returned. Without a node, an account or a contract's address it says so
/// (<see cref="Unavailable"/>) and signs nothing.
/// </summary>
public sealed class OperatorAccount : IOperatorAccount
{
    private readonly StarknetRpcClient? _rpc;
    private readonly Felt _address;
    private readonly StarkSigner? _signer;
    private readonly Felt _chainId;
    private readonly decimal _feeMargin;
    private readonly Dictionary<string, Felt> _contracts = new(StringComparer.OrdinalIgnoreCase);
    private readonly PreparedTransactions _prepared;
    private readonly NonceLedger _nonces;
    private readonly ILogger<OperatorAccount> _logger;

    /// <param name="contracts">Contract name → address (<c>Starknet:Contracts</c>).</param>
    /// <param name="chainId">The chain's short string (SN_SEPOLIA, SN_MAIN): part of every transaction hash.</param>
    /// <param name="rpc">The node; null when none is configured.</param>
    /// <exception cref="InvalidOperationException">A setting is present but malformed (the message never shows the key).</exception>
    public OperatorAccount(
        OperatorOptions options,
        IReadOnlyDictionary<string, string> contracts,
        string chainId,
        StarknetRpcClient? rpc,
        IDocumentStore documents,
        ILogger<OperatorAccount> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(contracts);
        _rpc = rpc;
        _logger = logger;
        _feeMargin = options.FeeMargin >= 1m
            ? options.FeeMargin
            : throw new InvalidOperationException($"{OperatorOptions.Section}:FeeMargin must be at least 1 (it is {options.FeeMargin}).");
        _chainId = ShortString.Encode(chainId);
        _prepared = new PreparedTransactions(documents);

        var hasAddress = !string.IsNullOrWhiteSpace(options.Address);
        var hasKey = !string.IsNullOrWhiteSpace(options.PrivateKey);
        if (hasAddress != hasKey)
        {
            throw new InvalidOperationException($"{OperatorOptions.Section}: set both Address and PrivateKey, or neither.");
        }

        if (hasAddress)
        {
            _address = Felt.TryParse(options.Address, out var address) && !address.IsZero
                ? address
                : throw new InvalidOperationException($"{OperatorOptions.Section}:Address '{options.Address}' is not a \"0x\" hex address.");
            _signer = ParseKey(options.PrivateKey!);
        }

        _nonces = new NonceLedger(_address, ReadNonceAsync, documents);
        foreach (var (name, value) in contracts)
        {
            _contracts[name] = Felt.TryParse(value, out var contract) && !contract.IsZero
                ? contract
                : throw new InvalidOperationException($"Starknet:Contracts:{name} '{value}' is not a \"0x\" hex address.");
        }
    }

    /// <summary>The operator account's address (zero when none is configured).</summary>
    public Felt Address => _address;

    public string? Unavailable(IEnumerable<string> contracts)
    {
        if (_rpc is null)
        {
            return "No Starknet node is configured (Starknet:RpcUrl).";
        }

        if (_signer is null)
        {
            return $"No operator account is configured ({OperatorOptions.Section}:Address and :PrivateKey).";
        }

        var missing = contracts.Where(c => !_contracts.ContainsKey(c)).ToList();
        return missing.Count == 0 ? null : $"No address is configured for {string.Join(", ", missing.Select(c => "Starknet:Contracts:" + c))}.";
    }

    public async ValueTask<bool> IsDoneAsync(ChainCall view, CancellationToken cancellationToken)
    {
        var (rpc, _) = Ready([view.Contract]);
        try
        {
            var result = await rpc.CallAsync(ToFunctionCall(view), BlockId.Latest, cancellationToken).ConfigureAwait(false);
            return result.Count > 0 && !result[0].IsZero;
        }
        catch (ContractErrorException)
        {
            return false; // e.g. ERC-721 owner_of of a token that does not exist reverts
        }
    }

    public async ValueTask<SignedInvoke> PrepareAsync(string purpose, IReadOnlyList<ChainCall> calls, string? replaces, CancellationToken cancellationToken)
    {
        var (rpc, signer) = Ready(calls.Select(c => c.Contract));
        var existing = await _prepared.GetAsync(purpose, cancellationToken).ConfigureAwait(false);
        if (existing is { } found && (replaces is null || found.Transaction.Hash != replaces))
        {
            return found.Transaction; // signed before (this step ran again), or already replaced
        }

        var calldata = ExecuteCalldata.Encode([.. calls.Select(c => (_contracts[c.Contract], Selectors.GetSelectorFromName(c.Entrypoint),
            (IReadOnlyList<Felt>)[.. c.Calldata.Select(Felt.Parse)]))]);
        var bounds = await EstimateAsync(rpc, signer, calldata, cancellationToken).ConfigureAwait(false);
        var revision = (existing?.Transaction.Revision ?? 0) + 1;
        try
        {
            return await _nonces.AllocateAsync(purpose, replacing: existing is not null, async nonce =>
            {
                var tx = new InvokeV3Transaction { SenderAddress = _address, Calldata = calldata, ChainId = _chainId, Nonce = nonce, ResourceBounds = bounds };
                var hash = InvokeV3Hash.Compute(tx);
                var signed = SignedInvokes.From(purpose, revision, tx, hash, signer.Sign(hash));
                await _prepared.SaveAsync(signed, existing?.ETag, cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Chain write {Purpose}: signed {Hash} with nonce {Nonce} (revision {Revision})", purpose, signed.Hash, signed.Nonce, revision);
                return signed;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (PreconditionFailedException)
        {
            // Another run of this step persisted its transaction first: that one is the purpose's transaction.
            var winner = await _prepared.GetAsync(purpose, cancellationToken).ConfigureAwait(false);
            return winner?.Transaction ?? throw new InvalidOperationException($"The prepared transaction for '{purpose}' vanished.");
        }
    }

    public async ValueTask<SubmitResult> SubmitAsync(SignedInvoke transaction, CancellationToken cancellationToken)
    {
        var (rpc, _) = Ready([]);
        var (tx, signature) = SignedInvokes.ToTransaction(transaction);
        try
        {
            await rpc.AddInvokeTransactionAsync(tx, signature, retryTransportFailures: false, cancellationToken).ConfigureAwait(false);
            return new SubmitResult(SubmitStatus.Sent);
        }
        catch (DuplicateTransactionException)
        {
            return new SubmitResult(SubmitStatus.AlreadyKnown); // a resubmission, or a repeat of a send whose answer was lost
        }
        catch (StarknetRpcException refused)
        {
            // Refused as a new transaction; it may still be the one the node already ran (its nonce is then "invalid").
            if (await KnownAsync(rpc, tx, cancellationToken).ConfigureAwait(false))
            {
                return new SubmitResult(SubmitStatus.AlreadyKnown);
            }

            switch (refused.Code)
            {
                case StarknetRpcErrorCodes.InvalidTransactionNonce:
                    // Used by another transaction: the chain is ahead of the count.
                    await _nonces.SettleAsync(transaction.Purpose, tx.Nonce, cancellationToken).ConfigureAwait(false);
                    await _nonces.ResyncAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case StarknetRpcErrorCodes.ReplacementTransactionUnderpriced:
                    await _nonces.SkipPastAsync(transaction.Purpose, tx.Nonce, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await _nonces.ReleaseAsync(transaction.Purpose, tx.Nonce, cancellationToken).ConfigureAwait(false);
                    break;
            }

            var reason = Describe(refused);
            _logger.LogWarning("Chain write {Purpose}: the node refused {Hash} (nonce {Nonce}): {Reason}", transaction.Purpose, transaction.Hash, transaction.Nonce, reason);
            return new SubmitResult(SubmitStatus.Refused, reason);
        }
    }

    public async ValueTask<TransactionCheck> CheckAsync(SignedInvoke transaction, CancellationToken cancellationToken)
    {
        var (rpc, _) = Ready([]);
        var (tx, _) = SignedInvokes.ToTransaction(transaction);
        var hash = Felt.Parse(transaction.Hash);
        var status = await StatusAsync(rpc, hash, cancellationToken).ConfigureAwait(false);
        if (status is null)
        {
            // Unknown. Dead if its nonce is used: read the nonce first, then the status again, so that a transaction that
            // ran in between (and so used the nonce itself) is found by the second read.
            var chainNonce = await ReadNonceAsync(cancellationToken).ConfigureAwait(false);
            if (chainNonce.ToBigInteger() <= tx.Nonce.ToBigInteger())
            {
                return new TransactionCheck(TransactionState.Unknown);
            }

            status = await StatusAsync(rpc, hash, cancellationToken).ConfigureAwait(false);
            if (status is null)
            {
                await _nonces.SettleAsync(transaction.Purpose, tx.Nonce, cancellationToken).ConfigureAwait(false);
                return new TransactionCheck(TransactionState.Dead, Reason: $"Its nonce {transaction.Nonce} was used by another transaction (the account's nonce is {chainNonce}).");
            }
        }

        var finality = Wire(status.FinalityStatus);
        if (status.FinalityStatus is not (TransactionFinalityStatus.AcceptedOnL2 or TransactionFinalityStatus.AcceptedOnL1))
        {
            return new TransactionCheck(TransactionState.Pending, finality);
        }

        var receipt = await rpc.GetTransactionReceiptAsync(hash, cancellationToken).ConfigureAwait(false);
        await _nonces.SettleAsync(transaction.Purpose, tx.Nonce, cancellationToken).ConfigureAwait(false);
        return receipt.ExecutionStatus == TransactionExecutionStatus.Succeeded
            ? new TransactionCheck(TransactionState.Accepted, finality, receipt.BlockNumber)
            : new TransactionCheck(TransactionState.Reverted, finality, receipt.BlockNumber, receipt.RevertReason ?? status.FailureReason ?? "reverted");
    }

    private static StarkSigner ParseKey(string privateKey)
    {
        try
        {
            return StarkSigner.FromString(privateKey.Trim());
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // Not chained: the inner message would quote the text.
            throw new InvalidOperationException($"{OperatorOptions.Section}:PrivateKey is not a Stark private key (\"0x\" hex or decimal, in [1, N)).");
        }
    }

    /// <summary>The status as the spec writes it (TXN_STATUS).</summary>
    private static string Wire(TransactionFinalityStatus status) => status switch
    {
        TransactionFinalityStatus.Received => "RECEIVED",
        TransactionFinalityStatus.Candidate => "CANDIDATE",
        TransactionFinalityStatus.PreConfirmed => "PRE_CONFIRMED",
        TransactionFinalityStatus.AcceptedOnL2 => "ACCEPTED_ON_L2",
        _ => "ACCEPTED_ON_L1",
    };

    private static string Describe(StarknetRpcException e) =>
        e.DataText is { Length: > 0 } data ? $"{e.Code} {e.RpcMessage}: {data}" : $"{e.Code} {e.RpcMessage}";

    private static async Task<TransactionStatus?> StatusAsync(StarknetRpcClient rpc, Felt hash, CancellationToken cancellationToken)
    {
        try
        {
            return await rpc.GetTransactionStatusAsync(hash, cancellationToken).ConfigureAwait(false);
        }
        catch (TransactionHashNotFoundException)
        {
            return null;
        }
    }

    private static async Task<bool> KnownAsync(StarknetRpcClient rpc, InvokeV3Transaction tx, CancellationToken cancellationToken) =>
        await StatusAsync(rpc, InvokeV3Hash.Compute(tx), cancellationToken).ConfigureAwait(false) is not null;

    private (StarknetRpcClient Rpc, StarkSigner Signer) Ready(IEnumerable<string> contracts) =>
        Unavailable(contracts) is { } why ? throw new InvalidOperationException(why) : (_rpc!, _signer!);

    private FunctionCall ToFunctionCall(ChainCall call) =>
        new(_contracts[call.Contract], Selectors.GetSelectorFromName(call.Entrypoint), [.. call.Calldata.Select(Felt.Parse)]);

    /// <summary>Estimates with a query-version transaction (its signature can never be replayed as a real one) at the
    /// account's nonce on chain (always valid, while the nonce the transaction will get may not be yet), and bounds the
    /// real one at the estimate times the margin.</summary>
    private async Task<ResourceBounds> EstimateAsync(StarknetRpcClient rpc, StarkSigner signer, IReadOnlyList<Felt> calldata, CancellationToken cancellationToken)
    {
        var query = new InvokeV3Transaction
        {
            SenderAddress = _address,
            Calldata = calldata,
            ChainId = _chainId,
            Nonce = await ReadNonceAsync(cancellationToken).ConfigureAwait(false),
            ResourceBounds = ResourceBounds.Zero,
            Version = InvokeV3Hash.QueryVersion,
        };
        var signature = signer.Sign(InvokeV3Hash.Compute(query));
        try
        {
            var estimate = await rpc.EstimateFeeAsync(query, [signature.R, signature.S], BlockId.PreConfirmed, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return FeeMargin.Apply(estimate, _feeMargin);
        }
        catch (TransactionExecutionErrorException e)
        {
            throw new WriteWouldFailException(e.ExecutionError ?? Describe(e));
        }
    }

    private Task<Felt> ReadNonceAsync(CancellationToken cancellationToken) =>
        (_rpc ?? throw new InvalidOperationException("No Starknet node is configured.")).GetNonceAsync(_address, BlockId.PreConfirmed, cancellationToken);
}

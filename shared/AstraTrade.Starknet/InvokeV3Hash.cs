namespace AstraTrade.Starknet;

/// <summary>Data-availability mode of a v3 transaction's nonce or fee.</summary>
public enum DataAvailabilityMode
{
    /// <summary>L1 (0).</summary>
    L1 = 0,

    /// <summary>L2 (1).</summary>
    L2 = 1,
}

/// <summary>The bound for one resource: at most <see cref="MaxAmount"/> units at <see cref="MaxPricePerUnit"/> each.</summary>
/// <param name="MaxAmount">max_amount (u64).</param>
/// <param name="MaxPricePerUnit">max_price_per_unit (u128).</param>
public readonly record struct ResourceBound(ulong MaxAmount, UInt128 MaxPricePerUnit);

/// <summary>The resource bounds of a v3 transaction under the current spec (L1 gas, L2 gas, L1 data gas).</summary>
public sealed record ResourceBounds(ResourceBound L1Gas, ResourceBound L2Gas, ResourceBound L1DataGas)
{
    /// <summary>All bounds zero.</summary>
    public static ResourceBounds Zero { get; } = new(default, default, default);
}

/// <summary>Well-known chain ids (short strings).</summary>
public static class StarknetChainId
{
    /// <summary>"SN_MAIN".</summary>
    public static readonly Felt Mainnet = ShortString.Encode("SN_MAIN");

    /// <summary>"SN_SEPOLIA".</summary>
    public static readonly Felt Sepolia = ShortString.Encode("SN_SEPOLIA");
}

/// <summary>The fields of an INVOKE v3 transaction that its hash covers.</summary>
public sealed record InvokeV3Transaction
{
    /// <summary>The account contract that sends the transaction.</summary>
    public required Felt SenderAddress { get; init; }

    /// <summary>The calldata of <c>__execute__</c> (the compiled calls).</summary>
    public required IReadOnlyList<Felt> Calldata { get; init; }

    /// <summary>The chain id (e.g. <see cref="StarknetChainId.Mainnet"/>).</summary>
    public required Felt ChainId { get; init; }

    /// <summary>The account nonce.</summary>
    public required Felt Nonce { get; init; }

    /// <summary>Resource bounds (L1 gas, L2 gas, L1 data gas).</summary>
    public required ResourceBounds ResourceBounds { get; init; }

    /// <summary>The tip (u64).</summary>
    public ulong Tip { get; init; }

    /// <summary>Paymaster data (empty when there is no paymaster).</summary>
    public IReadOnlyList<Felt> PaymasterData { get; init; } = [];

    /// <summary>Account deployment data (empty unless the account is deployed in the same transaction).</summary>
    public IReadOnlyList<Felt> AccountDeploymentData { get; init; } = [];

    /// <summary>Nonce data-availability mode (L1 today).</summary>
    public DataAvailabilityMode NonceDataAvailabilityMode { get; init; } = DataAvailabilityMode.L1;

    /// <summary>Fee data-availability mode (L1 today).</summary>
    public DataAvailabilityMode FeeDataAvailabilityMode { get; init; } = DataAvailabilityMode.L1;

    /// <summary>The version: 3, or <see cref="InvokeV3Hash.QueryVersion"/> (2^128 + 3) for fee estimation / simulation.</summary>
    public Felt Version { get; init; } = 3UL;

    /// <summary>Proof facts (RPC 0.10); when non-empty their Poseidon hash is appended to the hashed fields.</summary>
    public IReadOnlyList<Felt> ProofFacts { get; init; } = [];
}

/// <summary>The INVOKE v3 transaction hash (Poseidon), as the Starknet spec and starknet.js define it.</summary>
public static class InvokeV3Hash
{
    /// <summary>"invoke" as a short string.</summary>
    public static readonly Felt InvokePrefix = ShortString.Encode("invoke");

    /// <summary>Query version 2^128 + 3, used for fee estimation and simulation.</summary>
    public static readonly Felt QueryVersion = Felt.FromBigInteger((System.Numerics.BigInteger.One << 128) + 3);

    private static readonly System.Numerics.BigInteger L1GasName = ShortString.Encode("L1_GAS").ToBigInteger();
    private static readonly System.Numerics.BigInteger L2GasName = ShortString.Encode("L2_GAS").ToBigInteger();
    private static readonly System.Numerics.BigInteger L1DataGasName = ShortString.Encode("L1_DATA").ToBigInteger();

    /// <summary>
    /// poseidon(["invoke", version, sender, fee_hash, poseidon(paymaster_data), chain_id, nonce, da_modes,
    /// poseidon(account_deployment_data), poseidon(calldata)] (+ [poseidon(proof_facts)] when present)),
    /// with fee_hash = poseidon([tip, L1_GAS bound, L2_GAS bound, L1_DATA bound]) and
    /// da_modes = nonce_mode · 2^32 + fee_mode.
    /// </summary>
    public static Felt Compute(InvokeV3Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(tx.ResourceBounds);
        var feeHash = Poseidon.HashMany(
            tx.Tip,
            EncodeBound(L1GasName, tx.ResourceBounds.L1Gas),
            EncodeBound(L2GasName, tx.ResourceBounds.L2Gas),
            EncodeBound(L1DataGasName, tx.ResourceBounds.L1DataGas));
        var daModes = ((ulong)tx.NonceDataAvailabilityMode << 32) + (ulong)tx.FeeDataAvailabilityMode;
        var fields = new List<Felt>(11)
        {
            InvokePrefix,
            tx.Version,
            tx.SenderAddress,
            feeHash,
            Poseidon.HashMany(tx.PaymasterData),
            tx.ChainId,
            tx.Nonce,
            daModes,
            Poseidon.HashMany(tx.AccountDeploymentData),
            Poseidon.HashMany(tx.Calldata),
        };
        if (tx.ProofFacts is { Count: > 0 })
        {
            fields.Add(Poseidon.HashMany(tx.ProofFacts));
        }

        return Poseidon.HashMany(fields);
    }

    /// <summary>resource_name · 2^192 + max_amount · 2^128 + max_price_per_unit (name in the top 60 bits).</summary>
    internal static Felt EncodeBound(System.Numerics.BigInteger name, ResourceBound bound) =>
        Felt.FromBigInteger((name << 192) + ((System.Numerics.BigInteger)bound.MaxAmount << 128) + (System.Numerics.BigInteger)bound.MaxPricePerUnit);
}

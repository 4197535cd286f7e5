using System.Globalization;
using AstraTrade.Application.Nft.Chain;
using AstraTrade.Starknet;

namespace AstraTrade.Infrastructure.Starknet.Operator;

/// <summary>Between the port's <see cref="SignedInvoke"/> (hex strings, JSON in workflow state) and the Starknet layer's
/// <see cref="InvokeV3Transaction"/>.</summary>
internal static class SignedInvokes
{
    public static SignedInvoke From(string purpose, int revision, InvokeV3Transaction tx, Felt hash, StarkSignature signature)
    {
        var b = tx.ResourceBounds;
        return new SignedInvoke(
            purpose,
            revision,
            hash.ToHexString(),
            tx.SenderAddress.ToHexString(),
            tx.ChainId.ToHexString(),
            tx.Nonce.ToHexString(),
            [.. tx.Calldata.Select(f => f.ToHexString())],
            new InvokeFeeBounds(
                Hex(b.L1Gas.MaxAmount), Hex(b.L1Gas.MaxPricePerUnit),
                Hex(b.L2Gas.MaxAmount), Hex(b.L2Gas.MaxPricePerUnit),
                Hex(b.L1DataGas.MaxAmount), Hex(b.L1DataGas.MaxPricePerUnit)),
            [signature.R.ToHexString(), signature.S.ToHexString()]);
    }

    /// <summary>The transaction exactly as signed. Its hash is recomputed and must be the recorded one: state that no
    /// longer matches its signature is refused here rather than sent.</summary>
    public static (InvokeV3Transaction Transaction, IReadOnlyList<Felt> Signature) ToTransaction(SignedInvoke signed)
    {
        var b = signed.Bounds;
        var tx = new InvokeV3Transaction
        {
            SenderAddress = Felt.Parse(signed.Sender),
            Calldata = [.. signed.Calldata.Select(Felt.Parse)],
            ChainId = Felt.Parse(signed.ChainId),
            Nonce = Felt.Parse(signed.Nonce),
            ResourceBounds = new ResourceBounds(
                new ResourceBound(U64(b.L1GasMaxAmount), U128(b.L1GasMaxPrice)),
                new ResourceBound(U64(b.L2GasMaxAmount), U128(b.L2GasMaxPrice)),
                new ResourceBound(U64(b.L1DataGasMaxAmount), U128(b.L1DataGasMaxPrice))),
        };
        if (InvokeV3Hash.Compute(tx) != Felt.Parse(signed.Hash))
        {
            throw new InvalidOperationException($"The stored transaction for '{signed.Purpose}' does not hash to {signed.Hash}.");
        }

        return (tx, [.. signed.Signature.Select(Felt.Parse)]);
    }

    private static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static string Hex(UInt128 value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static ulong U64(string hex) => ulong.Parse(hex.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private static UInt128 U128(string hex) => UInt128.Parse(hex.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}

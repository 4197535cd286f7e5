using System.Numerics;
using AstraTrade.Starknet;
using AstraTrade.Starknet.Rpc;

namespace AstraTrade.Infrastructure.Starknet.Operator;

/// <summary>Resource bounds from a fee estimate: each resource's amount and price per unit times the margin, rounded up
/// (so a margin of 1 is the estimate itself), capped at the field sizes (u64 amounts, u128 prices).</summary>
internal static class FeeMargin
{
    private const int Scale = 1_000_000;

    public static ResourceBounds Apply(FeeEstimate estimate, decimal margin)
    {
        if (margin < 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "A fee margin below 1 would bound below the estimate.");
        }

        var scaled = new BigInteger(decimal.Round(margin * Scale, 0, MidpointRounding.ToPositiveInfinity));
        return new ResourceBounds(
            new ResourceBound(Amount(estimate.L1GasConsumed, scaled), Price(estimate.L1GasPrice, scaled)),
            new ResourceBound(Amount(estimate.L2GasConsumed, scaled), Price(estimate.L2GasPrice, scaled)),
            new ResourceBound(Amount(estimate.L1DataGasConsumed, scaled), Price(estimate.L1DataGasPrice, scaled)));
    }

    private static ulong Amount(ulong consumed, BigInteger scaled) => (ulong)BigInteger.Min(Times(consumed, scaled), ulong.MaxValue);

    private static UInt128 Price(UInt128 price, BigInteger scaled) => (UInt128)BigInteger.Min(Times(price, scaled), UInt128.MaxValue);

    private static BigInteger Times(BigInteger value, BigInteger scaled) => ((value * scaled) + Scale - 1) / Scale;
}

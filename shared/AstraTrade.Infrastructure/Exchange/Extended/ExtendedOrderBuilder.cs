using System.Globalization;
using AstraTrade.Application.Ports;
using AstraTrade.Starknet;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>
/// Turns a priced order into Extended's request with its signed settlement, as Extended's SDK does: the synthetic and
/// collateral amounts in the market's settlement resolutions (rounded up for a buy, down for a sell, so the signed
/// terms are never better for the trader than the order), the fee rounded up, the buyer's collateral and the seller's
/// synthetic negative, and a settlement expiry 14 days after the order's (Extended's buffer).
/// </summary>
public static class ExtendedOrderBuilder
{
    public static readonly TimeSpan SettlementExpiryBuffer = TimeSpan.FromDays(14);

    public static ExtendedOrderRequest Build(
        ExtendedMarket market, string externalId, bool buy, bool isMarket, bool reduceOnly, decimal qty, decimal price, decimal feeRate,
        DateTimeOffset expiry, ulong nonce, uint vault, StarkPrivateKey key, ExtendedSigningDomain domain)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(key);
        var message = Message(market.L2Config, buy, qty, price, feeRate, expiry, nonce, vault);
        var signer = new StarkSigner(key.RevealValue());
        var signature = signer.Sign(message.MessageHash(domain, signer.StarkKey));
        return new ExtendedOrderRequest(
            externalId, market.Name, isMarket ? "MARKET" : "LIMIT", buy ? "BUY" : "SELL",
            Text(qty), Text(price), isMarket ? "IOC" : "GTT", expiry.ToUnixTimeMilliseconds(), Text(feeRate),
            nonce.ToString(CultureInfo.InvariantCulture), PostOnly: false, ReduceOnly: reduceOnly, SelfTradeProtectionLevel: "ACCOUNT",
            new ExtendedSettlement(new ExtendedSignature(signature.R.ToHexString(), signature.S.ToHexString()), signer.StarkKey.ToHexString(),
                vault.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The settlement message of an order's terms (the fake exchange recomputes it from a request the same way).</summary>
    public static ExtendedOrderMessage Message(ExtendedL2Config l2, bool buy, decimal qty, decimal price, decimal feeRate, DateTimeOffset expiry, ulong nonce, uint vault)
    {
        ArgumentNullException.ThrowIfNull(l2);
        var value = qty * price;
        var synthetic = Scale(qty, l2.SyntheticResolution, roundUp: buy);
        var collateral = Scale(value, l2.CollateralResolution, roundUp: buy);
        var fee = (ulong)Scale(feeRate * value, l2.CollateralResolution, roundUp: true);
        var collateralId = Felt.Parse(l2.CollateralId);
        return new ExtendedOrderMessage(
            vault,
            Felt.Parse(l2.SyntheticId),
            buy ? synthetic : -synthetic,
            collateralId,
            buy ? -collateral : collateral,
            collateralId,
            fee,
            (ulong)Math.Ceiling((expiry + SettlementExpiryBuffer).ToUnixTimeMilliseconds() / 1000m),
            Felt.FromUInt64(nonce));
    }

    public static string Text(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static long Scale(decimal amount, long resolution, bool roundUp)
    {
        var scaled = amount * resolution;
        return checked((long)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled)));
    }
}

using System.Globalization;
using AstraTrade.Starknet;

namespace AstraTrade.Testing.Extended;

/// <summary>
/// What Extended checks before it takes an order: that the settlement is signed by the account's Stark key, for the
/// account's vault, over this very order. The fake recomputes the message from the order's own fields by the rules of
/// Extended's SDK (x10 python_sdk <c>order_object_settlement.py</c>), written here apart from the adapter's builder so
/// that a mistake there does not cancel out: amounts in the market's resolutions, rounded against the trader (up for a
/// buy, down for a sell, the fee up), the buyer's collateral and the seller's synthetic negative, and the settlement
/// expiry 14 days after the order's, in seconds.
/// </summary>
internal static class FakeExtendedSettlement
{
    public sealed record Terms(bool Buy, decimal Qty, decimal Price, decimal FeeRate, long ExpiryEpochMillis, ulong Nonce, string R, string S, string StarkKey, string CollateralPosition);

    /// <summary>Null when the settlement is the account's and signs these terms; otherwise why not.</summary>
    public static string? Verify(Terms terms, FakeExtendedMarket market, Felt accountKey, uint vault, ExtendedSigningDomain domain)
    {
        if (!Felt.TryParse(terms.StarkKey, out var starkKey) || starkKey != accountKey)
        {
            return "The settlement's Stark key is not the account's";
        }

        if (terms.CollateralPosition != vault.ToString(CultureInfo.InvariantCulture))
        {
            return "The settlement's collateral position is not the account's vault";
        }

        if (!Felt.TryParse(terms.R, out var r) || !Felt.TryParse(terms.S, out var s))
        {
            return "The settlement's signature is not two field elements";
        }

        var value = terms.Qty * terms.Price;
        var synthetic = Scale(terms.Qty, market.SyntheticResolution, up: terms.Buy);
        var collateral = Scale(value, market.CollateralResolution, up: terms.Buy);
        var fee = (ulong)Scale(terms.FeeRate * value, market.CollateralResolution, up: true);
        var expiry = (ulong)Math.Ceiling((terms.ExpiryEpochMillis + (long)TimeSpan.FromDays(14).TotalMilliseconds) / 1000m);
        var collateralId = Felt.Parse(market.CollateralId);
        var message = new ExtendedOrderMessage(
            vault, Felt.Parse(market.SyntheticId), terms.Buy ? synthetic : -synthetic, collateralId, terms.Buy ? -collateral : collateral,
            collateralId, fee, expiry, Felt.FromUInt64(terms.Nonce));
        return StarkEcdsa.Verify(message.MessageHash(domain, starkKey), new StarkSignature(r, s), starkKey) ? null : "Invalid settlement signature";
    }

    private static long Scale(decimal amount, long resolution, bool up) =>
        checked((long)(up ? Math.Ceiling(amount * resolution) : Math.Floor(amount * resolution)));
}

using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace AstraTrade.Starknet.Tests;

/// <summary>
/// Extended's order settlement hash (ExtendedOrderMessage) against Extended's own signer: the message hash for
/// random orders and the edge values of every member's type, under both domains; and our RFC 6979 signature of each
/// hash equals the signer's, and verifies against the key.
/// </summary>
public sealed class ExtendedOrderHashTests(ExtendedVectors vectors) : IClassFixture<ExtendedVectors>
{
    [Fact]
    public void Message_hashes_match_Extendeds_signer()
    {
        var orders = vectors.Orders;
        Assert.True(orders.Count >= 40, $"{vectors.Generator} produced {orders.Count} orders");
        foreach (var v in orders)
        {
            var (message, domain, starkKey) = Read(v);
            Assert.Equal(Felt.Parse(v.GetProperty("messageHash").GetString()!), message.MessageHash(domain, starkKey));
        }
    }

    [Fact]
    public void Signatures_match_Extendeds_signer_and_verify()
    {
        foreach (var v in vectors.Orders.Take(10))
        {
            var hash = Felt.Parse(v.GetProperty("messageHash").GetString()!);
            var signer = StarkSigner.FromString(v.GetProperty("privateKey").GetString()!);
            var expected = new StarkSignature(
                Felt.Parse(v.GetProperty("signature").GetProperty("r").GetString()!),
                Felt.Parse(v.GetProperty("signature").GetProperty("s").GetString()!));
            Assert.Equal(expected, signer.Sign(hash));
            Assert.True(StarkEcdsa.Verify(hash, expected, signer.StarkKey));
        }
    }

    [Fact]
    public void Every_member_changes_the_hash()
    {
        var (message, domain, key) = Read(vectors.Orders[5]);
        var baseline = message.MessageHash(domain, key);
        ExtendedOrderMessage[] variants =
        [
            message with { PositionId = message.PositionId ^ 1 },
            message with { BaseAssetId = message.BaseAssetId + Felt.One },
            message with { BaseAmount = -message.BaseAmount },
            message with { QuoteAssetId = message.QuoteAssetId + Felt.One },
            message with { QuoteAmount = message.QuoteAmount ^ 1 },
            message with { FeeAssetId = message.FeeAssetId + Felt.One },
            message with { FeeAmount = message.FeeAmount ^ 1 },
            message with { ExpirationSeconds = message.ExpirationSeconds + 1 },
            message with { Salt = message.Salt + Felt.One },
        ];
        Assert.All(variants, m => Assert.NotEqual(baseline, m.MessageHash(domain, key)));
        Assert.NotEqual(baseline, message.MessageHash(domain with { ChainId = "SN_OTHER" }, key));
        Assert.NotEqual(baseline, message.MessageHash(domain, key + Felt.One));
    }

    private static (ExtendedOrderMessage Message, ExtendedSigningDomain Domain, Felt StarkKey) Read(JsonElement v)
    {
        var d = v.GetProperty("domain");
        var domain = new ExtendedSigningDomain(
            d.GetProperty("name").GetString()!, d.GetProperty("version").GetString()!, d.GetProperty("chainId").GetString()!,
            uint.Parse(d.GetProperty("revision").GetString()!, CultureInfo.InvariantCulture));
        var message = new ExtendedOrderMessage(
            uint.Parse(v.GetProperty("positionId").GetString()!, CultureInfo.InvariantCulture),
            Felt.Parse(v.GetProperty("baseAssetId").GetString()!),
            long.Parse(v.GetProperty("baseAmount").GetString()!, CultureInfo.InvariantCulture),
            Felt.Parse(v.GetProperty("quoteAssetId").GetString()!),
            long.Parse(v.GetProperty("quoteAmount").GetString()!, CultureInfo.InvariantCulture),
            Felt.Parse(v.GetProperty("feeAssetId").GetString()!),
            ulong.Parse(v.GetProperty("feeAmount").GetString()!, CultureInfo.InvariantCulture),
            ulong.Parse(v.GetProperty("expiration").GetString()!, CultureInfo.InvariantCulture),
            Felt.FromBigInteger(BigInteger.Parse(v.GetProperty("salt").GetString()!, CultureInfo.InvariantCulture)));
        return (message, domain, Felt.Parse(v.GetProperty("userPublicKey").GetString()!));
    }
}

using System.Numerics;
using AstraTrade.Domain.Nft;
using FsCheck;
using FsCheck.Fluent;

namespace AstraTrade.Domain.UnitTests.Nft;

public class GenesisTokenIdTests
{
    [Fact]
    public void The_kind_is_the_high_128_bits_and_the_user_id_the_low_ones()
    {
        var user = Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff");
        var levelTen = GenesisCollection.Find("LEVEL_10")!;

        var id = GenesisTokenId.Of(user, levelTen);

        Assert.Equal((BigInteger.One << 129) + (BigInteger.One << 128) - 1, id); // 2·2^128 + (2^128 − 1)
        Assert.Equal(id.ToString(), GenesisTokenId.Text(user, levelTen));
        Assert.True(GenesisTokenId.TryParse(id.ToString(), out var parsedUser, out var parsedKind));
        Assert.Equal((user, levelTen), (parsedUser, parsedKind));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-340282366920938463463374607431768211457")]
    [InlineData("0340282366920938463463374607431768211457")] // a leading zero: not the canonical form
    [InlineData(" 340282366920938463463374607431768211457")]
    [InlineData("42")] // kind 0 does not exist
    [InlineData("2722258935367507707706996859454145691648")] // kind 8 does not exist
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936000")]
    public void Anything_but_a_canonical_id_of_an_existing_kind_is_not_a_token(string text) =>
        Assert.False(GenesisTokenId.TryParse(text, out _, out _));

    [Fact]
    public void Ids_round_trip_and_never_collide_across_users_and_kinds()
    {
        var gen =
            from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 16)
            from kinds in Gen.SubListOf(GenesisCollection.Kinds.ToArray())
            select (User: new Guid(bytes), Kinds: kinds);
        Prop.ForAll(Arb.From(Gen.ListOf(gen, 20)), users =>
        {
            var seen = new Dictionary<BigInteger, (Guid, string)>();
            foreach (var (user, kinds) in users)
            {
                foreach (var kind in kinds)
                {
                    var id = GenesisTokenId.Of(user, kind);
                    if (seen.TryGetValue(id, out var owner) && owner != (user, kind.AchievementId))
                    {
                        return false;
                    }

                    seen[id] = (user, kind.AchievementId);
                    if (!GenesisTokenId.TryParse(id.ToString(), out var u, out var k) || u != user || k != kind || id >= BigInteger.One << 256)
                    {
                        return false;
                    }
                }
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }
}

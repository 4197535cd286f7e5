using System.Numerics;

namespace AstraTrade.Starknet.Tests;

/// <summary>Input validation: clear exceptions for out-of-range values and malformed input.</summary>
public sealed class ValidationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0xg1")]
    [InlineData("12a")]
    [InlineData("-1")]
    [InlineData(" 1")]
    [InlineData("1.5")]
    public void Malformed_text_is_a_FormatException(string text)
    {
        Assert.Throws<FormatException>(() => Felt.Parse(text));
        Assert.False(Felt.TryParse(text, out _));
    }

    [Theory]
    [InlineData("0x800000000000011000000000000000000000000000000000000000000000001")] // P
    [InlineData("0x800000000000011000000000000000000000000000000000000000000000002")]
    [InlineData("0x1000000000000000000000000000000000000000000000000000000000000000000")]
    public void Values_not_below_P_are_rejected(string text)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Felt.Parse(text));
        Assert.False(Felt.TryParse(text, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Felt.FromBigInteger(Felt.ParseUnsignedInteger(text, "x")));
    }

    [Fact]
    public void Edges_of_the_field()
    {
        Assert.Equal(Felt.Prime - 1, Felt.Parse("0x800000000000011000000000000000000000000000000000000000000000000").ToBigInteger());
        Assert.Equal(Felt.Zero, Felt.MaxValue + Felt.One);
        Assert.Equal("0x0", Felt.Zero.ToHexString());
        Assert.Equal("0x" + new string('0', 64), Felt.Zero.ToPaddedHexString());
        Assert.Equal(Felt.One, Felt.Parse("0X01"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Felt.FromBigInteger(-1));
        Assert.Equal(Felt.MaxValue, Felt.FromBigIntegerReduced(-1));
        Assert.Throws<DivideByZeroException>(() => Felt.Zero.Inverse());
        Assert.Throws<ArgumentException>(() => Felt.FromBytesBigEndian(new byte[33]));
        Assert.True(Felt.One < Felt.MaxValue);
    }

    [Fact]
    public void Short_strings_are_ascii_and_at_most_31_characters()
    {
        Assert.Throws<ArgumentException>(() => ShortString.Encode(new string('a', 32)));
        Assert.Throws<ArgumentException>(() => ShortString.Encode("héllo"));
        Assert.Equal(Felt.Zero, ShortString.Encode(""));
        Assert.Equal(new string('z', 31), ShortString.Decode(ShortString.Encode(new string('z', 31))));
    }

    [Fact]
    public void Ecdsa_rejects_bad_keys_and_hashes()
    {
        var key = BigInteger.Parse("123456789");
        Assert.Throws<ArgumentOutOfRangeException>(() => StarkEcdsa.Sign(Felt.One, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StarkEcdsa.Sign(Felt.One, StarkCurve.Order));
        Assert.Throws<ArgumentOutOfRangeException>(() => StarkEcdsa.GetPublicKey(-5));
        var tooBig = Felt.FromBigInteger(StarkCurve.MaxValue);
        Assert.Throws<ArgumentOutOfRangeException>(() => StarkEcdsa.Sign(tooBig, key));
        var signature = StarkEcdsa.Sign(Felt.One, key);
        Assert.Throws<ArgumentOutOfRangeException>(() => StarkEcdsa.Verify(tooBig, signature, StarkEcdsa.GetPublicKey(key)));
        Assert.False(StarkEcdsa.Verify(Felt.One, new StarkSignature(Felt.Zero, signature.S), StarkEcdsa.GetPublicKey(key)));
        Assert.False(StarkEcdsa.Verify(Felt.One, new StarkSignature(signature.R, Felt.Zero), StarkEcdsa.GetPublicKey(key)));
        Assert.False(StarkEcdsa.Verify(Felt.One, new StarkSignature(tooBig, signature.S), StarkEcdsa.GetPublicKey(key)));
        Assert.False(StarkEcdsa.Verify(Felt.One, new StarkSignature(signature.R, Felt.FromBigInteger(StarkCurve.Order)), StarkEcdsa.GetPublicKey(key)));
        Assert.False(StarkEcdsa.Verify(Felt.One, signature, StarkPoint.Infinity));
        Assert.DoesNotContain("123456789", new StarkSigner(key).ToString(), StringComparison.Ordinal);
        Assert.Equal(new StarkSigner(key).PublicKey, StarkSigner.FromString("0x75bcd15").PublicKey);
    }

    [Fact]
    public void Points_are_checked()
    {
        Assert.Throws<ArgumentException>(() => StarkPoint.FromCoordinates(Felt.One, Felt.One));
        Assert.Throws<FormatException>(() => StarkPoint.FromHex("0x05" + new string('0', 128)));
        Assert.Throws<FormatException>(() => StarkPoint.FromHex("zz"));
        var g = StarkCurve.Generator;
        Assert.Equal(g, StarkPoint.FromHex(g.ToUncompressedHex()));
        var odd = !g.Y.ToBigInteger().IsEven;
        Assert.Equal(g, StarkPoint.FromHex((odd ? "0x03" : "0x02") + g.X.ToPaddedHexString()[2..]));
        Assert.Equal(g.Negate(), StarkPoint.FromHex((odd ? "0x02" : "0x03") + g.X.ToPaddedHexString()[2..]));
    }

    [Fact]
    public void Poseidon_state_must_have_three_elements() =>
        Assert.Throws<ArgumentException>(() => Poseidon.Permute(new Felt[2]));

    [Fact]
    public void Invoke_v3_query_version()
    {
        Assert.Equal((BigInteger.One << 128) + 3, InvokeV3Hash.QueryVersion.ToBigInteger());
        var tx = new InvokeV3Transaction
        {
            SenderAddress = 1UL,
            Calldata = [],
            ChainId = StarknetChainId.Sepolia,
            Nonce = 0UL,
            ResourceBounds = ResourceBounds.Zero,
        };
        Assert.NotEqual(InvokeV3Hash.Compute(tx), InvokeV3Hash.Compute(tx with { Version = InvokeV3Hash.QueryVersion }));
        Assert.NotEqual(InvokeV3Hash.Compute(tx), InvokeV3Hash.Compute(tx with { ProofFacts = [1UL] }));
    }
}

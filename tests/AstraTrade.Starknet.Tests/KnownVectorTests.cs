using System.Globalization;
using System.Numerics;
using System.Text;

namespace AstraTrade.Starknet.Tests;

/// <summary>Published vectors (cairo-lang, StarkWare crypto-cpp, Ethereum, other Starknet SDKs' test suites): no node needed.</summary>
public sealed class KnownVectorTests
{
    private static Felt F(string text) => Felt.Parse(text);

    [Fact]
    public void Pedersen_cairo_lang_vector() =>
        Assert.Equal(
            F("0x30e480bed5fe53fa909cc0f8c4d99b8f9f2c016be4c41e13a4848797979c662"),
            Pedersen.Hash(F("0x3d937c035c878245caf64531a5756109c53068da139362728feb561405371cb"), F("0x208a0a10250e382e1e4bbe2880906c2791bf6275695e02fbbc6aeff9cd8b31a")));

    [Theory]
    [InlineData(1, "2384960345383653703825803024708982182127528589318022519244349682493582074337")] // [0]
    [InlineData(24, "2800526046406372876670877767246181706986966856687646706671678894003401414331")] // [0..23]
    [InlineData(128, "3530668544792995162958732882451140094230265759699749633300982879733486600710")] // [0..127]
    public void Poseidon_hash_many_of_a_range(int count, string expected)
    {
        var values = Enumerable.Range(0, count).Select(i => (Felt)(ulong)i).ToArray();
        Assert.Equal(F(expected), Poseidon.HashMany(values));
    }

    [Fact]
    public void Poseidon_hash_many_3_2_1_0() =>
        Assert.Equal(F("959881287299178068212229797802921067420697642955658182090092369705512874535"), Poseidon.HashMany(3, 2, 1, 0));

    [Fact]
    public void Poseidon_hash_single_cairo_lang() =>
        Assert.Equal(
            F("2835120893146788752888137145656423078969524407843035783270702964188823073934"),
            Poseidon.HashSingle(F("218676008889449692916464780911713710628115973574242889792891157041292792362")));

    [Fact]
    public void Poseidon_round_constants_are_starknets()
    {
        Assert.Equal(F("0x6861759ea556a2339dd92f9562a30b9e58e2ad98109ae4780b7fd8eac77fe6f"), Poseidon.RoundConstant(0, 0));
        Assert.Equal(F("0x61fc552b8eb75e17ad0fb7aaa4ca528f415e14f0d9cdbed861a8db0bfff0c5b"), Poseidon.RoundConstant(90, 2));
    }

    [Theory]
    [InlineData("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    public void Keccak256_ethereum_vectors(string input, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(Keccak256.Hash(Encoding.ASCII.GetBytes(input))));

    [Fact]
    public void Keccak256_multi_block_input_is_not_sha3()
    {
        // 200 bytes span two 136-byte blocks; SHA3-256 (different padding) must differ.
        var data = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
        Assert.NotEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA3_256.IsSupported
            ? System.Security.Cryptography.SHA3_256.HashData(data) : new byte[32]), Convert.ToHexStringLower(Keccak256.Hash(data)));
    }

    [Theory]
    [InlineData("__execute__", "0x15d40a3d6ca2ac30f4031e42be28da9b056fef9bb7357ac5e85627ee876e5ad")]
    [InlineData("transfer", "0x83afd3f4caedc6eebf44246fe54e38c95e3179a5ec9ea81740eca5b482d12e")]
    [InlineData("hello", "0x8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8")]
    public void Starknet_keccak_and_selectors(string name, string expected)
    {
        Assert.Equal(F(expected), StarknetKeccak.Hash(name));
        Assert.Equal(F(expected), Selectors.GetSelectorFromName(name));
    }

    private static readonly BigInteger CryptoCppPrivateKey = BigInteger.Parse("03c1e9550e66958296d11b60f8e8e7a7ad990d07fa65d5f7652c4a6c87d4e3cc", NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    [Fact]
    public void Public_key_crypto_cpp_vector()
    {
        var publicKey = StarkEcdsa.GetPublicKey(CryptoCppPrivateKey);
        Assert.Equal(F("0x77a3b314db07c45076d11f62b6f9e748a39790441823307743cf00d6597ea43"), publicKey.X);
        Assert.Equal(F("0x54d7beec5ec728223671c627557efc5c9a6508425dc6c900b7741bf60afec06"), publicKey.Y);
    }

    // cairo-lang's rfc6979_signature_test_vector.json (private key 0x3c1e…e3cc).
    [Theory]
    [InlineData("0x1", "3162358736122783857144396205516927012128897537504463716197279730251407200037", "1447067116407676619871126378936374427636662490882969509559888874644844560850")]
    [InlineData("0x11", "2282960348362869237018441985726545922711140064809058182483721438101695251648", "2905868291002627709651322791912000820756370440695830310841564989426104902684")]
    [InlineData("0x223", "2851492577225522862152785068304516872062840835882746625971400995051610132955", "2227464623243182122770469099770977514100002325017609907274766387592987135410")]
    [InlineData("0x9999", "3551214266795401081823453828727326248401688527835302880992409448142527576296", "2580950807716503852408066180369610390914312729170066679103651110985466032285")]
    [InlineData("0x387e76d1667c4454bfb835144120583af836f8e32a516765497d23eabe16b3f", "3518448914047769356425227827389998721396724764083236823647519654917215164512", "3042321032945513635364267149196358883053166552342928199041742035443537684462")]
    [InlineData("0x3a7e76d1697c4455bfb835144120283af236f8e32a516765497d23eabe16b2", "2261926635950780594216378185339927576862772034098248230433352748057295357217", "2708700003762962638306717009307430364534544393269844487939098184375356178572")]
    [InlineData("0xfa5f0cd1ebff93c9e6474379a213ba111f9e42f2f1cb361b0327e0737203", "3016953906936760149710218073693613509330129567629289734816320774638425763370", "306146275372136078470081798635201810092238376869367156373203048583896337506")]
    [InlineData("0x4c1e9550e66958296d11b60f8e8e7f7ae99dd0cfa6bd5fa652c1a6c87d4e2cc", "3562728603055564208884290243634917206833465920158600288670177317979301056463", "1958799632261808501999574190111106370256896588537275453140683641951899459876")]
    [InlineData("0x6362b40c218fb4c8a8bd42ca482145e8513b78e00faa0de76a98ba14fc37ae8", "3485557127492692423490706790022678621438670833185864153640824729109010175518", "897592218067946175671768586886915961592526001156186496738437723857225288280")]
    public void Rfc6979_signatures_cairo_lang_vectors(string messageHash, string r, string s)
    {
        var signature = StarkEcdsa.Sign(F(messageHash), CryptoCppPrivateKey);
        Assert.Equal(F(r), signature.R);
        Assert.Equal(F(s), signature.S);
        Assert.True(StarkEcdsa.Verify(F(messageHash), signature, F("0x77a3b314db07c45076d11f62b6f9e748a39790441823307743cf00d6597ea43")));
    }

    [Fact]
    public void Short_strings()
    {
        Assert.Equal(F("0x534e5f4d41494e"), StarknetChainId.Mainnet);
        Assert.Equal(F("0x534e5f5345504f4c4941"), StarknetChainId.Sepolia);
        Assert.Equal(F("0x696e766f6b65"), InvokeV3Hash.InvokePrefix);
        Assert.Equal(F("0x535441524b4e45545f434f4e54524143545f41444452455353"), ContractAddress.Prefix);
        Assert.Equal("SN_MAIN", ShortString.Decode(StarknetChainId.Mainnet));
    }

    [Fact]
    public void Contract_address_is_reduced_below_the_address_bound()
    {
        var address = ContractAddress.Calculate(1, 2, [3, 4], 0);
        Assert.True(address.ToBigInteger() < ContractAddress.AddressBound);
        Assert.Equal(
            Felt.FromBigInteger(Pedersen.HashOnElements(ContractAddress.Prefix, 0, 1, 2, Pedersen.HashOnElements(3, 4)).ToBigInteger() % ContractAddress.AddressBound),
            address);
    }
}

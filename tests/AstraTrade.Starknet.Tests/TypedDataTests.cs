namespace AstraTrade.Starknet.Tests;

/// <summary>SNIP-12 revision 1 without node: structure, encodings, and a pinned hash that starknet.js 10.8.0 produced.</summary>
public sealed class TypedDataTests
{
    private const string Domain = """
        "StarknetDomain": [
          { "name": "name", "type": "shortstring" }, { "name": "version", "type": "shortstring" },
          { "name": "chainId", "type": "shortstring" }, { "name": "revision", "type": "shortstring" } ]
        """;

    private const string Challenge = """
        {
          "types": {
            STARKNET_DOMAIN,
            "Challenge": [
              { "name": "account", "type": "ContractAddress" }, { "name": "nonce", "type": "felt" },
              { "name": "issuedAt", "type": "timestamp" }, { "name": "statement", "type": "string" } ]
          },
          "primaryType": "Challenge",
          "domain": { "name": "AstraTrade", "version": "1", "chainId": "SN_MAIN", "revision": "1" },
          "message": {
            "account": "0x49d36570d4e46f48e99674bd3fcc84644ddd6b96f7c741b1562b82f9e004dc7",
            "nonce": "0x5f3c2a1b",
            "issuedAt": 1767225600,
            "statement": "Sign in to AstraTrade. This request will not trigger a blockchain transaction or cost any gas fees."
          }
        }
        """;

    private static string Doc(string json) => json.Replace("STARKNET_DOMAIN", Domain, StringComparison.Ordinal);

    [Fact]
    public void Login_challenge_hash_matches_starknet_js()
    {
        var account = Felt.Parse("0x16461dedee02d5e9921a5198dbe8a151c77c794b72dc34e1ff1faf90e6c8ea4");
        Assert.Equal(Felt.Parse("0x5858f6349e853da594414e35c9479919876ccacbfdd67df77f298b295e75d6b"), TypedData.GetMessageHash(Doc(Challenge), account));
        var typedData = TypedData.Parse(Doc(Challenge));
        Assert.Equal("\"Challenge\"(\"account\":\"ContractAddress\",\"nonce\":\"felt\",\"issuedAt\":\"timestamp\",\"statement\":\"string\")", typedData.EncodeType("Challenge"));
        Assert.Equal(
            "\"StarknetDomain\"(\"name\":\"shortstring\",\"version\":\"shortstring\",\"chainId\":\"shortstring\",\"revision\":\"shortstring\")",
            typedData.EncodeType(TypedData.DomainTypeName));
        Assert.Equal(StarknetKeccak.Hash(typedData.EncodeType("Challenge")), typedData.GetTypeHash("Challenge"));
    }

    [Fact]
    public void One_instance_hashes_the_same_from_many_threads()
    {
        // A TypedData is cached per login challenge and hashed by concurrent requests; its type-hash cache must not tear.
        var account = Felt.Parse("0x16461dedee02d5e9921a5198dbe8a151c77c794b72dc34e1ff1faf90e6c8ea4");
        var expected = Felt.Parse("0x5858f6349e853da594414e35c9479919876ccacbfdd67df77f298b295e75d6b");
        for (var round = 0; round < 20; round++)
        {
            var typedData = TypedData.Parse(Doc(Challenge));
            var hashes = new Felt[16];
            Parallel.For(0, hashes.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => hashes[i] = typedData.GetMessageHash(account));
            Assert.All(hashes, h => Assert.Equal(expected, h));
        }
    }

    [Fact]
    public void Dependencies_are_sorted_and_presets_included()
    {
        var typedData = TypedData.Parse(Doc("""
            { "types": { STARKNET_DOMAIN,
                "Example": [ { "name": "n0", "type": "TokenAmount" }, { "name": "n1", "type": "NftId" }, { "name": "n2", "type": "u256" },
                             { "name": "e", "type": "enum", "contains": "EnumA" }, { "name": "m", "type": "merkletree", "contains": "Leaf" } ],
                "EnumA": [ { "name": "Variant 1", "type": "()" }, { "name": "Variant 2", "type": "(u128,Leaf*)" } ],
                "Leaf": [ { "name": "x", "type": "felt" } ] },
              "primaryType": "Example", "domain": { "name": "x", "version": "1", "chainId": "SN_MAIN", "revision": 1 }, "message": {} }
            """));
        Assert.Equal(
            "\"Example\"(\"n0\":\"TokenAmount\",\"n1\":\"NftId\",\"n2\":\"u256\",\"e\":\"EnumA\",\"m\":\"merkletree\")"
            + "\"EnumA\"(\"Variant 1\":(),\"Variant 2\":(\"u128\",\"Leaf*\"))"
            + "\"Leaf\"(\"x\":\"felt\")"
            + "\"NftId\"(\"collection_address\":\"ContractAddress\",\"token_id\":\"u256\")"
            + "\"TokenAmount\"(\"token_address\":\"ContractAddress\",\"amount\":\"u256\")"
            + "\"u256\"(\"low\":\"u128\",\"high\":\"u128\")",
            typedData.EncodeType("Example"));
    }

    [Fact]
    public void Strings_are_byte_arrays()
    {
        Assert.Equal(Poseidon.HashMany(0, 0, 0), TypedData.EncodeByteArray(""));
        var w31 = new string('a', 31);
        Assert.Equal(Poseidon.HashMany(1, ShortString.Encode(w31), 0, 0), TypedData.EncodeByteArray(w31));
        Assert.Equal(Poseidon.HashMany(1, ShortString.Encode(w31), ShortString.Encode("xyz"), 3), TypedData.EncodeByteArray(w31 + "xyz"));
    }

    [Fact]
    public void Merkle_root_sorts_pairs_and_pads_with_zero()
    {
        Felt a = 5UL, b = 3UL, c = 9UL;
        Assert.Equal(a, TypedData.MerkleRoot([a]));
        Assert.Equal(Poseidon.Hash(b, a), TypedData.MerkleRoot([a, b]));
        Assert.Equal(
            Poseidon.Hash(Min(Poseidon.Hash(b, a), Poseidon.Hash(0, c)), Max(Poseidon.Hash(b, a), Poseidon.Hash(0, c))),
            TypedData.MerkleRoot([a, b, c]));
        Assert.Throws<ArgumentException>(() => TypedData.MerkleRoot([]));

        static Felt Min(Felt x, Felt y) => x <= y ? x : y;
        static Felt Max(Felt x, Felt y) => x <= y ? y : x;
    }

    [Theory]
    [InlineData("\"a\\nb\"", "shortstring")] // starknet.js would encode '\n' unpadded: refused
    [InlineData("9007199254740993", "u128")] // beyond 2^53: JavaScript would round it
    [InlineData("1.5", "u128")]
    [InlineData("\"0x100000000000000000000000000000000\"", "u128")]
    [InlineData("\"-1\"", "ContractAddress")]
    [InlineData("1", "bool")]
    [InlineData("\"x\"", "u8")]
    public void Bad_values_are_refused(string value, string type)
    {
        var json = Doc($$"""
            { "types": { STARKNET_DOMAIN, "M": [ { "name": "v", "type": "{{type}}" } ] },
              "primaryType": "M", "domain": { "name": "x", "version": "1", "chainId": "SN_MAIN", "revision": "1" },
              "message": { "v": {{value}} } }
            """);
        Assert.Throws<FormatException>(() => TypedData.GetMessageHash(json, Felt.One));
    }

    [Fact]
    public void Values_read_like_starknet_js()
    {
        // felt: numbers, decimal and hex strings are numbers; other text is a short string.
        string Json(string value) => Doc($$"""
            { "types": { STARKNET_DOMAIN, "M": [ { "name": "v", "type": "felt" } ] },
              "primaryType": "M", "domain": { "name": "x", "version": "1", "chainId": "SN_MAIN", "revision": "1" },
              "message": { "v": {{value}} } }
            """);
        var h = TypedData.GetMessageHash(Json("\"0x41\""), Felt.One);
        Assert.Equal(h, TypedData.GetMessageHash(Json("65"), Felt.One));
        Assert.Equal(h, TypedData.GetMessageHash(Json("\"65\""), Felt.One));
        Assert.Equal(h, TypedData.GetMessageHash(Json("\"A\""), Felt.One));
        Assert.NotEqual(h, TypedData.GetMessageHash(Json("\"B\""), Felt.One));
    }

    [Fact]
    public void Only_revision_1_is_supported()
    {
        const string legacy = """
            { "types": { "StarkNetDomain": [ { "name": "name", "type": "felt" } ], "M": [ { "name": "v", "type": "felt" } ] },
              "primaryType": "M", "domain": { "name": "x" }, "message": { "v": 1 } }
            """;
        Assert.Throws<NotSupportedException>(() => TypedData.Parse(legacy));
        Assert.Throws<FormatException>(() => TypedData.Parse("""{ "types": {}, "primaryType": "M", "domain": {}, "message": {} }"""));
        Assert.Throws<FormatException>(() => TypedData.Parse("[]"));
    }
}

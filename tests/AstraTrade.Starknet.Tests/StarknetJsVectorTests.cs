using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Xunit.Abstractions;

namespace AstraTrade.Starknet.Tests;

/// <summary>Every vector that starknet.js produced (vectors/generate.mjs) must be reproduced exactly.</summary>
[Collection(StarknetJsCollection.Name)]
public sealed class StarknetJsVectorTests(StarknetJsVectors vectors, ITestOutputHelper output)
{
    [Fact]
    public void Generator_is_the_pinned_starknet_js()
    {
        output.WriteLine(vectors.Log);
        Assert.Equal("starknet.js", vectors.Root.GetProperty("generator").GetString());
        Assert.StartsWith("10.", vectors.Root.GetProperty("starknetVersion").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Pedersen() => Check("pedersen", v => Expect(v, "hash", Starknet.Pedersen.Hash(F(v, "a"), F(v, "b"))));

    [Fact]
    public void Poseidon_hash() => Check("poseidon", v => Expect(v, "hash", Poseidon.Hash(F(v, "a"), F(v, "b"))));

    [Fact]
    public void Poseidon_hash_single() => Check("poseidonSingle", v => Expect(v, "hash", Poseidon.HashSingle(F(v, "a"))));

    [Fact]
    public void Poseidon_hash_many() => Check("poseidonMany", v =>
    {
        var values = Fs(v, "values");
        return Expect(v, "hash", Poseidon.HashMany(values)) ?? Expect(v, "hash", Poseidon.HashMany((IEnumerable<Felt>)values.ToList()));
    });

    [Fact]
    public void Pedersen_hash_on_elements() => Check("pedersenOnElements", v => Expect(v, "hash", Starknet.Pedersen.HashOnElements(Fs(v, "values"))));

    [Fact]
    public void Public_keys() => Check("publicKeys", v =>
    {
        var d = Big(v, "privateKey");
        var publicKey = StarkEcdsa.GetPublicKey(d);
        if (publicKey.ToUncompressedHex() != S(v, "publicKey"))
        {
            return $"public key {publicKey.ToUncompressedHex()} != {S(v, "publicKey")}";
        }

        var parsed = StarkPoint.FromHex(S(v, "publicKey"));
        return parsed != publicKey ? "FromHex round trip" : Expect(v, "starkKey", StarkEcdsa.GetStarkKey(d));
    });

    [Fact]
    public void Signatures_are_deterministic_and_identical() => Check("signatures", v =>
    {
        var d = Big(v, "privateKey");
        var m = F(v, "messageHash");
        var signature = StarkEcdsa.Sign(m, d);
        var problem = Expect(v, "r", signature.R) ?? Expect(v, "s", signature.S);
        if (problem is not null)
        {
            return problem;
        }

        var publicKey = StarkEcdsa.GetPublicKey(d);
        return StarkEcdsa.Verify(m, signature, publicKey) && StarkEcdsa.Verify(m, signature, publicKey.X)
            ? null
            : "own signature does not verify";
    });

    [Fact]
    public void Verification_of_good_and_tampered_signatures() => Check("verifications", v =>
    {
        var signature = new StarkSignature(F(v, "r"), F(v, "s"));
        var m = F(v, "messageHash");
        var publicKey = StarkPoint.FromHex(S(v, "publicKey"));
        // starknet.js throws for out-of-range r/s; our Verify returns false for those (a bad signature is just invalid).
        var expected = S(v, "result") == "valid";
        var full = StarkEcdsa.Verify(m, signature, publicKey);
        var xOnly = StarkEcdsa.Verify(m, signature, publicKey.X);
        if (full != expected)
        {
            return $"{S(v, "kind")}: full-key verify {full}, starknet.js {S(v, "result")}";
        }

        // With only the Stark key, (r, s) verifies when it does for (x, y) or (x, −y).
        var expectedXOnly = expected || StarkEcdsa.Verify(m, signature, publicKey.Negate());
        return xOnly != expectedXOnly ? $"{S(v, "kind")}: x-only verify {xOnly}" : null;
    });

    [Fact]
    public void Starknet_keccak() => Check("keccak", v => Expect(v, "hash", StarknetKeccak.Hash(S(v, "text"))));

    [Fact]
    public void Selectors_from_names() => Check("selectors", v => Expect(v, "selector", Selectors.GetSelectorFromName(S(v, "name"))));

    [Fact]
    public void Contract_addresses() => Check("contractAddresses", v =>
        Expect(v, "address", ContractAddress.Calculate(F(v, "salt"), F(v, "classHash"), Fs(v, "calldata"), F(v, "deployer"))));

    [Fact]
    public void Invoke_v3_transaction_hashes() => Check("invokeV3", v =>
    {
        var bounds = v.GetProperty("resourceBounds");
        var tx = new InvokeV3Transaction
        {
            SenderAddress = F(v, "senderAddress"),
            Version = F(v, "version"),
            Calldata = Fs(v, "calldata"),
            ChainId = F(v, "chainId"),
            Nonce = F(v, "nonce"),
            AccountDeploymentData = Fs(v, "accountDeploymentData"),
            NonceDataAvailabilityMode = (DataAvailabilityMode)v.GetProperty("nonceDataAvailabilityMode").GetInt32(),
            FeeDataAvailabilityMode = (DataAvailabilityMode)v.GetProperty("feeDataAvailabilityMode").GetInt32(),
            ResourceBounds = new ResourceBounds(Bound(bounds, "l1Gas"), Bound(bounds, "l2Gas"), Bound(bounds, "l1DataGas")),
            Tip = (ulong)Big(v, "tip"),
            PaymasterData = Fs(v, "paymasterData"),
            ProofFacts = Fs(v, "proofFacts"),
        };
        return Expect(v, "hash", InvokeV3Hash.Compute(tx));
    });

    [Fact]
    public void Snip12_revision1_typed_data() => Check("typedData", v =>
    {
        var typedData = TypedData.Parse(S(v, "json"));
        var encoded = typedData.EncodeType(typedData.PrimaryType);
        if (encoded != S(v, "encodedType"))
        {
            return $"encodeType {encoded} != {S(v, "encodedType")}";
        }

        return Expect(v, "typeHash", typedData.GetTypeHash(typedData.PrimaryType))
            ?? Expect(v, "structHash", typedData.GetStructHash(typedData.PrimaryType, typedData.Message))
            ?? Expect(v, "hash", typedData.GetMessageHash(F(v, "account")))
            ?? Expect(v, "hash", TypedData.GetMessageHash(S(v, "json"), F(v, "account")));
    });

    [Fact]
    public void Snip12_documents_starknet_js_rejects_are_rejected() => Check("typedDataRejected", v =>
    {
        Assert.True(v.GetProperty("starknetJsThrows").GetBoolean(), S(v, "why"));
        try
        {
            TypedData.GetMessageHash(S(v, "json"), Felt.One);
            return $"{S(v, "why")}: accepted";
        }
        catch (Exception e) when (e is FormatException or NotSupportedException)
        {
            return null;
        }
    });

    // --------------------------------------------------------------------------------------------------------------

    private void Check(string section, Func<JsonElement, string?> verify)
    {
        var cases = vectors.Section(section);
        var failures = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            string? problem;
            try
            {
                problem = verify(cases[i]);
            }
            catch (Exception e)
            {
                problem = $"threw {e.GetType().Name}: {e.Message}";
            }

            if (problem is not null)
            {
                failures.Add($"#{i}: {problem} :: {Truncate(cases[i].GetRawText())}");
            }
        }

        output.WriteLine($"{section}: {cases.Count} vectors, {failures.Count} mismatches");
        if (failures.Count > 0)
        {
            Assert.Fail($"{failures.Count} of {cases.Count} '{section}' vectors differ from starknet.js:\n" + string.Join("\n", failures.Take(10)));
        }
    }

    private static string? Expect(JsonElement v, string property, Felt actual)
    {
        var expected = S(v, property);
        return actual.ToHexString() == expected ? null : $"{property}: {actual.ToHexString()} != {expected}";
    }

    private static string S(JsonElement v, string property) => v.GetProperty(property).GetString()!;

    private static Felt F(JsonElement v, string property) => Felt.Parse(S(v, property));

    private static Felt[] Fs(JsonElement v, string property) => v.GetProperty(property).EnumerateArray().Select(e => Felt.Parse(e.GetString()!)).ToArray();

    private static BigInteger Big(JsonElement v, string property) =>
        BigInteger.Parse("0" + S(v, property)[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private static ResourceBound Bound(JsonElement bounds, string name)
    {
        var b = bounds.GetProperty(name);
        return new ResourceBound((ulong)Big(b, "maxAmount"), (UInt128)Big(b, "maxPricePerUnit"));
    }

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";
}

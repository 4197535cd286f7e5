using System.Numerics;
using System.Text.Json;
using AstraTrade.Contracts.Starknet;
using AstraTrade.Starknet;

namespace AstraTrade.Orchestrations.Tests.Chain;

/// <summary>
/// The C# side of the contracts (contracts/AstraTrade.Contracts/Starknet) against their ABIs: every selector constant is
/// starknet_keccak of a name the ABI declares with the right kind, and the calldata helpers lay out exactly the felts the
/// ABI's inputs take (felt252 and ContractAddress one each, u256 two, low first).
/// </summary>
public sealed class ContractAbiTests
{
    private static readonly string Directory = FindContractsDirectory();

    [Theory]
    [InlineData("achievements.abi.json", AchievementsContract.RecordAchievement, AchievementsContract.RecordAchievementSelector, "external")]
    [InlineData("achievements.abi.json", AchievementsContract.IsRecorded, AchievementsContract.IsRecordedSelector, "view")]
    [InlineData("genesis.abi.json", GenesisContract.Mint, GenesisContract.MintSelector, "external")]
    [InlineData("genesis.abi.json", GenesisContract.OwnerOf, GenesisContract.OwnerOfSelector, "view")]
    [InlineData("genesis.abi.json", GenesisContract.TokenUri, GenesisContract.TokenUriSelector, "view")]
    public void Function_selectors_are_the_keccak_of_functions_the_abi_declares(string abi, string name, string selector, string mutability)
    {
        var function = Functions(abi).Single(f => f.GetProperty("name").GetString() == name);

        Assert.Equal(mutability, function.GetProperty("state_mutability").GetString());
        Assert.Equal(Selectors.GetSelectorFromName(name).ToHexString(), selector);
    }

    [Theory]
    [InlineData("achievements.abi.json", AchievementsContract.AchievementRecordedEvent, AchievementsContract.AchievementRecordedSelector)]
    [InlineData("genesis.abi.json", GenesisContract.TransferEvent, GenesisContract.TransferSelector)]
    public void Event_keys_are_the_keccak_of_variants_the_abi_declares(string abi, string name, string selector)
    {
        var events = Items(abi).Where(i => i.GetProperty("type").GetString() == "event").ToList();
        var enumEvent = events.Single(e => e.GetProperty("kind").GetString() == "enum");
        Assert.Contains(enumEvent.GetProperty("variants").EnumerateArray(), v => v.GetProperty("name").GetString() == name);
        Assert.Contains(events, e => e.GetProperty("name").GetString()!.EndsWith("::" + name, StringComparison.Ordinal));
        Assert.Equal(Selectors.GetSelectorFromName(name).ToHexString(), selector);
    }

    [Fact]
    public void Record_calldata_is_the_player_and_the_achievement_as_the_abi_takes_them()
    {
        var inputs = Inputs("achievements.abi.json", AchievementsContract.RecordAchievement);
        Assert.Equal([("player", "core::felt252"), ("achievement_id", "core::felt252")], inputs);
        Assert.Equal(inputs, Inputs("achievements.abi.json", AchievementsContract.IsRecorded));

        var user = Guid.Parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
        Assert.Equal(["0xf1e2d3c4b5a69788796a5b4c3d2e1f0", ShortString.Encode("FIRST_TRADE").ToHexString()], AchievementsContract.Calldata(user, "FIRST_TRADE"));
        Assert.Equal("FIRST_TRADE", ShortString.Decode(Felt.Parse(AchievementsContract.Calldata(user, "FIRST_TRADE")[1])));
    }

    [Fact]
    public void Mint_calldata_is_the_recipient_the_u256_token_low_first_and_the_achievement()
    {
        Assert.Equal(
            [("to", "core::starknet::contract_address::ContractAddress"), ("token_id", "core::integer::u256"), ("achievement_id", "core::felt252")],
            Inputs("genesis.abi.json", GenesisContract.Mint));
        var u256 = Items("genesis.abi.json").Single(i => i.GetProperty("name").GetString() == "core::integer::u256");
        Assert.Equal(["low", "high"], u256.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));

        var token = (new BigInteger(6) << 128) + 42;
        Assert.Equal(["0xabc", "0x2a", "0x6", ShortString.Encode("TOURNAMENT_CHAMPION").ToHexString()], GenesisContract.MintCalldata("0xabc", token, "TOURNAMENT_CHAMPION"));
        Assert.Equal(["0x2a", "0x6"], GenesisContract.TokenIdCalldata(token));
        Assert.Equal([("token_id", "core::integer::u256")], Inputs("genesis.abi.json", GenesisContract.OwnerOf));
    }

    [Fact]
    public void Values_outside_their_cairo_type_are_refused()
    {
        Assert.Throws<ArgumentException>(() => CairoValues.ShortString("CONSTELLATION_FOUNDER_AND_MUCH_MORE"));
        Assert.Throws<ArgumentException>(() => CairoValues.ShortString("ÉTOILE"));
        Assert.Throws<ArgumentOutOfRangeException>(() => CairoValues.U256(BigInteger.One << 256));
        Assert.Throws<ArgumentOutOfRangeException>(() => CairoValues.U256(BigInteger.MinusOne));
        Assert.Equal("0x0", CairoValues.Hex(BigInteger.Zero));
    }

    private static List<(string, string)> Inputs(string abi, string function) =>
        [.. Functions(abi).Single(f => f.GetProperty("name").GetString() == function).GetProperty("inputs").EnumerateArray()
            .Select(i => (i.GetProperty("name").GetString()!, i.GetProperty("type").GetString()!))];

    private static IEnumerable<JsonElement> Functions(string abi) =>
        Items(abi).Where(i => i.GetProperty("type").GetString() == "interface")
            .SelectMany(i => i.GetProperty("items").EnumerateArray())
            .Where(f => f.GetProperty("type").GetString() == "function");

    private static IEnumerable<JsonElement> Items(string abi) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, abi))).RootElement.Clone().EnumerateArray();

    /// <summary>The ABIs are source files of the contracts project; the tests read them where they are.</summary>
    private static string FindContractsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "contracts", "AstraTrade.Contracts", "Starknet");
            if (File.Exists(Path.Combine(candidate, "achievements.abi.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("contracts/AstraTrade.Contracts/Starknet was not found above the test's directory.");
    }
}

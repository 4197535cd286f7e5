using AstraTrade.Application.Ports;
using AstraTrade.Application.Users;
using AstraTrade.Infrastructure.Starknet;
using Microsoft.Extensions.Logging.Abstractions;

namespace AstraTrade.Infrastructure.IntegrationTests.Starknet;

public sealed class StarknetSignaturesTests
{
    private const string Address = "0x49d36570d4e46f48e99674bd3fcc84644ddd6b96f7c741b1562b82f9e004dc7";

    private static StarknetSignatures Create() =>
        new(new StarknetOptions(), new HttpClient(), NullLogger<StarknetSignatures>.Instance, TimeProvider.System);

    /// <summary>
    /// The expected hash is what starknet.js 10.8.0 (the version tests/AstraTrade.Starknet.Tests/vectors pins) computes
    /// with typedData.getMessageHash for the same document and account, so the challenge's exact shape (type names,
    /// member order, timestamps as numbers, the statement) is what a wallet hashes.
    /// </summary>
    [Fact]
    public void The_challenge_hash_is_the_one_starknet_js_computes()
    {
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(1767225600);
        var described = Create().DescribeChallenge(
            new SignInMessage("SN_SEPOLIA", Address, "0x1f2e3d4c5b6a79881726354453627180", issuedAt, issuedAt.AddMinutes(5)));

        Assert.Equal("0xabaa533845dd59ba13a19ffc715c336d38b7083a194bff822834418673b7b2", described.MessageHash);
        Assert.Equal("SignIn", described.TypedData.GetProperty("primaryType").GetString());
    }

    [Fact]
    public void Another_chain_gives_another_hash()
    {
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(1767225600);
        var sepolia = Create().DescribeChallenge(new SignInMessage("SN_SEPOLIA", Address, "0x1", issuedAt, issuedAt.AddMinutes(5)));
        var mainnet = Create().DescribeChallenge(new SignInMessage("SN_MAIN", Address, "0x1", issuedAt, issuedAt.AddMinutes(5)));

        Assert.NotEqual(sepolia.MessageHash, mainnet.MessageHash);
    }

    [Theory]
    [InlineData("0x0000ABC", "0xabc")]
    [InlineData("0XaBc", "0xabc")]
    [InlineData("0x0", "0x0")]
    [InlineData("0x800000000000011000000000000000000000000000000000000000000000000", "0x800000000000011000000000000000000000000000000000000000000000000")]
    [InlineData("0x800000000000011000000000000000000000000000000000000000000000001", null)] // the prime
    [InlineData("123", null)] // decimal is not accepted
    [InlineData("0x", null)]
    [InlineData("0x-1", null)]
    [InlineData(null, null)]
    public void Felts_are_normalized_or_refused(string? text, string? expected) =>
        Assert.Equal(expected, Create().NormalizeFelt(text));

    [Fact]
    public async Task Without_a_node_or_a_registered_key_nothing_is_accepted()
    {
        var verdict = await Create().VerifyAsync(Address, "0x1", ["0x1", "0x2"], CancellationToken.None);

        Assert.Equal(SignatureOutcome.Unavailable, verdict.Outcome);
    }
}

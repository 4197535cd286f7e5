using System.Globalization;
using System.Numerics;
using AstraTrade.Starknet;
using AstraTrade.Testing;
using AstraTrade.Testing.Extended;

namespace AstraTrade.Functions.FunctionalTests.LiveTrading;

/// <summary>
/// The app with live trading on, against a local fake of Extended's API that verifies every settlement signature.
/// The app, its scripted market and the fake share a manual clock, so polls, fills and holds move only when a test
/// advances it. Also an admin, who records identity verification (there is no KYC provider).
/// </summary>
public sealed class LiveTradingFixture : AppFixture
{
    public const string AdminName = "live-admin";

    private readonly ManualTimeProvider _clock = new();
    private Task<TestUser>? _admin;
    private int _accounts;

    public LiveTradingFixture() => Extended = new FakeExtended { Time = _clock };

    public FakeExtended Extended { get; }

    protected override AppOptions Options => new()
    {
        ScriptedMarket = true,
        Clock = _clock,
        Settings = new Dictionary<string, string?>
        {
            ["Auth:AdminUsernames:0"] = AdminName,
            ["Extended:BaseUrl"] = Extended.BaseUrl.ToString(),
            ["Extended:ChainId"] = "SN_SEPOLIA",
            // The rate limiter refills on the manual clock, which stands still between advances.
            ["Extended:Burst"] = "1000",
        },
    };

    public Task<TestUser> AdminAsync() => _admin ??= TournamentDriver.RegisterAdminAsync(App, AdminName);

    /// <summary>A new account on the fake exchange with <paramref name="collateral"/> USD: its API key, Stark private key
    /// ("0x" hex) and vault.</summary>
    public ExtendedAccount NewExchangeAccount(decimal collateral = 1_000m)
    {
        var n = Interlocked.Increment(ref _accounts);
        var privateKey = new BigInteger(0x5eed_0000 + n) * 7_919 + 1;
        var vault = (uint)(100 + n);
        var apiKey = $"api-key-{n}-{Guid.NewGuid():N}";
        Extended.AddAccount(apiKey, vault, StarkEcdsa.GetStarkKey(privateKey), collateral);
        return new ExtendedAccount(apiKey, "0x" + privateKey.ToString("x", CultureInfo.InvariantCulture), vault);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Extended.DisposeAsync();
    }
}

public sealed record ExtendedAccount(string ApiKey, string StarkPrivateKey, uint Vault);

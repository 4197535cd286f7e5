using System.Globalization;
using System.Net.Http.Headers;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.MarketData.Simulated;
using AstraTrade.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace AstraTrade.Functions.FunctionalTests.Infrastructure;

/// <summary>How a test wants the app: which clock, which market, which settings, which data directory.</summary>
public sealed record AppOptions
{
    /// <summary>Replace the simulated market with a <see cref="ScriptedMarketData"/> the test drives.</summary>
    public bool ScriptedMarket { get; init; }

    /// <summary>Replace the system clock (everything in the app takes TimeProvider from DI).</summary>
    public ManualTimeProvider? Clock { get; init; }

    /// <summary>Configuration on top of the test defaults (key → value, as in appsettings with ':' separators).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>An existing data directory to open (for restarts); by default a fresh temporary one.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Leave the data directory on disk when the app is disposed (the test deletes it).</summary>
    public bool KeepDataDirectory { get; init; }

    /// <summary>Serve over a real Kestrel socket (loopback, dynamic port) instead of the in-memory server, for what only
    /// Kestrel enforces (the request body size limit).</summary>
    public bool RealServer { get; init; }

    /// <summary>Keep the simulated market's default epoch (a year of history to warm up); otherwise history starts today.</summary>
    public bool FullMarketHistory { get; init; }
}

/// <summary>
/// The real host (Program, Composition) in memory, on its own data directory, with test-sized settings:
/// 1,000 PBKDF2 iterations, and an auth limit high enough that registering many users from the in-memory client
/// (which has no client address, so all requests share one partition) never trips it, unless a test asks otherwise.
/// </summary>
public sealed class AstraTradeApp : WebApplicationFactory<Program>
{
    public const string TestPassword = "correct horse battery staple";

    /// <summary>How long a position must be held for its close to earn XP, in every test app.</summary>
    public static readonly TimeSpan MinimumHold = TimeSpan.FromSeconds(10);

    private readonly AppOptions _options;

    public AstraTradeApp(AppOptions? options = null)
    {
        _options = options ?? new AppOptions();
        DataDirectory = _options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "astratrade-functional-" + Guid.NewGuid().ToString("N"));
        Clock = _options.Clock;
        Market = _options.ScriptedMarket ? new ScriptedMarketData(Clock ?? TimeProvider.System) : null;
        if (_options.RealServer)
        {
            UseKestrel(0);
        }
    }

    public string DataDirectory { get; }

    public ManualTimeProvider? Clock { get; }

    /// <summary>The scripted market, when the options asked for one.</summary>
    public ScriptedMarketData? Market { get; }

    public ScriptedMarketData Scripted => Market ?? throw new InvalidOperationException("This app runs the simulated market.");

    public LogSink Logs { get; } = new();

    public TimeProvider Time => (TimeProvider?)Clock ?? TimeProvider.System;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var now = Time.GetUtcNow();
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Store:DataDirectory"] = DataDirectory,
            ["Auth:PasswordIterations"] = "1000",
            ["RateLimits:AuthPerMinute"] = "1000000",

            // Shortened so qualifying closes need only 10 s on the manual clock.
            ["Gamification:Rules:MinimumHold"] = MinimumHold.ToString(),
        };
        if (_options.RealServer)
        {
            settings["urls"] = "http://127.0.0.1:0";
        }
        if (Clock is not null)
        {
            // A manual clock jumps hours or days at a time: every message a workflow worker holds would see its lease
            // expire mid-processing, be taken again, and count towards poison. Leases as long as the queue allows (longer than the jumps tests make) keep
            // delivery as it is on a real clock.
            settings["Workflows:Lease"] = TimeSpan.FromDays(7).ToString(); // the in-process queue's longest
        }

        if (!_options.FullMarketHistory)
        {
            settings["SimulatedMarket:Epoch"] = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in _options.Settings)
        {
            settings[key] = value;
        }

        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(Logs);
        });

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IStartupFilter, ClientAddressStartupFilter>();
            if (Clock is not null)
            {
                services.AddSingleton<TimeProvider>(Clock);
            }

            if (Market is not null)
            {
                services.AddSingleton<IMarketData>(Market);

                // The standalone triggers still run the simulated market's tick loop, though nothing reads its prices here.
                // On a manual clock that loop would replay every second of a jump (a 30-day jump is 2.6 million ticks),
                // so it keeps the system clock.
                services.AddSingleton(sp => new SimulatedMarket(
                    sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SimulatedMarketOptions>>().Value, TimeProvider.System));
            }
        });
    }

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous(string? clientAddress = null)
    {
        var client = CreateClient();
        if (clientAddress is not null)
        {
            client.DefaultRequestHeaders.Add(ClientAddressStartupFilter.Header, clientAddress);
        }

        return client;
    }

    /// <summary>A client that sends <paramref name="accessToken"/> as its bearer token.</summary>
    public HttpClient WithToken(string accessToken)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>Registers a user with a unique name (starting with <paramref name="prefix"/>) and signs them in.</summary>
    /// <param name="clientAddress">The address the registration comes from (the auth rate limit is per address).</param>
    public async Task<TestUser> RegisterAsync(string prefix = "u", string password = TestPassword, string? clientAddress = null)
    {
        var username = UniqueName(prefix);
        using var anonymous = Anonymous(clientAddress);
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username, password }, Api.Json);
        var tokens = await Api.ReadAsync<Contracts.Http.TokenResponse>(response, System.Net.HttpStatusCode.Created);
        return new TestUser(this, username, password, tokens);
    }

    public static string UniqueName(string prefix)
    {
        var name = prefix + "-" + Guid.NewGuid().ToString("N");
        return name.Length > 30 ? name[..30] : name;
    }

    /// <summary>Waits until every feed subscription has caught up once, every market has a price and, with a scripted
    /// market, the liquidation loop is watching it, so a test starts against a running app.</summary>
    public async Task StartAsync()
    {
        if (_options.DataDirectory is not null)
        {
            await WaitUntilDataDirectoryIsFreeAsync();
        }

        if (_options.RealServer)
        {
            StartServer();
        }
        else
        {
            _ = Server; // starts the host and its hosted services
        }

        var subscriptions = Services.GetRequiredService<Platform.FeedSubscriptions>();
        await Eventually.TrueAsync(() => subscriptions.All.All(s => s.CaughtUp.IsCompletedSuccessfully), "the feed subscriptions to catch up");
        var catalog = Services.GetRequiredService<Application.Trading.MarketCatalog>();
        var prices = Services.GetRequiredService<IMarketData>();
        await Eventually.TrueAsync(() => catalog.All.All(m => prices.TryGetLatest(m.Symbol, out _)), "a first price in every market");
        if (Market is not null)
        {
            await Eventually.TrueAsync(() => Market.Watchers > 0, "the liquidation loop to watch the market");
        }
    }

    /// <summary>
    /// Waits until every feed subscription has handled every event appended so far: a barrier before asserting that
    /// something did not happen (or did not happen twice). Events the subscriptions append meanwhile are not awaited.
    /// </summary>
    public async Task FeedsCaughtUpAsync()
    {
        var head = Services.GetRequiredService<AstraTrade.Infrastructure.Storage.Embedded.EmbeddedStore>().GetStatus().HeadPosition;
        var subscriptions = Services.GetRequiredService<Platform.FeedSubscriptions>().All;
        await Eventually.TrueAsync(
            () => subscriptions.All(s => (s.Checkpoint.IsStart ? 0 : long.Parse(s.Checkpoint.Value, CultureInfo.InvariantCulture)) >= head),
            $"the feed subscriptions to reach position {head}");
    }

    /// <summary>Fails when the app logged an error or worse, beyond the first <paramref name="skip"/> ones.</summary>
    public void AssertNoServerErrors(int skip = 0)
    {
        var errors = Logs.Errors.Skip(skip).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                "The app logged errors:\n" + string.Join("\n", errors.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}")));
        }
    }

    /// <summary>A previous app on the same data directory (a restart test) may still be releasing the store's
    /// directory lock for a moment after its DisposeAsync returned: the test host finishes disposing its container in
    /// the background. Wait for the lock rather than fail the restart on it (at most 10 s).</summary>
    private async Task WaitUntilDataDirectoryIsFreeAsync()
    {
        var lockFile = Path.Combine(DataDirectory, "lock");
        for (var waited = TimeSpan.Zero; File.Exists(lockFile) && waited < TimeSpan.FromSeconds(10); waited += TimeSpan.FromMilliseconds(50))
        {
            try
            {
                using (new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    return;
                }
            }
            catch (IOException)
            {
                await Task.Delay(50);
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_options.KeepDataDirectory && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}

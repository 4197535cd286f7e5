using System.Globalization;
using System.Net.Http.Headers;
using AstraTrade.Application.Integration;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace AstraTrade.Functions.FunctionalTests.Integration;

/// <summary>
/// The real app (an <see cref="AstraTradeApp"/> with its settings, clock and scripted market) plus services a test adds:
/// integration event handlers, consumer subscriptions. AstraTradeApp takes no extra services, so this runs the factory
/// <c>WithWebHostBuilder</c> derives from it (the base app is never started; disposing it disposes this one).
/// </summary>
internal sealed class IntegrationHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private IntegrationHost(AstraTradeApp app, WebApplicationFactory<Program> factory)
    {
        App = app;
        _factory = factory;
    }

    public AstraTradeApp App { get; }

    public IServiceProvider Services => _factory.Services;

    public IntegrationEventRelay Relay => Services.GetRequiredService<IntegrationEventRelay>();

    public static async Task<IntegrationHost> StartAsync(AppOptions options, Action<IServiceCollection> services)
    {
        var app = new AstraTradeApp(options);
        if (app.Market is { } market)
        {
            Markets.PublishDefaults(market);
        }

        var host = new IntegrationHost(app, app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services)));
        if (options.DataDirectory is not null)
        {
            await WaitForDataDirectoryAsync(options.DataDirectory);
        }

        _ = host._factory.Server;
        var subscriptions = host.Services.GetRequiredService<Platform.FeedSubscriptions>();
        await Eventually.TrueAsync(() => subscriptions.All.All(s => s.CaughtUp.IsCompletedSuccessfully), "the feed subscriptions to catch up");
        if (app.Market is { } scripted)
        {
            await Eventually.TrueAsync(() => scripted.Watchers > 0, "the liquidation loop to watch the market");
        }

        return host;
    }

    public HttpClient Client() => _factory.CreateClient();

    /// <summary>Registers a user; returns their id and a client sending their token.</summary>
    public async Task<(Guid Id, HttpClient Http)> RegisterAsync(string prefix)
    {
        using var anonymous = Client();
        var tokens = await Api.ReadAsync<TokenResponse>(
            await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username = AstraTradeApp.UniqueName(prefix), password = AstraTradeApp.TestPassword }, Api.Json),
            HttpStatusCode.Created);
        var http = Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return (tokens.UserId, http);
    }

    /// <summary>Waits until every feed subscription (the relay among them) has handled everything appended so far.</summary>
    public async Task FeedsCaughtUpAsync()
    {
        var head = Services.GetRequiredService<EmbeddedStore>().GetStatus().HeadPosition;
        var subscriptions = Services.GetRequiredService<Platform.FeedSubscriptions>().All;
        await Eventually.TrueAsync(
            () => subscriptions.All(s => (s.Checkpoint.IsStart ? 0 : long.Parse(s.Checkpoint.Value, CultureInfo.InvariantCulture)) >= head),
            $"the feed subscriptions to reach position {head}");
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();

    /// <summary>The previous app on this directory may hold its lock for a moment after it was disposed.</summary>
    public static async Task WaitForDataDirectoryAsync(string directory)
    {
        var lockFile = Path.Combine(directory, "lock");
        for (var waited = 0; File.Exists(lockFile) && waited < 10_000; waited += 50)
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

    /// <summary>Opens the app's store while no app runs, for what a test does between two lives of the app.</summary>
    public static async Task WithStoreAsync(string directory, Func<IDocumentStore, Task> action)
    {
        await WaitForDataDirectoryAsync(directory);
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = directory });
        await action(store.Documents);
    }
}

/// <summary>A test's integration event handler: keeps what it handled; <see cref="Refuse"/> makes it throw.</summary>
internal sealed class RecordingHandler(params string[] types) : IIntegrationEventHandler
{
    private readonly List<IntegrationEvent> _handled = [];

    public IReadOnlyCollection<string> EventTypes { get; } = types;

    public Func<IntegrationEvent, bool>? Refuse { get; set; }

    public IReadOnlyList<IntegrationEvent> Handled
    {
        get
        {
            lock (_handled)
            {
                return [.. _handled];
            }
        }
    }

    public IReadOnlyList<IntegrationEvent> For(string type, Guid user) =>
        [.. Handled.Where(e => e.Type == type && e.Subject == Contracts.Events.IntegrationEventSubjects.User(user))];

    public ValueTask HandleAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        if (Refuse?.Invoke(integrationEvent) == true)
        {
            throw new InvalidOperationException("the test handler refuses " + integrationEvent.Id);
        }

        lock (_handled)
        {
            _handled.Add(integrationEvent);
        }

        return ValueTask.CompletedTask;
    }
}

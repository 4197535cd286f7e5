using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AstraTrade.Functions.Hosting;
using AstraTrade.Functions.Platform;
using AstraTrade.Infrastructure.Scheduling;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// The generated function.json files (Hosting/AppFunctions.cs through FunctionJsonWriter): generated into a temporary
/// directory and read back, checked against the binding properties extension bundle 4.x knows. No Functions host runs
/// here, so these tests are what stands between the declarations and a host that refuses them.
/// </summary>
public sealed partial class FunctionDeclarationsTests : IDisposable
{
    /// <summary>
    /// For each binding type we use: the properties the host and bundle 4.x extensions read (anything else is a typo or
    /// a name from an older extension, such as cosmosDBTrigger v3's collectionName), and those we require.
    /// </summary>
    private static readonly Dictionary<string, (string Direction, string[] Allowed, string[] Required)> BindingTypes = new()
    {
        ["httpTrigger"] = ("in", ["authLevel", "methods", "route"], ["authLevel", "methods", "route"]),
        ["http"] = ("out", [], []),
        ["timerTrigger"] = ("in", ["schedule", "runOnStartup", "useMonitor"], ["schedule"]),
        ["cosmosDBTrigger"] = ("in",
            [
                "connection", "databaseName", "containerName", "leaseConnection", "leaseDatabaseName", "leaseContainerName",
                "createLeaseContainerIfNotExists", "leasesContainerThroughput", "leaseContainerPrefix", "feedPollDelay",
                "leaseAcquireInterval", "leaseExpirationInterval", "leaseRenewInterval", "maxItemsPerInvocation",
                "startFromBeginning", "startFromTime", "preferredLocations",
            ],
            ["connection", "databaseName", "containerName", "leaseContainerName"]),
        ["queueTrigger"] = ("in", ["queueName", "connection"], ["queueName", "connection"]),
        ["eventGridTrigger"] = ("in", [], []),
    };

    private static readonly string[] Common = ["type", "direction", "name"];

    private readonly string _output = Path.Combine(Path.GetTempPath(), "astratrade-function-json-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,126}$")]
    private static partial Regex FunctionName();

    private Dictionary<string, JsonObject> Generate()
    {
        FunctionJsonWriter.Write(_output, AppFunctions.All);
        return Directory.GetDirectories(_output).ToDictionary(
            d => Path.GetFileName(d),
            d => JsonNode.Parse(File.ReadAllText(Path.Combine(d, "function.json")))!.AsObject());
    }

    private static IEnumerable<JsonObject> Bindings(JsonObject function) => function["bindings"]!.AsArray().Select(b => b!.AsObject());

    private static JsonObject Trigger(JsonObject function) => Assert.Single(Bindings(function), b => ((string)b["type"]!).EndsWith("Trigger", StringComparison.Ordinal));

    [Fact]
    public void One_folder_with_a_function_json_per_declaration_and_nothing_else()
    {
        var generated = Generate();

        Assert.Equal(AppFunctions.All.Select(f => f.Name).Order(), generated.Keys.Order());
        Assert.All(generated.Values, f => Assert.Equal(["bindings"], f.Select(p => p.Key)));
    }

    [Fact]
    public void Names_are_valid_Azure_Functions_names_and_unique_ignoring_case()
    {
        Assert.All(AppFunctions.All, f => Assert.Matches(FunctionName(), f.Name));
        Assert.Equal(AppFunctions.All.Count, AppFunctions.All.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1-starts-with-a-digit")]
    [InlineData("-dash")]
    [InlineData("has space")]
    [InlineData("has.dot")]
    public void Invalid_names_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => new TimerFunction(name, AppFunctions.FundingSchedule));
        Assert.False(FunctionDeclaration.IsValidName(name));
    }

    [Fact]
    public void A_name_is_at_most_127_characters()
    {
        Assert.True(FunctionDeclaration.IsValidName("a" + new string('b', 126)));
        Assert.False(FunctionDeclaration.IsValidName("a" + new string('b', 127)));
    }

    [Fact]
    public void Two_functions_with_one_name_are_refused()
    {
        Assert.Throws<InvalidOperationException>(() => FunctionJsonWriter.Write(_output, [AppFunctions.Timers[0], new TimerFunction(AppFunctions.Timers[0].Name.ToUpperInvariant(), "0 0 0 * * *")]));
    }

    [Fact]
    public void Every_binding_has_a_known_type_direction_and_name_and_only_properties_valid_for_extension_bundle_4()
    {
        foreach (var (function, json) in Generate())
        {
            var bindings = Bindings(json).ToList();
            Assert.NotEmpty(bindings);
            Assert.Single(bindings, b => ((string)b["type"]!).EndsWith("Trigger", StringComparison.Ordinal));
            Assert.Equal(bindings.Count, bindings.Select(b => (string)b["name"]!).Distinct().Count());
            foreach (var binding in bindings)
            {
                var type = (string)binding["type"]!;
                Assert.True(BindingTypes.TryGetValue(type, out var rule), $"{function}: binding type '{type}' is not one we know for bundle 4.x");
                Assert.Equal(rule.Direction, (string?)binding["direction"]);
                Assert.False(string.IsNullOrWhiteSpace((string?)binding["name"]), $"{function}: a {type} binding has no name");
                var unknown = binding.Select(p => p.Key).Except(Common).Except(rule.Allowed).ToList();
                Assert.True(unknown.Count == 0, $"{function}: {type} has properties bundle 4.x does not know: {string.Join(", ", unknown)}");
                var missing = rule.Required.Where(p => binding[p] is null || binding[p] is JsonValue v && v.TryGetValue<string>(out var s) && string.IsNullOrWhiteSpace(s)).ToList();
                Assert.True(missing.Count == 0, $"{function}: {type} lacks {string.Join(", ", missing)}");
            }
        }
    }

    [Fact]
    public void HTTP_functions_are_anonymous_forwarded_routes_with_an_http_output()
    {
        var generated = Generate();

        Assert.NotEmpty(AppFunctions.Http);
        foreach (var function in AppFunctions.Http)
        {
            var json = generated[function.Name];
            var trigger = Trigger(json);
            Assert.Equal("httpTrigger", (string?)trigger["type"]);
            Assert.Equal("anonymous", (string?)trigger["authLevel"]);
            Assert.Equal(function.Route, (string?)trigger["route"]);
            Assert.False(function.Route.StartsWith('/'));
            RoutePatternFactory.Parse(function.Route); // a template the host's routing accepts
            var methods = trigger["methods"]!.AsArray().Select(m => (string)m!).ToList();
            Assert.NotEmpty(methods);
            Assert.All(methods, m => Assert.Contains(m, new[] { "get", "post", "put", "patch", "delete", "head", "options" }));
            var output = Assert.Single(Bindings(json), b => (string?)b["type"] == "http");
            Assert.Equal("out", (string?)output["direction"]);
            Assert.Equal("res", (string?)output["name"]);
        }

        Assert.Equal(AppFunctions.Http.Count, AppFunctions.Http.Select(f => f.Route).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void The_host_forwards_HTTP_requests_to_the_published_executable_under_no_route_prefix()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "host.json")))!;

        Assert.True((bool)host["customHandler"]!["enableForwardingHttpRequest"]!);
        Assert.Equal(typeof(Program).Assembly.GetName().Name, (string?)host["customHandler"]!["description"]!["defaultExecutablePath"]);
        Assert.Equal(string.Empty, (string?)host["extensions"]!["http"]!["routePrefix"]);
        Assert.Equal("[4.*, 5.0.0)", (string?)host["extensionBundle"]!["version"]);
    }

    [Fact]
    public void The_host_gives_up_on_a_work_item_only_after_the_runtime_has_moved_it_aside()
    {
        // The runtime treats a message received more than MaxDequeueCount times as poison and fails its instance
        // visibly; the host's own poison queue would only hide it, so the host must keep delivering until then.
        var queues = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "host.json")))!["extensions"]!["queues"]!;

        Assert.True((int)queues["maxDequeueCount"]! > new Orchestrations.Runtime.WorkflowHostOptions().MaxDequeueCount);
        Assert.Equal("base64", (string?)queues["messageEncoding"]); // as the queue adapter writes them
        Assert.True(TimeSpan.Parse((string)queues["visibilityTimeout"]!, System.Globalization.CultureInfo.InvariantCulture) > TimeSpan.Zero);
    }

    [Fact]
    public void Timer_schedules_have_six_fields_parse_as_NCRONTAB_and_fire()
    {
        var generated = Generate();

        Assert.NotEmpty(AppFunctions.Timers);
        foreach (var function in AppFunctions.Timers)
        {
            var trigger = Trigger(generated[function.Name]);
            var schedule = (string)trigger["schedule"]!;
            Assert.Equal(6, schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.NotNull(NCrontabSchedule.Parse(schedule).GetNextOccurrence(DateTimeOffset.UnixEpoch));
            Assert.False((bool)trigger["runOnStartup"]!);
            Assert.True((bool)trigger["useMonitor"]!);
        }
    }

    [Fact]
    public void Standalone_mode_runs_the_timers_on_the_declared_schedules()
    {
        Assert.Equal(StandaloneTriggers.FundingSchedule, Assert.Single(AppFunctions.Timers, t => t.Name == "timer-funding").Schedule);
        Assert.Equal(StandaloneTriggers.TournamentSchedulerSchedule, Assert.Single(AppFunctions.Timers, t => t.Name == "timer-tournament-scheduler").Schedule);
        Assert.Equal(StandaloneTriggers.LiveReconcileSchedule, Assert.Single(AppFunctions.Timers, t => t.Name == "timer-live-reconcile").Schedule);
        Assert.Equal(3, AppFunctions.Timers.Count);
    }

    [Fact]
    public void Every_feed_subscription_has_one_change_feed_trigger_with_its_own_lease_prefix()
    {
        var generated = Generate();

        var triggers = AppFunctions.Feeds.Select(f => Trigger(generated[f.Name])).ToList();
        Assert.All(triggers, t =>
        {
            Assert.Equal("cosmosDBTrigger", (string?)t["type"]);
            Assert.Equal(AppFunctions.CosmosConnection, (string?)t["connection"]);
            Assert.Equal(AppFunctions.CosmosDatabase, (string?)t["databaseName"]);
            Assert.Equal("events", (string?)t["containerName"]);
            Assert.Equal("leases", (string?)t["leaseContainerName"]);
            Assert.False((bool)t["createLeaseContainerIfNotExists"]!);
        });
        var prefixes = triggers.Select(t => (string)t["leaseContainerPrefix"]!).ToList();
        Assert.Equal(FeedSubscriptions.Table.Where(t => t.Durable).Select(t => t.Name).Order(), prefixes.Order());
        Assert.Equal(prefixes.Count, prefixes.Distinct().Count());
    }

    [Fact]
    public void The_queue_function_consumes_the_workflow_work_queue()
    {
        var function = Assert.Single(AppFunctions.Queues);
        var trigger = Trigger(Generate()[function.Name]);

        Assert.Equal("queueTrigger", (string?)trigger["type"]);
        Assert.Equal("workflow-work", (string?)trigger["queueName"]);
        Assert.Equal("AzureWebJobsStorage", (string?)trigger["connection"]);
    }

    [Fact]
    public void An_Event_Grid_function_is_an_eventGridTrigger_alone_and_none_is_declared_until_its_consumer_exists()
    {
        var json = FunctionJsonWriter.ToJson(new EventGridFunction("integration-events"));

        var binding = Assert.Single(Bindings(json));
        Assert.Equal(["type", "direction", "name"], binding.Select(p => p.Key));
        Assert.Equal("eventGridTrigger", (string?)binding["type"]);
        Assert.Equal("in", (string?)binding["direction"]);
        Assert.Equal(AstraTrade.Functions.Integration.IntegrationConsumers.Table.Select(t => AstraTrade.Functions.Integration.IntegrationConsumers.FunctionName(t.Name)), AppFunctions.All.OfType<EventGridFunction>().Select(f => f.Name));
    }

    [Fact]
    public void The_command_line_switch_writes_the_files_and_asks_for_a_directory()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Null(FunctionJsonWriter.RunFromCommandLine(["--urls", "http://127.0.0.1:1"], output, error));
        Assert.Equal(2, FunctionJsonWriter.RunFromCommandLine([FunctionJsonWriter.Switch], output, error));
        Assert.Equal(0, FunctionJsonWriter.RunFromCommandLine([FunctionJsonWriter.Switch, _output], output, error));
        Assert.Equal(AppFunctions.All.Count, Directory.GetFiles(_output, "function.json", SearchOption.AllDirectories).Length);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "host.json")) && File.Exists(Path.Combine(directory.FullName, "AstraTrade.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("host.json not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The declarations against the running app: its mapped routes and its feed subscriptions.</summary>
public sealed class FunctionDeclarationsAppTests(PlatformFixture fixture) : AppTests<PlatformFixture>(fixture)
{
    [Fact]
    public void Every_route_the_app_maps_is_covered_by_exactly_one_HTTP_function_with_its_method()
    {
        var endpoints = App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count >= 40, $"only {endpoints.Count} endpoints");
        var functions = AppFunctions.Http.Select(f => (Function: f, Pattern: RoutePatternFactory.Parse(f.Route))).ToList();
        var used = new HashSet<string>();

        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            Assert.True(methods is { Count: > 0 }, $"{endpoint.RoutePattern.RawText} answers any method");
            foreach (var method in methods!)
            {
                var covering = functions
                    .Where(f => Covers(f.Pattern, endpoint.RoutePattern) && f.Function.Methods.Contains(method.ToLowerInvariant()))
                    .Select(f => f.Function.Name)
                    .ToList();
                Assert.True(covering.Count == 1, $"{method} {endpoint.RoutePattern.RawText} is covered by [{string.Join(", ", covering)}]");
                used.Add(covering[0]);
            }
        }

        Assert.Equal(AppFunctions.Http.Select(f => f.Name).Order(), used.Order()); // no function for routes that do not exist
    }

    [Fact]
    public void Standalone_the_app_runs_every_feed_subscription_itself()
    {
        var subscriptions = App.Services.GetRequiredService<FeedSubscriptions>().All.Select(s => s.Name);

        Assert.Equal(FeedSubscriptions.Table.Select(t => t.Name).Order(), subscriptions.Order());
    }

    [Fact]
    public async Task Under_the_Functions_host_the_app_runs_only_the_subscriptions_that_are_not_functions()
    {
        await using var hosted = new AstraTradeApp(new AppOptions
        {
            ScriptedMarket = true,
            Settings = new Dictionary<string, string?> { [AppHosting.ModeSetting] = nameof(HostingMode.FunctionsHost) },
        });
        Markets.PublishDefaults(hosted.Scripted);
        await hosted.StartAsync();

        var inProcess = hosted.Services.GetRequiredService<FeedSubscriptions>().All.Select(s => s.Name).ToList();

        var declared = AppFunctions.Feeds.Select(f => f.Subscription).ToList();
        Assert.Empty(inProcess.Intersect(declared)); // each event handled once, by the host's leases
        Assert.Equal(FeedSubscriptions.Table.Select(t => t.Name).Order(), inProcess.Concat(declared).Order()); // and none forgotten
        Assert.All(FeedSubscriptions.Table.Where(t => declared.Contains(t.Name)), t => Assert.True(t.Durable));
    }

    [Fact]
    public void Every_timer_has_a_job()
    {
        var jobs = App.Services.GetRequiredService<ScheduledJobs>();

        Assert.All(AppFunctions.Timers, t => Assert.NotNull(jobs.For(t.Name)));
        Assert.Throws<KeyNotFoundException>(() => jobs.For("timer-nobody-declared"));
    }

    [Fact]
    public void No_http_function_route_reaches_an_invocation_path()
    {
        // The host forwards outside requests only to HTTP function routes; the invocation paths must stay out of reach.
        foreach (var function in AppFunctions.All.Where(f => f is not HttpFunction))
        {
            Assert.DoesNotContain(AppFunctions.Http, http => Covers(RoutePatternFactory.Parse(http.Route), RoutePatternFactory.Parse(function.Name)));
        }
    }

    /// <summary>
    /// Whether every request path the endpoint's pattern matches also matches the function's template: literal segments
    /// equal (ignoring case), a function parameter takes any one segment, a function catch-all takes the rest.
    /// </summary>
    private static bool Covers(RoutePattern function, RoutePattern endpoint)
    {
        var segments = endpoint.PathSegments;
        for (var i = 0; i < function.PathSegments.Count; i++)
        {
            var part = function.PathSegments[i];
            if (part.IsSimple && part.Parts[0] is RoutePatternParameterPart { IsCatchAll: true })
            {
                return true;
            }

            if (i >= segments.Count)
            {
                return false;
            }

            if (part.IsSimple && part.Parts[0] is RoutePatternParameterPart)
            {
                continue;
            }

            if (!(part.IsSimple && part.Parts[0] is RoutePatternLiteralPart literal
                && segments[i].IsSimple && segments[i].Parts[0] is RoutePatternLiteralPart mapped
                && string.Equals(literal.Content, mapped.Content, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return function.PathSegments.Count == segments.Count;
    }
}

using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage.Cosmos;

/// <summary>The settings the store reads (the same ones the Functions host's cosmosDBTrigger reads), and bad ones.</summary>
public sealed class CosmosStoreOptionsTests
{
    private const string Key = CosmosDbServer.Key;

    [Fact]
    public void A_connection_string_is_split_into_endpoint_and_key_whatever_the_case_and_spacing()
    {
        var parsed = CosmosConnectionString.Parse($" accountendpoint = https://acct.documents.azure.com:443/ ; AccountKey={Key} ;", "CosmosDb");

        Assert.Equal(new Uri("https://acct.documents.azure.com:443/"), parsed.AccountEndpoint);
        Assert.Equal(Key, parsed.AccountKey);
        Assert.DoesNotContain(Key, parsed.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AccountKey=" + Key, "no AccountEndpoint")]
    [InlineData("AccountEndpoint=https://acct.documents.azure.com:443/", "no AccountKey")]
    [InlineData("AccountEndpoint=https://acct.documents.azure.com:443/;AccountKey=not base64!", "not base64")]
    [InlineData("AccountEndpoint=acct.documents.azure.com;AccountKey=" + Key, "not an absolute https URI")]
    [InlineData("AccountEndpoint=ftp://acct/;AccountKey=" + Key, "not an absolute https URI")]
    [InlineData("just some text", "Name=value")]
    public void A_bad_connection_string_is_refused_with_what_is_wrong_and_without_the_key(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => CosmosConnectionString.Parse(text, "CosmosDb"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("CosmosDb", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_configured_means_no_cosmos_store()
    {
        Assert.Null(CosmosStoreOptions.FromConfiguration(Configuration([])));
        Assert.False(new ServiceCollection().TryAddCosmosStore(Configuration([])));
    }

    [Fact]
    public void The_connection_string_is_read_from_the_section_value_or_the_connection_strings()
    {
        var connection = $"AccountEndpoint=https://acct.documents.azure.com:443/;AccountKey={Key};";

        var fromValue = CosmosStoreOptions.FromConfiguration(Configuration(new() { ["CosmosDb"] = connection }))!;
        var fromConnectionStrings = CosmosStoreOptions.FromConfiguration(Configuration(new() { ["ConnectionStrings:CosmosDb"] = connection }))!;

        Assert.Equal(connection, fromValue.ConnectionString);
        Assert.Equal(connection, fromConnectionStrings.ConnectionString);
        Assert.Equal("astratrade", fromValue.Database);
        Assert.False(fromValue.IsLocalEndpoint);
        Assert.Null(fromValue.CreateResources);
    }

    [Fact]
    public void An_identity_based_connection_reads_the_endpoint_client_id_and_the_other_settings()
    {
        var options = CosmosStoreOptions.FromConfiguration(Configuration(new()
        {
            ["CosmosDb:accountEndpoint"] = "https://acct.documents.azure.com:443/",
            ["CosmosDb:credential"] = "managedidentity",
            ["CosmosDb:clientId"] = "5f1c3a8e-0000-4000-8000-000000000001",
            ["CosmosDb:database"] = "other",
            ["CosmosDb:createResources"] = "true",
            ["CosmosDb:feedPollInterval"] = "00:00:00.250",
            ["CosmosDb:transientRetries"] = "2",
            ["CosmosDb:maxAppendBytes"] = "65536",
        }))!;

        Assert.Null(options.ConnectionString);
        Assert.Equal(new Uri("https://acct.documents.azure.com:443/"), options.AccountEndpoint);
        Assert.Equal("5f1c3a8e-0000-4000-8000-000000000001", options.ManagedIdentityClientId);
        Assert.Equal("other", options.Database);
        Assert.True(options.CreateResources);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.FeedPollInterval);
        Assert.Equal(2, options.TransientRetries);
        Assert.Equal(65536, options.MaxAppendBytes);
    }

    [Theory]
    [InlineData("CosmosDb:feedPollInterval", "soon", "CosmosDb:feedPollInterval")]
    [InlineData("CosmosDb:feedPollInterval", "00:00:00", "CosmosDb:feedPollInterval")]
    [InlineData("CosmosDb:createResources", "yes please", "CosmosDb:createResources")]
    [InlineData("CosmosDb:transientRetries", "-1", "CosmosDb:transientRetries")]
    [InlineData("CosmosDb:maxAppendBytes", "3000000", "CosmosDb:maxAppendBytes")]
    [InlineData("CosmosDb:maxRateLimitRetries", "99999999999", "CosmosDb:maxRateLimitRetries")]
    [InlineData("CosmosDb:credential", "clientsecret", "CosmosDb:credential")]
    [InlineData("CosmosDb:accountEndpoint", "not a uri", "CosmosDb:accountEndpoint")]
    public void A_bad_setting_is_refused_by_name(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { ["CosmosDb:accountEndpoint"] = "https://acct.documents.azure.com:443/", [key] = value };

        var error = Assert.Throws<ArgumentException>(() => CosmosStoreOptions.FromConfiguration(Configuration(settings)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_and_an_endpoint_together_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => CosmosStoreOptions.FromConfiguration(Configuration(new()
        {
            ["CosmosDb"] = $"AccountEndpoint=https://a.documents.azure.com:443/;AccountKey={Key};",
            ["CosmosDb:accountEndpoint"] = "https://b.documents.azure.com:443/",
        })));

        Assert.Contains("set one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_without_a_connection_are_refused_when_the_store_is_created()
    {
        Assert.Throws<ArgumentException>(() => CosmosStore.Create(new CosmosStoreOptions()));
    }

    [Theory]
    [InlineData("https://127.0.0.1:8081/", true)]
    [InlineData("https://localhost:8081/", true)]
    [InlineData("https://[::1]:8081/", true)]
    [InlineData("https://acct.documents.azure.com:443/", false)]
    [InlineData("https://10.0.0.4:8081/", false)]
    public void Only_a_loopback_endpoint_counts_as_local(string endpoint, bool local)
    {
        var options = new CosmosStoreOptions { AccountEndpoint = new Uri(endpoint) };

        Assert.Equal(local, options.IsLocalEndpoint);
    }

    [Fact]
    public void Registration_provides_the_store_ports_on_one_cosmos_store()
    {
        var services = new ServiceCollection();
        var added = services.TryAddCosmosStore(Configuration(new()
        {
            ["CosmosDb"] = $"AccountEndpoint=https://127.0.0.1:1/;AccountKey={Key};",
        }));

        using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<CosmosStore>();
        Assert.True(added);
        Assert.Same(store.Events, provider.GetRequiredService<IEventStore>());
        Assert.Same(store.Events, provider.GetRequiredService<IEventFeed>());
        Assert.Same(store.Documents, provider.GetRequiredService<IDocumentStore>());
    }

    [Fact]
    public void The_embedded_container_definitions_name_the_database_and_containers_the_functions_use()
    {
        var definitions = CosmosContainerDefinitions.Default;

        Assert.Equal("astratrade", definitions.Database);
        Assert.Equal(["events", "documents", "leases"], definitions.Containers.Select(c => c.Name));
        Assert.Equal("/stream", definitions.Events.PartitionKeyPath);
        Assert.Equal("/id", definitions.Documents.PartitionKeyPath);
        Assert.Equal("/id", definitions.Leases.PartitionKeyPath);
    }

    [Theory]
    [InlineData("""{"containers":[]}""", "'database'")]
    [InlineData("""{"database":"d","containers":[{"name":"events","partitionKeyPath":"/stream","indexingPolicy":{}}]}""", "'documents'")]
    [InlineData("""{"database":"d","containers":[{"name":"events","partitionKeyPath":"stream","indexingPolicy":{}}]}""", "start with '/'")]
    [InlineData("""{"database":"d","containers":[{"name":"events","partitionKeyPath":"/stream"}]}""", "'indexingPolicy'")]
    public void Malformed_container_definitions_are_refused(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => CosmosContainerDefinitions.Parse(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}

using Azure.Identity;
using AstraTrade.Infrastructure.Queues.AzureStorage;

namespace AstraTrade.Infrastructure.IntegrationTests.Queues;

/// <summary>Which queue service the Functions-host settings select (no request is sent).</summary>
public sealed class AzureWebJobsStorageTests
{
    private static Func<string, string?> Settings(params (string Key, string Value)[] settings)
    {
        var map = settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.OrdinalIgnoreCase);
        return key => map.GetValueOrDefault(key);
    }

    [Fact]
    public void Without_storage_settings_there_is_no_queue_service()
    {
        Assert.Null(AzureWebJobsStorage.TryGetQueueService(Settings()));
        Assert.Null(AzureWebJobsStorage.TryGetQueueService(Settings(("AzureWebJobsStorage", "  "))));
        Assert.Null(AzureWebJobsStorage.TryCreateQueue(Settings(), "workflow-work"));
    }

    [Fact]
    public void A_connection_string_gives_shared_key_access_to_its_queue_endpoint()
    {
        var service = AzureWebJobsStorage.TryGetQueueService(Settings(("AzureWebJobsStorage", "UseDevelopmentStorage=true")));

        Assert.NotNull(service);
        Assert.Equal(StorageConnectionString.DevelopmentQueueEndpoint, service.ServiceUri);
        Assert.Equal("devstoreaccount1", Assert.IsType<SharedKeyCredential>(service.Authorizer).AccountName);
    }

    [Fact]
    public void A_queue_service_uri_gives_bearer_token_access_through_a_managed_identity()
    {
        var service = AzureWebJobsStorage.TryGetQueueService(Settings(
            ("AzureWebJobsStorage:queueServiceUri", "https://astra.queue.core.windows.net"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.NotNull(service);
        Assert.Equal(new Uri("https://astra.queue.core.windows.net"), service.ServiceUri);
        Assert.IsType<BearerTokenAuthorizer>(service.Authorizer);
    }

    [Fact]
    public void An_account_name_alone_means_its_public_queue_endpoint()
    {
        var service = AzureWebJobsStorage.TryGetQueueService(Settings(("AzureWebJobsStorage:accountName", "astra")));

        Assert.Equal(new Uri("https://astra.queue.core.windows.net"), service!.ServiceUri);
    }

    [Fact]
    public void The_connection_string_wins_over_identity_settings()
    {
        var service = AzureWebJobsStorage.TryGetQueueService(Settings(
            ("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
            ("AzureWebJobsStorage:queueServiceUri", "https://astra.queue.core.windows.net")));

        Assert.IsType<SharedKeyCredential>(service!.Authorizer);
    }

    [Fact]
    public void The_credential_follows_the_identity_settings()
    {
        Assert.IsType<ManagedIdentityCredential>(AzureWebJobsStorage.CreateCredential(Settings(("AzureWebJobsStorage:clientId", "abc"))));
        Assert.IsType<ManagedIdentityCredential>(AzureWebJobsStorage.CreateCredential(Settings(
            ("AzureWebJobsStorage:managedIdentityResourceId",
                "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/astra"))));
        Assert.IsType<ManagedIdentityCredential>(AzureWebJobsStorage.CreateCredential(Settings(("AzureWebJobsStorage:credential", "managedidentity"))));
        Assert.IsType<DefaultAzureCredential>(AzureWebJobsStorage.CreateCredential(Settings()));
    }

    [Theory]
    [InlineData("AzureWebJobsStorage", "AccountName=astra", "AzureWebJobsStorage: The storage connection string has no AccountKey.")]
    [InlineData("AzureWebJobsStorage:queueServiceUri", "http://astra.queue.core.windows.net", "must be an https address")]
    [InlineData("AzureWebJobsStorage:queueServiceUri", "not a uri", "must be an https address")]
    [InlineData("AzureWebJobsStorage:accountName", "Astra!", "not a storage account name")]
    public void A_bad_setting_is_refused_with_its_name(string key, string value, string reason)
    {
        var error = Assert.Throws<FormatException>(() => AzureWebJobsStorage.TryGetQueueService(Settings((key, value))));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_credential_kind_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => AzureWebJobsStorage.TryGetQueueService(Settings(
            ("AzureWebJobsStorage:queueServiceUri", "https://astra.queue.core.windows.net"), ("AzureWebJobsStorage:credential", "password"))));

        Assert.Contains("'managedidentity'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_queue_is_named_as_asked_and_a_bad_name_is_refused()
    {
        using var queue = AzureWebJobsStorage.TryCreateQueue(Settings(("AzureWebJobsStorage", "UseDevelopmentStorage=true")), "workflow-work");
        Assert.Equal(("workflow-work", "workflow-work-poison"), (queue!.QueueName, queue.PoisonQueueName));

        Assert.Throws<ArgumentException>(() => AzureWebJobsStorage.TryCreateQueue(
            Settings(("AzureWebJobsStorage", "UseDevelopmentStorage=true")), "Workflow_Work"));
    }
}

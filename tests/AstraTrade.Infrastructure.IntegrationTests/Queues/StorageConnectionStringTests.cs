using AstraTrade.Infrastructure.Queues.AzureStorage;

namespace AstraTrade.Infrastructure.IntegrationTests.Queues;

public sealed class StorageConnectionStringTests
{
    private const string Key = "c2VjcmV0LWtleS1ieXRlcw==";

    [Fact]
    public void Development_storage_is_azurite_on_its_default_port_with_the_well_known_account()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), parsed.QueueEndpoint);
        Assert.Same(StorageConnectionString.Development, StorageConnectionString.Parse(" usedevelopmentstorage = TRUE ; "));
    }

    [Fact]
    public void An_account_key_string_gives_the_account_queue_endpoint_over_https_by_default()
    {
        var parsed = StorageConnectionString.Parse($"AccountName=astra;AccountKey={Key}");

        Assert.Equal("astra", parsed.AccountName);
        Assert.Equal(new Uri("https://astra.queue.core.windows.net/"), parsed.QueueEndpoint);
    }

    [Fact]
    public void Protocol_and_suffix_shape_the_endpoint_and_keys_are_case_insensitive()
    {
        var parsed = StorageConnectionString.Parse(
            $"DefaultEndpointsProtocol=http;accountname=astra;ACCOUNTKEY={Key};EndpointSuffix=core.chinacloudapi.cn;");

        Assert.Equal(new Uri("http://astra.queue.core.chinacloudapi.cn/"), parsed.QueueEndpoint);
    }

    [Fact]
    public void An_explicit_queue_endpoint_wins_and_other_services_endpoints_are_ignored()
    {
        var parsed = StorageConnectionString.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={StorageConnectionString.DevelopmentAccountKey};" +
            "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:41234/devstoreaccount1;" +
            "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;");

        Assert.Equal(new Uri("http://127.0.0.1:41234/devstoreaccount1"), parsed.QueueEndpoint);
        Assert.Equal("devstoreaccount1", parsed.Credential.AccountName);
    }

    [Fact]
    public void The_key_is_used_as_its_decoded_bytes()
    {
        var parsed = StorageConnectionString.Parse($"AccountName=astra;AccountKey={Key}");
        var direct = new SharedKeyCredential("astra", Convert.FromBase64String(Key));

        Assert.Equal(direct.Sign("x"), parsed.Credential.Sign("x"));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(" ; ;", "empty")]
    [InlineData("AccountName=astra;AccountKey", "Part 2")]
    [InlineData("AccountName=astra;AcountKey=c2VjcmV0", "unknown key 'AcountKey'")]
    [InlineData("AccountName=astra;AccountName=other;AccountKey=c2VjcmV0", "'AccountName' more than once")]
    [InlineData("AccountKey=c2VjcmV0", "no AccountName")]
    [InlineData("AccountName=Astra_Account;AccountKey=c2VjcmV0", "not a storage account name")]
    [InlineData("AccountName=astra", "no AccountKey")]
    [InlineData("AccountName=astra;AccountKey=not base64!", "not base64")]
    [InlineData("AccountName=astra;AccountKey=c2VjcmV0;DefaultEndpointsProtocol=ftp", "'http' or 'https'")]
    [InlineData("AccountName=astra;AccountKey=c2VjcmV0;QueueEndpoint=/relative", "QueueEndpoint")]
    [InlineData("AccountName=astra;AccountKey=c2VjcmV0;QueueEndpoint=ftp://host/x", "QueueEndpoint")]
    [InlineData("AccountName=astra;AccountKey=c2VjcmV0;EndpointSuffix=a/b", "EndpointSuffix")]
    [InlineData("UseDevelopmentStorage=false", "must be 'true'")]
    [InlineData("UseDevelopmentStorage=true;AccountName=astra", "cannot be combined")]
    [InlineData("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://proxy", "not supported")]
    [InlineData("BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2024&sig=abc", "Shared access signatures are not supported")]
    public void A_bad_connection_string_is_refused_with_the_reason(string connectionString, string reason)
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(StorageConnectionString.TryParse(connectionString, out _, out var message));
        Assert.Equal(error.Message, message);
    }

    [Fact]
    public void Errors_and_the_text_form_never_show_the_key()
    {
        const string secret = "c3VwZXItc2VjcmV0LWtleQ==";
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse($"AccountName=astra;AccountKey={secret};Typo=1"));
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);

        Assert.DoesNotContain(secret, StorageConnectionString.Parse($"AccountName=astra;AccountKey={secret}").ToString(), StringComparison.Ordinal);
    }
}

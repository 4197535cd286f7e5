using System.Net.Http.Headers;
using System.Text;
using AstraTrade.Infrastructure.Queues.AzureStorage;

namespace AstraTrade.Infrastructure.IntegrationTests.Queues;

/// <summary>
/// Shared Key signing against vectors written from the documented algorithm ("Authorize with Shared Key", Blob, Queue
/// and File services, version 2015-02-21 and later): the strings to sign below are spelled out by hand, and their
/// signatures were computed independently with Python's hmac module (HMAC-SHA256 over the UTF-8 string, keyed with the
/// base64-decoded Azurite development key). Azurite accepting the adapter's requests, and refusing a wrong key
/// (<see cref="AzureStorageQueueTests"/>), checks the same thing against a real verifier.
/// </summary>
public sealed class SharedKeySigningTests
{
    private static readonly SharedKeyCredential DevelopmentKey =
        new(StorageConnectionString.DevelopmentAccountName, Convert.FromBase64String(StorageConnectionString.DevelopmentAccountKey));

    [Fact]
    public async Task A_put_message_request_signs_its_length_type_sorted_headers_path_and_sorted_query()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post,
            "http://127.0.0.1:10001/devstoreaccount1/work/messages?visibilitytimeout=30&messagettl=-1");
        request.Headers.TryAddWithoutValidation("x-ms-version", "2025-11-05");
        request.Headers.TryAddWithoutValidation("x-ms-date", "Sat, 21 Nov 2026 10:00:00 GMT");
        request.Headers.TryAddWithoutValidation("x-ms-client-request-id", "  a    b ");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("<QueueMessage><MessageText>aGVsbG8=</MessageText></QueueMessage>"));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/xml; charset=utf-8");

        const string expected =
            "POST\n\n\n64\n\napplication/xml; charset=utf-8\n\n\n\n\n\n\n" +
            "x-ms-client-request-id:a b\nx-ms-date:Sat, 21 Nov 2026 10:00:00 GMT\nx-ms-version:2025-11-05\n" +
            "/devstoreaccount1/devstoreaccount1/work/messages\nmessagettl:-1\nvisibilitytimeout:30";
        Assert.Equal(expected, SharedKeyCredential.StringToSign(request, "devstoreaccount1"));
        Assert.Equal("aTORN7Fgl+fzL0Kz2w/rX8Alo45IH2mf37pGPu5nnt0=", DevelopmentKey.Sign(expected));

        await DevelopmentKey.AuthorizeAsync(request, CancellationToken.None);
        Assert.Equal("SharedKey devstoreaccount1:aTORN7Fgl+fzL0Kz2w/rX8Alo45IH2mf37pGPu5nnt0=",
            string.Join(",", request.Headers.GetValues("Authorization")));
    }

    [Fact]
    public void A_request_without_a_body_signs_an_empty_length_and_the_decoded_query_value()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete,
            "https://myaccount.queue.core.windows.net/work/messages/0f8fad5b-d9cb-469f-a165-70867728950e?popreceipt=AgAAAAMAAAAAAAAA%2BKf%2Fww%3D%3D");
        request.Headers.TryAddWithoutValidation("x-ms-date", "Sat, 21 Nov 2026 10:00:00 GMT");
        request.Headers.TryAddWithoutValidation("x-ms-version", "2025-11-05");

        const string expected =
            "DELETE\n\n\n\n\n\n\n\n\n\n\n\n" +
            "x-ms-date:Sat, 21 Nov 2026 10:00:00 GMT\nx-ms-version:2025-11-05\n" +
            "/myaccount/work/messages/0f8fad5b-d9cb-469f-a165-70867728950e\npopreceipt:AgAAAAMAAAAAAAAA+Kf/ww==";
        Assert.Equal(expected, SharedKeyCredential.StringToSign(request, "myaccount"));
        Assert.Equal("tYc5pUX0oJeVOWTXDIpDaS/qEgf5uTIhr0wh9eY2gw0=", DevelopmentKey.Sign(expected));
    }

    [Fact]
    public void Repeated_query_parameters_are_one_line_with_sorted_values_and_names_are_lowercased()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://a.queue.core.windows.net/?Comp=list&include=metadata&include=b");
        Assert.EndsWith("/a/\ncomp:list\ninclude:b,metadata", SharedKeyCredential.StringToSign(request, "a"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_different_key_gives_a_different_signature()
    {
        var other = new SharedKeyCredential("devstoreaccount1", Encoding.UTF8.GetBytes("not the key"));
        Assert.NotEqual(DevelopmentKey.Sign("GET\n"), other.Sign("GET\n"));
    }
}

using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using AstraTrade.Infrastructure.Queues.AzureStorage;

namespace AstraTrade.Infrastructure.IntegrationTests.Queues;

/// <summary>Storage REST calls made by hand (signed with the development key), to see and do what the adapter does not:
/// peek at the message text on the wire, put text another tool would put, delete a queue.</summary>
internal sealed class RawQueueRequests(Azurite azurite) : IDisposable
{
    private static readonly SharedKeyCredential Key =
        new(StorageConnectionString.DevelopmentAccountName, Convert.FromBase64String(StorageConnectionString.DevelopmentAccountKey));

    private readonly HttpClient _http = new();

    /// <summary>Peek Messages: the texts of up to 32 visible messages, without leasing them.</summary>
    public async Task<List<string>> PeekTextsAsync(string queue)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{queue}/messages?numofmessages=32&peekonly=true");
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. xml.Root!.Elements("QueueMessage").Select(m => (string)m.Element("MessageText")!)];
    }

    public async Task PutTextAsync(string queue, string text)
    {
        using var response = await SendAsync(HttpMethod.Post, $"{queue}/messages",
            $"<QueueMessage><MessageText>{System.Security.SecurityElement.Escape(text)}</MessageText></QueueMessage>");
    }

    public async Task DeleteQueueAsync(string queue)
    {
        using var response = await SendAsync(HttpMethod.Delete, queue);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, string? body = null)
    {
        using var request = new HttpRequestMessage(method, $"{azurite.QueueEndpoint}/{pathAndQuery}");
        request.Headers.TryAddWithoutValidation("x-ms-date", DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("x-ms-version", "2025-11-05");
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/xml");
        }

        await Key.AuthorizeAsync(request, CancellationToken.None);
        var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {pathAndQuery}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return response;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace AstraTrade.Functions.Integration;

/// <summary>
/// The shared key a WebHook subscription presents: in the endpoint URL's query (<c>?key=</c>), which Event Grid also
/// uses for its handshakes, or in the <c>X-Webhook-Key</c> header (a delivery property of the subscription).
/// </summary>
public static class WebhookKey
{
    public const string QueryParameter = "key";
    public const string Header = "X-Webhook-Key";

    public static bool IsPresentedBy(HttpRequest request, string expected)
    {
        var presented = request.Headers[Header].FirstOrDefault() ?? request.Query[QueryParameter].FirstOrDefault();
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        // Hashing first makes the comparison constant-time whatever the lengths.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AstraTrade.Infrastructure.Queues.AzureStorage;

/// <summary>
/// Shared Key authorization for the Storage REST API: the Authorization header is
/// <c>SharedKey {account}:{base64(HMAC-SHA256(key, StringToSign))}</c>, where StringToSign is, for the Blob, Queue and
/// File services since version 2009-09-19:
/// <code>
/// VERB \n Content-Encoding \n Content-Language \n Content-Length \n Content-MD5 \n Content-Type \n Date \n
/// If-Modified-Since \n If-Match \n If-None-Match \n If-Unmodified-Since \n Range \n
/// CanonicalizedHeaders CanonicalizedResource
/// </code>
/// Content-Length is empty when zero (since version 2015-02-21); Date is empty because x-ms-date is sent instead.
/// CanonicalizedHeaders: every x-ms-* header as <c>name:value\n</c>, names lowercased and sorted, runs of whitespace in
/// values folded to one space. CanonicalizedResource: <c>/{account}{encoded path}</c>, then for each query parameter,
/// sorted by lowercased name, <c>\n{name}:{decoded values, sorted, comma-separated}</c>.
/// </summary>
public sealed class SharedKeyCredential : IStorageRequestAuthorizer
{
    private readonly byte[] _key;

    public SharedKeyCredential(string accountName, byte[] key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw new ArgumentException("The account key is empty.", nameof(key));
        }

        AccountName = accountName;
        _key = key.ToArray();
    }

    public string AccountName { get; }

    public ValueTask AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKey {AccountName}:{Sign(StringToSign(request, AccountName))}");
        return ValueTask.CompletedTask;
    }

    /// <summary>base64(HMAC-SHA256(key, UTF-8 of <paramref name="stringToSign"/>)).</summary>
    public string Sign(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));

    public static string StringToSign(HttpRequestMessage request, string accountName)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no address.", nameof(request));
        var content = request.Content?.Headers;
        var length = content?.ContentLength is { } n and > 0 ? n.ToString(CultureInfo.InvariantCulture) : string.Empty;

        var builder = new StringBuilder()
            .Append(request.Method.Method.ToUpperInvariant()).Append('\n')
            .Append(Header(content, "Content-Encoding")).Append('\n')
            .Append(Header(content, "Content-Language")).Append('\n')
            .Append(length).Append('\n')
            .Append(Header(content, "Content-MD5")).Append('\n')
            .Append(content?.ContentType?.ToString() ?? string.Empty).Append('\n')
            .Append(Header(request.Headers, "Date")).Append('\n')
            .Append(Header(request.Headers, "If-Modified-Since")).Append('\n')
            .Append(Header(request.Headers, "If-Match")).Append('\n')
            .Append(Header(request.Headers, "If-None-Match")).Append('\n')
            .Append(Header(request.Headers, "If-Unmodified-Since")).Append('\n')
            .Append(Header(request.Headers, "Range")).Append('\n');

        foreach (var (name, value) in request.Headers
                     .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Key.ToLowerInvariant(), Value: FoldWhitespace(string.Join(",", h.Value))))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('/').Append(accountName).Append(uri.AbsolutePath);
        foreach (var (name, values) in QueryParameters(uri).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append('\n').Append(name).Append(':').AppendJoin(',', values.Order(StringComparer.Ordinal));
        }

        return builder.ToString();
    }

    private static Dictionary<string, List<string>> QueryParameters(Uri uri)
    {
        var parameters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]).ToLowerInvariant();
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (!parameters.TryGetValue(name, out var values))
            {
                parameters[name] = values = [];
            }

            values.Add(value);
        }

        return parameters;
    }

    private static string Header(System.Net.Http.Headers.HttpHeaders? headers, string name) =>
        headers is not null && headers.NonValidated.TryGetValues(name, out var values) ? string.Join(",", values) : string.Empty;

    private static string FoldWhitespace(string value)
    {
        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}

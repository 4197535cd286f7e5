using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using AstraTrade.Testing;

namespace AstraTrade.Infrastructure.IntegrationTests.Exchange.Extended;

/// <summary>
/// A local stand-in for Key Vault's secrets REST API (api-version 7.4) with soft-delete as Azure has it: Get, Set
/// (a new version), Delete (the secret moves to the deleted state and its name stays taken: Set answers 409), Purge
/// (DELETE deletedsecrets/{name}; 403 when the vault has purge protection) and Recover (POST
/// deletedsecrets/{name}/recover). Azure finishes deletes, purges and recoveries in the background; the fake answers
/// 409 to the next <see cref="SettleRequests"/> writes, purges or recoveries of a name after each, as Azure does meanwhile.
/// </summary>
internal sealed class FakeKeyVault : IDisposable
{
    private readonly LoopbackServer _server;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<(string Value, string? ContentType)>> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Value, string? ContentType)>> _deleted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _settling = new(StringComparer.Ordinal);
    private int _failNext;

    public FakeKeyVault()
    {
        _server = new LoopbackServer(ServeAsync);
        Uri = _server.BaseAddress;
    }

    public Uri Uri { get; }

    public bool PurgeProtection { get; set; }

    /// <summary>How many writes, purges or recoveries of a name answer 409 after a delete, purge or recovery of it.</summary>
    public int SettleRequests { get; set; }

    /// <summary>How many of the next writes answer 409 whatever the state (a conflict that does not clear).</summary>
    public int RefusePuts { get; set; }

    public ConcurrentQueue<(string Method, string Path, string Authorization)> Requests { get; } = new();

    /// <summary>The current value of a live secret, or null.</summary>
    public (string Value, string? ContentType)? Current(string name)
    {
        lock (_gate)
        {
            return _live.TryGetValue(name, out var versions) ? versions[^1] : null;
        }
    }

    public int Versions(string name)
    {
        lock (_gate)
        {
            return _live.TryGetValue(name, out var versions) ? versions.Count : 0;
        }
    }

    public bool IsDeleted(string name)
    {
        lock (_gate)
        {
            return _deleted.ContainsKey(name);
        }
    }

    /// <summary>Puts a value in place directly (a secret written by someone else).</summary>
    public void Seed(string name, string value)
    {
        lock (_gate)
        {
            _live[name] = [(value, null)];
        }
    }

    /// <summary>Moves a secret to the deleted state directly (an unlink whose purge did not happen).</summary>
    public void SoftDelete(string name, string value)
    {
        lock (_gate)
        {
            _deleted[name] = [(value, null)];
        }
    }

    /// <summary>The next <paramref name="count"/> requests answer 500.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failNext, count);

    public void Dispose() => _server.Dispose();

    private async Task ServeAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        Requests.Enqueue((request.HttpMethod, path, request.Headers["Authorization"] ?? ""));
        string? body = null;
        if (request.HasEntityBody)
        {
            using var reader = new StreamReader(request.InputStream);
            body = await reader.ReadToEndAsync();
        }

        var (status, reply) = request.QueryString["api-version"] != "7.4"
            ? (400, Error("BadParameter", "api-version"))
            : Interlocked.Decrement(ref _failNext) >= 0
                ? (500, Error("InternalServerError", "injected"))
                : Handle(request.HttpMethod, path, body);
        context.Response.StatusCode = status;
        if (reply is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(reply));
        }

        context.Response.Close();
    }

    private (int Status, object? Body) Handle(string method, string path, string? body)
    {
        var segments = path.Trim('/').Split('/');
        var name = segments.Length > 1 ? segments[1] : "";
        lock (_gate)
        {
            // While an operation settles, Azure refuses writes to the name and further purges or recoveries of it.
            var guarded = method == "PUT" || segments[0] == "deletedsecrets";
            if (guarded && _settling.TryGetValue(name, out var left) && left > 0)
            {
                _settling[name] = left - 1;
                return (409, Error("Conflict", $"Secret {name} is currently being deleted, purged or recovered."));
            }

            switch (method, segments[0], segments.Length)
            {
                case ("GET", "secrets", 2):
                    return _live.TryGetValue(name, out var versions)
                        ? (200, new { value = versions[^1].Value, contentType = versions[^1].ContentType, id = $"{Uri}secrets/{name}/{versions.Count}" })
                        : (404, Error("SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault."));
                case ("PUT", "secrets", 2) when RefusePuts > 0:
                    RefusePuts--;
                    return (409, Error("Conflict", $"Secret {name} is busy."));
                case ("PUT", "secrets", 2):
                    if (_deleted.ContainsKey(name))
                    {
                        return (409, Error("Conflict",
                            $"Secret {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged."));
                    }

                    using (var document = JsonDocument.Parse(body ?? "{}"))
                    {
                        var value = document.RootElement.GetProperty("value").GetString()!;
                        var contentType = document.RootElement.TryGetProperty("contentType", out var c) ? c.GetString() : null;
                        if (!_live.TryGetValue(name, out var list))
                        {
                            _live[name] = list = [];
                        }

                        list.Add((value, contentType));
                        return (200, new { id = $"{Uri}secrets/{name}/{list.Count}" });
                    }

                case ("DELETE", "secrets", 2):
                    if (!_live.Remove(name, out var deleted))
                    {
                        return (404, Error("SecretNotFound", name));
                    }

                    _deleted[name] = deleted;
                    _settling[name] = SettleRequests;
                    return (200, new { recoveryId = $"{Uri}deletedsecrets/{name}" });
                case ("DELETE", "deletedsecrets", 2):
                    if (!_deleted.ContainsKey(name))
                    {
                        return (404, Error("SecretNotFound", name));
                    }

                    if (PurgeProtection)
                    {
                        return (403, Error("Forbidden", "Operation \"purge\" is not allowed because purge protection is enabled for this vault."));
                    }

                    _deleted.Remove(name);
                    _settling[name] = SettleRequests;
                    return (204, null);
                case ("POST", "deletedsecrets", 3) when segments[2] == "recover":
                    if (!_deleted.Remove(name, out var recovered))
                    {
                        return (404, Error("SecretNotFound", name));
                    }

                    _live[name] = recovered;
                    _settling[name] = SettleRequests;
                    return (200, new { id = $"{Uri}secrets/{name}/{recovered.Count}" });
                default:
                    return (404, Error("NotFound", path));
            }
        }
    }

    private static object Error(string code, string message) => new { error = new { code, message } };
}

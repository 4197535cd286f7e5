using System.Text.Json;
using System.Text.Json.Serialization;
using AstraTrade.Contracts.Http;

namespace AstraTrade.LoadTest;

/// <summary>One line of the ack file: a user and every position the server acknowledged opening and closing.</summary>
internal sealed record AckLine(string User, List<Guid> Opened, List<Guid> Closed);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AckLine))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(Dictionary<string, long>))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
internal sealed partial class AckJson : JsonSerializerContext;

/// <summary>
/// The durability check, run against a restarted app on the same data directory: every user logs in and pages through
/// GET /trades; every acknowledged placement must be there as an "open" fill and every acknowledged close as a "close".
/// Fills the client never saw acknowledged (none, unless a request failed) are reported but allowed.
/// </summary>
internal sealed class Verifier(Options options, Api api)
{
    public async Task<int> RunAsync(string ackFile)
    {
        var lines = (await File.ReadAllLinesAsync(ackFile))
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize(l, AckJson.Default.AckLine)!)
            .ToArray();
        long ackedOpens = 0, ackedCloses = 0, foundOpens = 0, foundCloses = 0, missingOpens = 0, missingCloses = 0, extra = 0, failures = 0;
        var gate = new Lock();
        await Parallel.ForEachAsync(lines, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (line, _) =>
        {
            var login = Api.Utf8(new LoginRequest(line.User, options.Password), ClientJson.Default.LoginRequest);
            var (outcome, tokens) = await api.SendAsync(HttpMethod.Post, "api/v1/auth/login", null, login, null, ClientJson.Default.TokenResponse);
            if (!outcome.Ok || tokens is null)
            {
                Console.Error.WriteLine($"verify: login of {line.User} failed: {outcome.Key}");
                Interlocked.Increment(ref failures);
                return;
            }

            var token = Api.Bearer(tokens.AccessToken);
            var opens = new HashSet<Guid>();
            var closes = new HashSet<Guid>();
            string? cursor = null;
            do
            {
                var path = "api/v1/trades?limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
                var (page, trades) = await api.SendAsync(HttpMethod.Get, path, token, null, null, ClientJson.Default.TradesPage);
                if (!page.Ok || trades is null)
                {
                    Console.Error.WriteLine($"verify: GET /trades for {line.User} failed: {page.Key}");
                    Interlocked.Increment(ref failures);
                    return;
                }

                foreach (var t in trades.Items)
                {
                    (t.Kind == "open" ? opens : closes).Add(t.PositionId);
                }

                cursor = trades.NextCursor;
            }
            while (cursor is not null);

            var missingO = line.Opened.Count(id => !opens.Contains(id));
            var missingC = line.Closed.Count(id => !closes.Contains(id));
            lock (gate)
            {
                ackedOpens += line.Opened.Count;
                ackedCloses += line.Closed.Count;
                foundOpens += opens.Count;
                foundCloses += closes.Count;
                missingOpens += missingO;
                missingCloses += missingC;
                extra += opens.Count - (line.Opened.Count - missingO) + closes.Count - (line.Closed.Count - missingC);
            }

            if (missingO + missingC > 0)
            {
                Console.Error.WriteLine($"verify: {line.User} is missing {missingO} acknowledged placements and {missingC} acknowledged closes");
            }
        });

        var ok = failures == 0 && missingOpens == 0 && missingCloses == 0;
        Console.WriteLine($"Durability check over {lines.Length} users: acknowledged {ackedOpens:N0} placements / {ackedCloses:N0} closes; " +
                          $"stored {foundOpens:N0} opens / {foundCloses:N0} closes; missing {missingOpens} / {missingCloses}; unacknowledged but stored {extra}; " +
                          $"request failures {failures} => {(ok ? "PASS" : "FAIL")}");
        Console.WriteLine("VERIFY " + JsonSerializer.Serialize(
            new Dictionary<string, long>
            {
                ["users"] = lines.Length,
                ["acknowledgedPlacements"] = ackedOpens,
                ["acknowledgedCloses"] = ackedCloses,
                ["storedOpens"] = foundOpens,
                ["storedCloses"] = foundCloses,
                ["missingPlacements"] = missingOpens,
                ["missingCloses"] = missingCloses,
                ["requestFailures"] = failures,
            },
            AckJson.Default.DictionaryStringInt64));
        return ok ? 0 : 1;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>The answer to one store request, after retries.</summary>
/// <param name="OutcomeWasUnknown">An earlier attempt timed out, failed in transport or got 503, so it may have been applied:
/// a write that now reports a conflict may be meeting itself.</param>
internal readonly record struct CosmosAnswer(ResponseMessage Response, bool OutcomeWasUnknown) : IDisposable
{
    public HttpStatusCode Status => Response.StatusCode;

    public void Dispose() => Response.Dispose();
}

/// <summary>
/// Sends every request of the store: the SDK retries throttled requests itself (honouring the server's retry-after);
/// a Polly pipeline adds a few more attempts, with exponential backoff and jitter or the server's retry-after, for 429,
/// 503 and 408 answers and transport failures the SDK gave up on. Each attempt's request charge is recorded on
/// <see cref="CosmosMetrics.RequestCharge"/> and logged at debug level.
/// </summary>
internal sealed partial class CosmosRequests
{
    private static readonly ResiliencePropertyKey<bool> UnknownOutcome = new("astratrade.cosmos.unknown-outcome");
    private static readonly ResiliencePropertyKey<string> OperationKey = new("astratrade.cosmos.operation");

    private readonly ResiliencePipeline<ResponseMessage> _pipeline;
    private readonly ILogger _logger;
    private readonly string _database;

    public CosmosRequests(CosmosStoreOptions options, ILogger logger, TimeProvider time)
    {
        _logger = logger;
        _database = options.Database;
        _pipeline = new ResiliencePipelineBuilder<ResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<ResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, options.TransientRetries),
                Delay = options.TransientRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = args => ValueTask.FromResult(options.TransientRetries > 0 && ShouldRetry(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    var status = args.Outcome.Result?.StatusCode ?? (args.Outcome.Exception as CosmosException)?.StatusCode;
                    if (status != HttpStatusCode.TooManyRequests)
                    {
                        // A throttled request was not executed; anything else may have been.
                        args.Context.Properties.Set(UnknownOutcome, true);
                    }

                    var operation = args.Context.Properties.GetValue(OperationKey, "?");
                    CosmosMetrics.Retries.Add(1, Tags(operation, status));
                    LogRetry(operation, (int?)status ?? 0, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout;

    /// <summary>Sends one request (again, if need be) and returns the final answer, which the caller disposes.</summary>
    /// <param name="operation">What the store is doing, e.g. <c>events.append</c>: the metric and log tag.</param>
    /// <exception cref="CosmosStoreException">A transport failure outlasted the retries.</exception>
    public async Task<CosmosAnswer> SendAsync(string operation, Func<CancellationToken, Task<ResponseMessage>> send, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OperationKey, operation);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        var response = await state.send(ctx.CancellationToken).ConfigureAwait(false);
                        state.self.Record(state.operation, response, Stopwatch.GetElapsedTime(started));
                        return Outcome.FromResult(response);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !ctx.CancellationToken.IsCancellationRequested)
                    {
                        return Outcome.FromException<ResponseMessage>(ex);
                    }
                },
                context,
                (send, operation, self: this)).ConfigureAwait(false);

            if (outcome.Exception is { } error)
            {
                if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }

                if (error is CosmosException cosmos)
                {
                    throw new CosmosStoreException(operation, cosmos.StatusCode, cosmos.SubStatusCode, cosmos.Message, cosmos);
                }

                throw new CosmosStoreException(operation, HttpStatusCode.ServiceUnavailable, 0, error.Message, error);
            }

            return new CosmosAnswer(outcome.Result!, context.Properties.GetValue(UnknownOutcome, false));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The exception for an answer the caller has no use for.</summary>
    public static CosmosStoreException Unexpected(string operation, ResponseMessage response)
    {
        var detail = string.IsNullOrEmpty(response.ErrorMessage) ? "no error message" : response.ErrorMessage.Split('\n', 2)[0].Trim();
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            detail += " (is the database or container missing? Bicep creates them; CosmosDb:createResources=true creates them when self-hosted)";
        }

        return new(operation, response.StatusCode, SubStatus(response), detail);
    }

    /// <summary>How long the service asked to wait (x-ms-retry-after-ms), if it did.</summary>
    private static TimeSpan? RetryAfter(ResponseMessage? response) =>
        response?.Headers["x-ms-retry-after-ms"] is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : null;

    private static int SubStatus(ResponseMessage response) =>
        int.TryParse(response.Headers["x-ms-substatus"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var sub) ? sub : 0;

    /// <summary>A 404 about the item itself, not about its container or database (substatus 1003: the owner is missing).</summary>
    public static bool IsItemNotFound(ResponseMessage response) =>
        response.StatusCode == HttpStatusCode.NotFound && SubStatus(response) == 0;

    private static bool ShouldRetry(Outcome<ResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => IsTransient(response.StatusCode),
        { Exception: CosmosException cosmos } => IsTransient(cosmos.StatusCode),
        { Exception: HttpRequestException or TimeoutException } => true,
        { Exception: OperationCanceledException } => true, // not the caller's token (filtered above): an SDK timeout
        _ => false,
    };

    private TagList Tags(string operation, HttpStatusCode? status) => new()
    {
        { "operation", operation },
        { "database", _database },
        { "status_code", (int?)status ?? 0 },
    };

    private void Record(string operation, ResponseMessage response, TimeSpan elapsed)
    {
        var charge = response.Headers.RequestCharge;
        CosmosMetrics.RequestCharge.Record(charge, Tags(operation, response.StatusCode));
        LogRequest(operation, (int)response.StatusCode, charge, elapsed.TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cosmos DB {Operation}: {Status}, {RequestCharge} RU, {ElapsedMs:F1} ms")]
    private partial void LogRequest(string operation, int status, double requestCharge, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cosmos DB {Operation} answered {Status}; attempt {Attempt} in {Delay}")]
    private partial void LogRetry(string operation, int status, int attempt, TimeSpan delay, Exception? exception);
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace AstraTrade.Functions.Http;

/// <summary>
/// Turns request-reading failures (bad JSON, wrong types, oversize or empty bodies) into 400/413/415 problems that say
/// what was wrong and where, and anything unexpected into a 500 problem without internals. Nothing is written by a
/// request that fails here, because binding happens before the endpoint runs.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (code, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => ("payload-too-large", "The request body is too large."),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
                ("unsupported-media-type", "Send the body as application/json."),
            BadHttpRequestException { InnerException: JsonException json } => ("malformed-request", Describe(json)),
            BadHttpRequestException bad => ("malformed-request", bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
                ? "The request body is missing or is not a JSON object." : "The request is malformed: " + Clean(bad.Message)),
            _ => ("internal-error", "Something went wrong on our side; the request may be retried."),
        };

        if (code == "internal-error")
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = Problems.StatusOf(code);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Type = Problems.TypeBase + code,
                Title = char.ToUpperInvariant(code[0]) + code[1..].Replace('-', ' '),
                Status = httpContext.Response.StatusCode,
                Detail = detail,
            },
        });
    }

    private static string Describe(JsonException json)
    {
        var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? null : "'" + json.Path.TrimStart('$', '.') + "'";
        var message = json.Message;
        return message switch
        {
            // The reader's own exception type (internal) means the text is not JSON at all.
            _ when json.GetType().Name == "JsonReaderException" => $"The body is not valid JSON{(field is null ? "" : " near " + field)}.",
            _ when message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) =>
                $"Unknown field {UnknownMember().Match(message).Groups[1].Value}: remove it.",
            _ when message.Contains("uplicate", StringComparison.Ordinal) => $"{field ?? "A field"} appears more than once.",
            _ when message.Contains("missing required properties", StringComparison.Ordinal) =>
                "Missing required field(s): " + MissingMembers().Match(message).Groups[1].Value.Replace("'", string.Empty, StringComparison.Ordinal).TrimEnd('.') + ".",
            _ when message.Contains("null", StringComparison.OrdinalIgnoreCase) && field is not null => $"{field} must not be null.",
            _ when field is null => "The body must be a JSON object.",
            _ => $"{field} has the wrong type or is out of range.",
        };
    }

    private static string Clean(string message) => BindFailure().Match(message) is { Success: true } m
        ? $"'{m.Groups[1].Value}' cannot be \"{m.Groups[2].Value}\"."
        : DotNetTypeName().Replace(message, string.Empty);

    [GeneratedRegex("Failed to bind parameter \"(?:\\S+ )?(\\w+)\" from \"(.*)\"")]
    private static partial Regex BindFailure();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex UnknownMember();

    [GeneratedRegex("properties including: (.+)\\.?$")]
    private static partial Regex MissingMembers();

    [GeneratedRegex(@"\b(System|AstraTrade)\.[\w.`\[\]]+")]
    private static partial Regex DotNetTypeName();
}

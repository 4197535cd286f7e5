using System.Collections.Frozen;
using AstraTrade.Domain.Common;

namespace AstraTrade.Functions.Http;

/// <summary>
/// RFC 7807 problem details. Every error has a stable <c>type</c> URI built from its code, so clients branch on the
/// type, never on the message. The status says what kind of failure it is.
/// </summary>
public static class Problems
{
    public const string TypeBase = "https://astratrade.dev/problems/";

    private static readonly FrozenDictionary<string, int> StatusByCode = new Dictionary<string, int>
    {
        ["malformed-request"] = StatusCodes.Status400BadRequest,
        ["validation-failed"] = StatusCodes.Status400BadRequest,
        ["invalid-username"] = StatusCodes.Status400BadRequest,
        ["weak-password"] = StatusCodes.Status400BadRequest,
        ["invalid-cursor"] = StatusCodes.Status400BadRequest,
        ["idempotency-key-required"] = StatusCodes.Status400BadRequest,
        ["unauthorized"] = StatusCodes.Status401Unauthorized,
        ["invalid-credentials"] = StatusCodes.Status401Unauthorized,
        ["invalid-refresh-token"] = StatusCodes.Status401Unauthorized,
        ["forbidden"] = StatusCodes.Status403Forbidden,
        ["not-authorized"] = StatusCodes.Status403Forbidden,
        ["not-entered"] = StatusCodes.Status403Forbidden,
        ["invalid-account"] = StatusCodes.Status400BadRequest,
        ["tournament-not-found"] = StatusCodes.Status404NotFound,
        ["tournament-already-exists"] = StatusCodes.Status409Conflict,
        ["already-joined"] = StatusCodes.Status409Conflict,
        ["tournament-full"] = StatusCodes.Status409Conflict,
        ["account-suspended"] = StatusCodes.Status403Forbidden,
        ["not-found"] = StatusCodes.Status404NotFound,
        ["position-not-found"] = StatusCodes.Status404NotFound,
        ["user-not-found"] = StatusCodes.Status404NotFound,
        ["unknown-leaderboard"] = StatusCodes.Status404NotFound,
        ["username-taken"] = StatusCodes.Status409Conflict,
        ["idempotency-key-reused"] = StatusCodes.Status409Conflict,
        ["position-already-closed"] = StatusCodes.Status409Conflict,
        ["already-checked-in"] = StatusCodes.Status409Conflict,
        ["conflict-retry"] = StatusCodes.Status409Conflict,
        ["method-not-allowed"] = StatusCodes.Status405MethodNotAllowed,
        ["payload-too-large"] = StatusCodes.Status413PayloadTooLarge,
        ["unsupported-media-type"] = StatusCodes.Status415UnsupportedMediaType,
        ["rate-limited"] = StatusCodes.Status429TooManyRequests,
        ["not-implemented"] = StatusCodes.Status501NotImplemented,
        ["stale-price"] = StatusCodes.Status503ServiceUnavailable,
        ["internal-error"] = StatusCodes.Status500InternalServerError,
        ["order-not-found"] = StatusCodes.Status404NotFound,
        ["order-not-cancellable"] = StatusCodes.Status409Conflict,
        ["invalid-workflow-input"] = StatusCodes.Status400BadRequest,
        ["unknown-workflow"] = StatusCodes.Status404NotFound,
        ["workflow-not-found"] = StatusCodes.Status404NotFound,
        ["workflow-already-exists"] = StatusCodes.Status409Conflict,
        ["workflow-not-finished"] = StatusCodes.Status409Conflict,
        ["workflow-finished"] = StatusCodes.Status410Gone,
        ["invalid-starknet-address"] = StatusCodes.Status400BadRequest,
        ["malformed-signature"] = StatusCodes.Status400BadRequest,
        ["challenge-not-found"] = StatusCodes.Status401Unauthorized,
        ["challenge-expired"] = StatusCodes.Status401Unauthorized,
        ["challenge-used"] = StatusCodes.Status401Unauthorized,
        ["challenge-address-mismatch"] = StatusCodes.Status401Unauthorized,
        ["invalid-signature"] = StatusCodes.Status401Unauthorized,
        ["starknet-verification-unavailable"] = StatusCodes.Status503ServiceUnavailable,
        ["wallet-linked-elsewhere"] = StatusCodes.Status409Conflict,
        ["live-trading-not-configured"] = StatusCodes.Status501NotImplemented,
        ["identity-verification-required"] = StatusCodes.Status403Forbidden,
        ["exchange-account-not-linked"] = StatusCodes.Status403Forbidden,
        ["exchange-credentials-invalid"] = StatusCodes.Status400BadRequest,
        ["exchange-key-mismatch"] = StatusCodes.Status400BadRequest,
        ["exchange-account-inactive"] = StatusCodes.Status422UnprocessableEntity,
        ["live-account-busy"] = StatusCodes.Status409Conflict,
        ["live-market-busy"] = StatusCodes.Status409Conflict,
        ["exchange-close-pending"] = StatusCodes.Status409Conflict,
        ["exchange-unavailable"] = StatusCodes.Status503ServiceUnavailable,
    }.ToFrozenDictionary();

    /// <summary>Rule violations not listed above are 422: the request was understood and refused.</summary>
    public static int StatusOf(string code) => StatusByCode.GetValueOrDefault(code, StatusCodes.Status422UnprocessableEntity);

    public static IResult For(DomainError error, IDictionary<string, object?>? extensions = null) =>
        For(error, StatusOf(error.Code), extensions);

    public static IResult For(DomainError error, int status, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(
            detail: error.Message,
            statusCode: status,
            title: Title(error.Code),
            type: TypeBase + error.Code,
            extensions: extensions);

    public static IResult For(string code, string detail, IDictionary<string, object?>? extensions = null) =>
        For(new DomainError(code, detail), extensions);

    public static IResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            detail: "One or more fields are invalid; see errors.",
            title: Title("validation-failed"),
            type: TypeBase + "validation-failed");

    public static IResult NotImplemented(string what) =>
        For("not-implemented", $"{what} is not built yet; see the README's list of what is not implemented.");

    /// <summary>Framework-made problems (unmatched route, wrong method) get our type URIs too, and every problem a trace id.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
        if (problem.Type?.StartsWith(TypeBase, StringComparison.Ordinal) == true)
        {
            return;
        }

        var (code, detail) = problem.Status switch
        {
            StatusCodes.Status400BadRequest => ("malformed-request", "The request is malformed."),
            StatusCodes.Status404NotFound => ("not-found", "There is no such resource; the API lives under /api/v1."),
            StatusCodes.Status405MethodNotAllowed => ("method-not-allowed", "This resource does not accept that method."),
            StatusCodes.Status413PayloadTooLarge => ("payload-too-large", "The request body is too large (64 KiB at most)."),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported-media-type", "Send the body as application/json."),
            _ => (null, null),
        };
        if (code is not null)
        {
            problem.Type = TypeBase + code;
            problem.Title = Title(code);
            problem.Detail ??= detail;
        }
    }

    private static string Title(string code) => char.ToUpperInvariant(code[0]) + code[1..].Replace('-', ' ');
}

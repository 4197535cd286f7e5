using System.Security.Claims;
using System.Text.Encodings.Web;
using AstraTrade.Application.Users;
using AstraTrade.Domain.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AstraTrade.Functions.Http;

/// <summary>
/// Authenticates "Authorization: Bearer &lt;access token&gt;" with <see cref="AccessTokens"/> (the JwtBearer package does
/// not restore here). Challenges and refusals answer with problem details, like every other error.
/// </summary>
public sealed class BearerAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccessTokens tokens, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (tokens.Validate(header["Bearer ".Length..].Trim()) is not { } identity)
        {
            return Task.FromResult(AuthenticateResult.Fail("invalid_token"));
        }

        Claim[] claims =
        [
            new(ClaimTypes.NameIdentifier, identity.UserId.ToString()),
            new(ClaimTypes.Name, identity.Username),
            new(ClaimTypes.Role, identity.Role == UserRole.Admin ? "admin" : "user"),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await Write("unauthorized", result.Failure is null
            ? "Send an access token: Authorization: Bearer <token> (POST /api/v1/auth/login gives one)."
            : "The access token is invalid or expired; refresh it or sign in again.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Write("forbidden", "You are not allowed to do this.");
    }

    private async Task Write(string code, string detail) =>
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Type = Problems.TypeBase + code,
                Title = char.ToUpperInvariant(code[0]) + code[1..],
                Status = Response.StatusCode,
                Detail = detail,
            },
        });
}

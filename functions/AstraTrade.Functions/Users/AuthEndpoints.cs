using System.Security.Claims;
using AstraTrade.Application.Users;
using AstraTrade.Contracts.Http;
using AstraTrade.Functions.Http;

namespace AstraTrade.Functions.Users;

public static class AuthEndpoints
{
    public static void MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth").RequireRateLimiting(RateLimiting.Auth);

        auth.MapPost("/register", async (RegisterRequest body, AuthService service, CancellationToken ct) =>
                (await service.RegisterAsync(body.Username, body.Password, ct)).ToHttp(tokens => TypedResults.Created("/api/v1/me", tokens)))
            .WithSummary("Create an account and sign in")
            .Produces<TokenResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        auth.MapPost("/login", async (LoginRequest body, AuthService service, CancellationToken ct) =>
                (await service.LoginAsync(body.Username, body.Password, ct)).ToHttp())
            .WithSummary("Sign in with username and password")
            .Produces<TokenResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        auth.MapPost("/refresh", async (RefreshRequest body, AuthService service, CancellationToken ct) =>
                (await service.RefreshAsync(body.RefreshToken, ct)).ToHttp())
            .WithSummary("Exchange a refresh token for new tokens (the old refresh token stops working)")
            .Produces<TokenResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        auth.MapPost("/logout", async (LogoutRequest body, AuthService service, CancellationToken ct) =>
            {
                await service.LogoutAsync(body.RefreshToken, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Revoke the sign-in a refresh token belongs to")
            .Produces(StatusCodes.Status204NoContent);

        api.MapGet("/me", async (ClaimsPrincipal user, AuthService service, CancellationToken ct) =>
                (await service.GetMeAsync(user.UserId(), ct)).ToHttp())
            .WithTags("Auth")
            .WithSummary("The signed-in user")
            .RequireAuthorization()
            .Produces<MeResponse>();
    }
}

using System.Security.Claims;
using AstraTrade.Application.Gamification;
using AstraTrade.Application.Leaderboards;
using AstraTrade.Contracts.Http;
using AstraTrade.Functions.Http;

namespace AstraTrade.Functions.Gamification;

public static class GamificationEndpoints
{
    public static void MapGamificationEndpoints(this RouteGroupBuilder api)
    {
        var progression = api.MapGroup("/").WithTags("Progression").RequireAuthorization();

        progression.MapGet("/progression", async (ClaimsPrincipal user, ProgressionService service, CancellationToken ct) =>
                TypedResults.Ok(await service.GetAsync(user.UserId(), ct)))
            .WithSummary("XP, level, streak, achievements and the leverage the level unlocks")
            .Produces<ProgressionResponse>();

        progression.MapPost("/check-in", async (ClaimsPrincipal user, ProgressionService service, CancellationToken ct) =>
                (await service.CheckInAsync(user.UserId(), ct)).ToHttp())
            .WithSummary("The daily check-in (once per UTC day)")
            .Produces<CheckInResponse>()
            .ProducesProblem(StatusCodes.Status409Conflict);

        var boards = api.MapGroup("/leaderboards").WithTags("Leaderboards").RequireAuthorization();

        boards.MapGet("/{board}", (string board, int? top, LeaderboardProjection leaderboards) =>
                top is < 1 or > LeaderboardProjection.MaxTop
                    ? Problems.Validation(new Dictionary<string, string[]> { ["top"] = [$"Must be from 1 to {LeaderboardProjection.MaxTop}."] })
                    : leaderboards.Top(board, top ?? 10).ToHttp())
            .WithSummary("The top N (default 10, at most 100) of xp-all-time or xp-weekly")
            .Produces<LeaderboardResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        boards.MapGet("/{board}/me", (ClaimsPrincipal user, string board, int? around, LeaderboardProjection leaderboards) =>
                around is < 0 or > LeaderboardProjection.MaxAround
                    ? Problems.Validation(new Dictionary<string, string[]> { ["around"] = [$"Must be from 0 to {LeaderboardProjection.MaxAround}."] })
                    : leaderboards.Around(board, user.UserId(), around ?? 5).ToHttp())
            .WithSummary("The caller's rank with k neighbours on each side (default 5, at most 50)")
            .Produces<LeaderboardAroundResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}

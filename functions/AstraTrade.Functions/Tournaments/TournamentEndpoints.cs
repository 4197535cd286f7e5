using System.Security.Claims;
using AstraTrade.Application.Tournaments;
using AstraTrade.Application.Trading;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Functions.Http;
using AstraTrade.Functions.Live;

namespace AstraTrade.Functions.Tournaments;

public static class TournamentEndpoints
{
    public static void MapTournamentEndpoints(this RouteGroupBuilder api)
    {
        var tournaments = api.MapGroup("/tournaments").WithTags("Tournaments").RequireAuthorization();

        tournaments.MapGet("/", (string? status, string? cursor, int? limit, TournamentDirectory directory) =>
            {
                var errors = new Dictionary<string, string[]>();
                TournamentStatus? parsed = null;
                if (status is not null)
                {
                    if (TournamentViews.TryParseStatus(status, out var s))
                    {
                        parsed = s;
                    }
                    else
                    {
                        errors["status"] = ["Use scheduled, registration, live, finalizing, completed or cancelled."];
                    }
                }

                if (limit is < 1 or > TournamentDirectory.MaxPageSize)
                {
                    errors["limit"] = [$"Must be from 1 to {TournamentDirectory.MaxPageSize}."];
                }

                return errors.Count > 0 ? Problems.Validation(errors) : directory.List(parsed, cursor, limit ?? 20).ToHttp();
            })
            .WithSummary("Tournaments, soonest start first, optionally by status now; paged by cursor (limit 1–100, default 20)")
            .Produces<TournamentsPage>()
            .ProducesValidationProblem();

        tournaments.MapGet("/{id}", async (string id, TournamentService service, CancellationToken ct) =>
                (await service.GetAsync(id, ct)).ToHttp())
            .WithSummary("One tournament: its terms, status now, entries and prize pool")
            .Produces<TournamentResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        tournaments.MapPost("/{id}/join", async (ClaimsPrincipal user, string id, TournamentService service, CancellationToken ct) =>
                (await service.JoinAsync(user.UserId(), id, ct)).ToHttp(entry => TypedResults.Created((string?)null, entry)))
            .WithSummary("Enter the tournament (its entry fee, if any, is taken from your Stellar Shards); one entry per user")
            .Produces<TournamentEntryResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        tournaments.MapGet("/{id}/account", async (ClaimsPrincipal user, string id, TradingService trading, CancellationToken ct) =>
                (await trading.GetAccountAsync(user.UserId(), AccountSelector.ForTournament(id), ct)).ToHttp())
            .WithSummary("Your entry's tournament account (trade it with ?account=tournament:{id} on the trading API)")
            .Produces<PracticeAccountResponse>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        tournaments.MapGet("/{id}/standings", (string id, int? top, TournamentStandings standings) =>
                top is < 1 or > TournamentStandings.MaxTop
                    ? Problems.Validation(new Dictionary<string, string[]> { ["top"] = [$"Must be from 1 to {TournamentStandings.MaxTop}."] })
                    : standings.Top(id, top ?? 10).ToHttp())
            .WithSummary("The top N standings (default 10, at most 100): qualified entries ranked by return, then the rest")
            .Produces<StandingsResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        tournaments.MapGet("/{id}/standings/me", (ClaimsPrincipal user, string id, int? around, TournamentStandings standings) =>
                around is < 0 or > TournamentStandings.MaxAround
                    ? Problems.Validation(new Dictionary<string, string[]> { ["around"] = [$"Must be from 0 to {TournamentStandings.MaxAround}."] })
                    : standings.Around(id, user.UserId(), around ?? 5).ToHttp())
            .WithSummary("Your line with k neighbours on each side (default 5, at most 50)")
            .Produces<StandingsAroundResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        tournaments.MapGet("/{id}/stream", async (string id, TournamentService service, TournamentStandings standings, TimeProvider time, CancellationToken ct) =>
                (await service.GetAsync(id, ct)) is { IsSuccess: false } missing
                    ? Problems.For(missing.Error!)
                    : TypedResults.ServerSentEvents(LiveEndpoints.StreamAsync(standings.Subscribe(id, time.GetUtcNow()), time, ct)))
            .WithSummary("Server-sent events of the tournament's standings: standing, final (see docs/live-updates.md)")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);

        tournaments.MapPost("/", async (ClaimsPrincipal user, CreateTournamentRequest body, TournamentService service, CancellationToken ct) =>
            {
                if (!user.IsAdmin())
                {
                    return Forbidden("create tournaments");
                }

                if (!TournamentViews.TryParseKind(body.Kind ?? "", out var kind))
                {
                    return Problems.Validation(new Dictionary<string, string[]> { ["kind"] = ["Use daily, weekly or custom."] });
                }

                var command = new CreateTournament(
                    body.Id ?? "", kind, body.Name ?? "", body.StartsAt, body.EndsAt, body.EntryFee, body.SponsorAmount, body.MaxEntries, user.Actor(), default);
                return (await service.CreateAsync(user.Actor(), command, ct)).ToHttp(t => TypedResults.Created($"/api/v1/tournaments/{t.Id}", t));
            })
            .WithSummary("Admin: create a tournament (custom ones with ids custom-…, or a daily/weekly window ahead of the scheduler)")
            .Produces<TournamentResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        tournaments.MapPost("/{id}/cancel", async (ClaimsPrincipal user, string id, CancelTournamentRequest body, TournamentService service, CancellationToken ct) =>
                !user.IsAdmin()
                    ? Forbidden("cancel tournaments")
                    : (await service.CancelAsync(user.Actor(), id, body.Reason ?? "", ct)).ToHttp())
            .WithSummary("Admin: cancel a tournament before it ends; every entry fee is refunded")
            .Produces<TournamentResponse>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static IResult Forbidden(string what) => Problems.For("forbidden", $"Only an admin may {what}.");
}

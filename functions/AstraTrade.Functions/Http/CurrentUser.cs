using System.Security.Claims;

namespace AstraTrade.Functions.Http;

public static class CurrentUser
{
    public const string AdminRole = "admin";

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);

    /// <summary>The caller as the tournament decider knows actors: the role comes from the token, like the id.</summary>
    public static Domain.Tournaments.Actor Actor(this ClaimsPrincipal user) =>
        new(user.UserId().ToString(), user.IsAdmin() ? Domain.Tournaments.ActorRole.Admin : Domain.Tournaments.ActorRole.User);

    /// <summary>The caller's id, from the validated bearer token only (never from the path or body).</summary>
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Endpoint requires authorization."));
}

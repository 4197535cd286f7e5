using System.Security.Claims;

namespace AstraTrade.Functions.Http;

public static class CurrentUser
{
    /// <summary>The caller's id, from the validated bearer token only (never from the path or body).</summary>
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Endpoint requires authorization."));
}

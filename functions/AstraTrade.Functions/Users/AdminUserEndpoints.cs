using System.Security.Claims;
using AstraTrade.Application.Users;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Users;
using AstraTrade.Functions.Http;
using Microsoft.AspNetCore.Authorization;

namespace AstraTrade.Functions.Users;

/// <summary>
/// Admin: look a user up, suspend and reactivate them, and record the outcome of a verification (there is no KYC
/// provider: an admin records what they checked, and the event keeps which admin it was).
/// </summary>
public static class AdminUserEndpoints
{
    public static void MapAdminUserEndpoints(this RouteGroupBuilder api)
    {
        // The admin role is checked for the whole group, from the token, before the request is read: a non-admin learns
        // neither whether a user exists nor what a valid body looks like, and no route here can forget the check.
        var users = api.MapGroup("/admin/users")
            .WithTags("Admin")
            .RequireAuthorization(new AuthorizeAttribute { Roles = CurrentUser.AdminRole });

        users.MapGet("/{userId:guid}", async (Guid userId, UserAdministration administration, CancellationToken ct) =>
                (await administration.GetAsync(userId, ct)).ToHttp())
            .WithSummary("Admin: a user's username, role, status, verification tier and registration time")
            .Produces<AdminUserView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPost("/{userId:guid}/suspend", async (Guid userId, SuspendUserRequest body, UserAdministration administration, CancellationToken ct) =>
                SuspensionReason.Validate(body.Reason) is { } invalid
                    ? Problems.Validation(new Dictionary<string, string[]> { ["reason"] = [invalid.Message] })
                    : (await administration.SuspendAsync(userId, body.Reason, ct)).ToHttp())
            .WithSummary($"Admin: suspend a user (they can no longer trade or join tournaments); the reason is required, at most {SuspensionReason.MaxLength} characters. Suspending a suspended user changes nothing")
            .Produces<AdminUserView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPost("/{userId:guid}/reactivate", async (Guid userId, UserAdministration administration, CancellationToken ct) =>
                (await administration.ReactivateAsync(userId, ct)).ToHttp())
            .WithSummary("Admin: lift a user's suspension; an active user is left as they are")
            .Produces<AdminUserView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPut("/{userId:guid}/verification", async (
                ClaimsPrincipal admin, Guid userId, SetVerificationTierRequest body, UserAdministration administration, CancellationToken ct) =>
                !VerificationTierNames.TryParse(body.Tier, out var tier)
                    ? Problems.Validation(new Dictionary<string, string[]> { ["tier"] = [$"Use {string.Join(", ", VerificationTierNames.All)}."] })
                    : (await administration.SetVerificationTierAsync(userId, tier, admin.UserId().ToString(), ct)).ToHttp())
            .WithSummary("Admin: record a user's verification tier (unverified, email or identity; live trading needs identity). Any change is allowed, down as well as up, and recorded with the admin who made it")
            .Produces<AdminUserView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}

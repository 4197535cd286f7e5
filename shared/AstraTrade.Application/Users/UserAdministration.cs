using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Users;

/// <summary>
/// What an admin does to a user (DOMAIN.md §4): look them up, suspend and reactivate them, record the outcome of an
/// identity check (there is no KYC provider; an admin vouches, and the event says which one). The caller checks that the
/// actor is an admin.
/// Every read and every decision is made on the user's stream as it is in the store, not on this instance's memory: the
/// repository catches its cached state up with the stream's tail on each load, and an append made on a state another
/// instance has moved on from fails and is decided again. So a suspension or a revoked tier counts on every instance at
/// once, which matters because the tier gates live trading.
/// </summary>
public sealed class UserAdministration(UserDirectory users, TimeProvider time)
{
    public async ValueTask<Result<AdminUserView>> GetAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(userId, cancellationToken);
        return user.IsRegistered ? AdminUserView.Of(user) : UserErrors.UserNotFound();
    }

    /// <summary>Suspends the user (they can no longer trade or join tournaments); already suspended is a no-op.</summary>
    public ValueTask<Result<AdminUserView>> SuspendAsync(Guid userId, string reason, CancellationToken cancellationToken) =>
        ExecuteAsync(userId, new SuspendUser(reason, time.GetUtcNow()), cancellationToken);

    /// <summary>Lifts a suspension; an active user is left as they are.</summary>
    public ValueTask<Result<AdminUserView>> ReactivateAsync(Guid userId, CancellationToken cancellationToken) =>
        ExecuteAsync(userId, new ReactivateUser(time.GetUtcNow()), cancellationToken);

    /// <param name="by">The admin recording the outcome (their user id), kept in the event.</param>
    public ValueTask<Result<AdminUserView>> SetVerificationTierAsync(
        Guid userId, VerificationTier tier, string by, CancellationToken cancellationToken) =>
        ExecuteAsync(userId, new SetVerificationTier(tier, by, time.GetUtcNow()), cancellationToken);

    private async ValueTask<Result<AdminUserView>> ExecuteAsync(Guid userId, UserCommand command, CancellationToken cancellationToken)
    {
        var result = await users.Repository.ExecuteAsync(StreamIds.User(userId), state => User.Decide(state, command), cancellationToken);
        return result.IsSuccess ? AdminUserView.Of(result.Value.State) : result.Error!;
    }
}

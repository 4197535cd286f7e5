using AstraTrade.Application.Eventing;
using AstraTrade.Application.Trading;
using AstraTrade.Application.Users;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Gamification;

/// <summary>The trader as trading sees them: leverage unlocked by their level, and whether they are suspended.</summary>
public sealed class TraderProfiles(UserDirectory users, ProgressionService progression) : ITraderProfiles
{
    public async ValueTask<Trader> GetAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(userId, cancellationToken);
        var (state, _) = await progression.Repository.LoadAsync(StreamIds.Progression(userId), cancellationToken);
        return new Trader(userId.ToString(), state.MaxLeverage, user.IsSuspended || !user.IsRegistered);
    }
}

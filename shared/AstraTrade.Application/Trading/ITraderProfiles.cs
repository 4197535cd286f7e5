using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>What trading needs to know about a user from other contexts: their level's leverage and their status.</summary>
public interface ITraderProfiles
{
    ValueTask<Trader> GetAsync(Guid userId, CancellationToken cancellationToken);
}

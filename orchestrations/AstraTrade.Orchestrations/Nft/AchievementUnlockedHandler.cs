using System.Text.Json;
using AstraTrade.Application.Integration;
using AstraTrade.Contracts.Events;
using AstraTrade.Orchestrations.Chain;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Orchestrations.Nft;

/// <summary>
/// The NFT context's reaction to an unlocked achievement (integration event <see cref="AchievementUnlockedV1"/>): every
/// achievement is recorded on the achievements contract, and the Genesis ones get a mint request. Both start workflows
/// by ids derived from the user and achievement, so a redelivery (at least once) starts nothing twice. A failure throws,
/// which asks the relay to deliver again. A payload that cannot be read is logged and dropped: delivering it again
/// would never make it readable.
/// </summary>
public sealed class AchievementUnlockedHandler(OnChainAchievements achievements, GenesisMintQueue mints, ILogger<AchievementUnlockedHandler> logger)
    : IIntegrationEventHandler
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IReadOnlyCollection<string> EventTypes { get; } = [IntegrationEventTypes.AchievementUnlocked];

    public async ValueTask HandleAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        if (integrationEvent.Type != IntegrationEventTypes.AchievementUnlocked)
        {
            return;
        }

        if (Read(integrationEvent) is not { } unlocked)
        {
            logger.LogWarning("Dropped integration event {Id}: not a readable {Type} payload", integrationEvent.Id, integrationEvent.Type);
            return;
        }

        await achievements.RecordAsync(unlocked.UserId, unlocked.AchievementId, cancellationToken);
        await mints.QueueAsync(unlocked.UserId, unlocked.AchievementId, unlocked.UnlockedAt, cancellationToken);
    }

    private static AchievementUnlockedV1? Read(IntegrationEvent integrationEvent)
    {
        try
        {
            var unlocked = integrationEvent.Data.Deserialize<AchievementUnlockedV1>(Json);
            return unlocked is { UserId: var user, AchievementId: { Length: > 0 and <= 31 } id } && user != Guid.Empty && id.All(char.IsAscii)
                ? unlocked
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using AstraTrade.Application.Nft;
using AstraTrade.Domain.Nft;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Nft;

/// <summary>
/// Where Genesis mints are queued and woken. <see cref="QueueAsync"/>, when the achievement unlocks: the request (at most
/// one per user and achievement, by the decider) and then its workflow instance (at most one, by its id); both idempotent,
/// and in that order, so a crash between them is mended by the unlock's redelivery and an instance never exists without
/// its request. <see cref="WalletLinkedAsync"/>, when the user proves a wallet: the recipient, and a look again for the
/// mints that wait for one.
/// </summary>
public sealed class GenesisMintQueue(GenesisMints mints, MintRecipients recipients, WorkflowClient workflows)
{
    /// <summary>False for an achievement without a Genesis NFT (nothing to do).</summary>
    public async ValueTask<bool> QueueAsync(Guid userId, string achievementId, DateTimeOffset unlockedAt, CancellationToken cancellationToken)
    {
        if (GenesisCollection.Find(achievementId) is null)
        {
            return false;
        }

        var requested = await mints.RequestAsync(userId, achievementId, unlockedAt, cancellationToken);
        if (!requested.IsSuccess)
        {
            throw new InvalidOperationException($"Requesting the Genesis mint of {achievementId} for {userId:N} failed: {requested.Error}");
        }

        var started = await workflows.StartNewAsync(
            GenesisMintWorkflow.WorkflowName,
            new GenesisMintInput(userId, achievementId),
            new StartOptions(GenesisMintWorkflow.InstanceId(userId, achievementId), userId.ToString()),
            cancellationToken);
        return started.Outcome is StartOutcome.Started or StartOutcome.AlreadyExists
            ? true
            : throw new InvalidOperationException($"Starting the Genesis mint of {achievementId} for {userId:N} failed: {started.Outcome} {started.Error}");
    }

    /// <summary>The user proved control of a Starknet wallet (signed in with it, or linked it): it becomes the recipient
    /// of their Genesis NFTs unless one was linked before, and their mints waiting for a wallet look again now.
    /// Call only after the wallet's signature was verified.</summary>
    public async ValueTask WalletLinkedAsync(Guid userId, string address, CancellationToken cancellationToken)
    {
        await recipients.RememberAsync(userId, address, cancellationToken);
        foreach (var kind in GenesisCollection.Kinds)
        {
            // An instance that does not exist (achievement not unlocked) or has finished needs nothing.
            await workflows.RaiseEventAsync(GenesisMintWorkflow.InstanceId(userId, kind.AchievementId), GenesisMintWorkflow.Recheck, "wallet-linked", cancellationToken);
        }
    }
}

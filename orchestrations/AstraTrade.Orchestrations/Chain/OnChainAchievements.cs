using AstraTrade.Application.Nft.Chain;
using AstraTrade.Contracts.Starknet;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Chain;

/// <summary>
/// Records unlocked achievements on the AstraTrade achievements contract: one chain write per user and achievement,
/// id <c>chain-achievement-{userId:N}-{achievement}</c>, so a repeated unlock (the event delivered again) starts
/// nothing new; and the contract's <c>is_recorded</c> is asked before signing and after a revert, so a pair recorded
/// already is not written again. The record names the user id, not a wallet (docs/nft.md, "Whom the record names").
/// </summary>
public sealed class OnChainAchievements(WorkflowClient workflows)
{
    public static string InstanceId(Guid userId, string achievementId) => $"chain-achievement-{userId:N}-{achievementId}";

    /// <exception cref="ArgumentException">The achievement id is not a Cairo short string.</exception>
    public async ValueTask RecordAsync(Guid userId, string achievementId, CancellationToken cancellationToken)
    {
        var calldata = AchievementsContract.Calldata(userId, achievementId);
        var input = new ChainWriteInput(
            [new ChainCall(ChainContracts.Achievements, AchievementsContract.RecordAchievement, calldata)],
            DoneWhen: new ChainCall(ChainContracts.Achievements, AchievementsContract.IsRecorded, calldata));
        var started = await workflows.StartNewAsync(
            ChainWriteWorkflow.WorkflowName, input, new StartOptions(InstanceId(userId, achievementId), userId.ToString()), cancellationToken);
        if (started.Outcome is not (StartOutcome.Started or StartOutcome.AlreadyExists))
        {
            throw new InvalidOperationException($"Recording {achievementId} of {userId:N} on chain failed to start: {started.Outcome} {started.Error}");
        }
    }
}

using System.Globalization;
using System.Numerics;
using AstraTrade.Application.Nft;
using AstraTrade.Application.Nft.Chain;
using AstraTrade.Contracts.Starknet;
using AstraTrade.Domain.Nft;
using AstraTrade.Orchestrations.Chain;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Nft;

/// <summary>
/// The Genesis mint's steps that touch the world: the request stream (through <see cref="GenesisMints"/>, whose decider
/// accepts a repeat of each step with no new event, so an attempt that runs twice is harmless), the user's recipient
/// wallet, the operator's configuration, and the chain write each attempt starts (one instance id per attempt: a repeat
/// finds it started).
/// </summary>
public sealed class GenesisMintActivities(GenesisMints mints, MintRecipients recipients, IOperatorAccount account, Func<WorkflowClient> workflows)
{
    // Never rename: the names are stored with every call.
    public static readonly Activity<GenesisMintInput, MintReadiness> Prepare = new("nft.mint-prepare", GenesisMintJson.Default.Options);
    public static readonly Activity<StartAttemptInput, bool> StartAttempt = new("nft.mint-start-attempt", GenesisMintJson.Default.Options);
    public static readonly Activity<RecordSentInput, bool> RecordSent = new("nft.mint-record-sent", GenesisMintJson.Default.Options);
    public static readonly Activity<RecordOutcomeInput, MintProgress> RecordOutcome = new("nft.mint-record-outcome", GenesisMintJson.Default.Options);

    /// <summary>Whether an attempt can start; when it cannot, the request is put on hold with the reason.</summary>
    public async ValueTask<MintReadiness> PrepareAsync(GenesisMintInput input, ActivityContext context)
    {
        var ct = context.CancellationToken;
        var request = await mints.GetAsync(input.UserId, input.AchievementId, ct);
        switch (request.Status)
        {
            case GenesisMintStatus.None:
                return new MintReadiness(MintReadinessKind.Missing, "");
            case GenesisMintStatus.Minted or GenesisMintStatus.Failed:
                return new MintReadiness(MintReadinessKind.Finished, request.TokenId, request.Attempts, Status: Status(request), TransactionHash: request.TransactionHash);
            case GenesisMintStatus.Submitted:
                // Under way (this instance restarted its step): go on with the attempt as recorded.
                return new MintReadiness(MintReadinessKind.Ready, request.TokenId, request.Attempts, request.Recipient);
        }

        if (account.Unavailable([ChainContracts.Genesis]) is { } why)
        {
            return await HoldAsync(input, request, GenesisMintReasons.StarknetNotConfigured, $"Minting waits for Starknet configuration: {why}", ct);
        }

        var recipient = await recipients.FindAsync(input.UserId, ct);
        return recipient is null
            ? await HoldAsync(input, request, GenesisMintReasons.AwaitingWallet, "Minting waits for a linked Starknet wallet (POST /api/v1/auth/starknet/link).", ct)
            : new MintReadiness(MintReadinessKind.Ready, request.TokenId, request.Attempts + 1, recipient);
    }

    /// <summary>Records the attempt, then starts its chain write; false when the request no longer allows it.</summary>
    public async ValueTask<bool> StartAttemptAsync(StartAttemptInput input, ActivityContext context)
    {
        var ct = context.CancellationToken;
        var (userId, achievementId) = (input.Mint.UserId, input.Mint.AchievementId);
        var started = await mints.StartAttemptAsync(userId, achievementId, input.Attempt, input.Recipient, ct);
        if (!started.IsSuccess)
        {
            return false;
        }

        var request = started.Value;
        var tokenId = BigInteger.Parse(request.TokenId, CultureInfo.InvariantCulture);
        var write = new ChainWriteInput(
            [new ChainCall(ChainContracts.Genesis, GenesisContract.Mint, GenesisContract.MintCalldata(request.Recipient!, tokenId, achievementId))],
            DoneWhen: new ChainCall(ChainContracts.Genesis, GenesisContract.OwnerOf, GenesisContract.TokenIdCalldata(tokenId)),
            Notify: new ChainWriteNotify(context.InstanceId, GenesisMintWorkflow.ChainFinished.Name, GenesisMintWorkflow.ChainSent.Name));
        var chainWrite = await workflows().StartNewAsync(
            ChainWriteWorkflow.WorkflowName,
            write,
            new StartOptions(GenesisMintWorkflow.ChainWriteId(userId, achievementId, input.Attempt), userId.ToString()),
            ct);
        return chainWrite.Outcome is StartOutcome.Started or StartOutcome.AlreadyExists
            ? true
            : throw new InvalidOperationException($"Starting the chain write of {achievementId} for {userId:N} failed: {chainWrite.Outcome} {chainWrite.Error}");
    }

    public async ValueTask<bool> RecordSentAsync(RecordSentInput input, ActivityContext context) =>
        (await mints.RecordTransactionAsync(input.Mint.UserId, input.Mint.AchievementId, input.Attempt, input.TransactionHash, context.CancellationToken)).IsSuccess;

    /// <summary>Minted (accepted, or the token found minted already), or a failed attempt; answers where the request stands.</summary>
    public async ValueTask<MintProgress> RecordOutcomeAsync(RecordOutcomeInput input, ActivityContext context)
    {
        var ct = context.CancellationToken;
        var (userId, achievementId, outcome) = (input.Mint.UserId, input.Mint.AchievementId, input.Outcome);
        var recorded = outcome.Result is ChainWriteResult.Accepted or ChainWriteResult.AlreadyDone
            ? await mints.RecordMintedAsync(userId, achievementId, input.Attempt, outcome.TransactionHash, outcome.BlockNumber, ct)
            : await mints.RecordFailureAsync(userId, achievementId, input.Attempt, Describe(outcome), ct);
        var request = recorded.IsSuccess ? recorded.Value : await mints.GetAsync(userId, achievementId, ct);
        return new MintProgress(Status(request), request.Attempts, request.TokenId, request.TransactionHash);
    }

    private static string Status(GenesisMintState request) => request.Status.ToString().ToLowerInvariant();

    private static string Describe(ChainWriteOutcome outcome) => outcome.Result switch
    {
        ChainWriteResult.Reverted => $"The mint transaction {outcome.TransactionHash} reverted: {outcome.Reason}",
        _ => $"The mint never got on chain: {outcome.Reason}",
    };

    private async ValueTask<MintReadiness> HoldAsync(GenesisMintInput input, GenesisMintState request, string reason, string detail, CancellationToken ct)
    {
        var held = await mints.HoldAsync(input.UserId, input.AchievementId, reason, detail, ct);
        return held.IsSuccess
            ? new MintReadiness(MintReadinessKind.Waiting, request.TokenId, request.Attempts, Reason: reason)
            : throw new InvalidOperationException($"Holding the mint of {input.AchievementId} for {input.UserId:N} failed: {held.Error}");
    }
}

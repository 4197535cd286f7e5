using System.Text.Json;
using AstraTrade.Application.Nft.Chain;
using AstraTrade.Orchestrations.Nft;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Chain;

/// <summary>
/// When the app starts with Starknet configured, wakes the chain writes and Genesis mints that wait (for configuration,
/// or a mint for a wallet, which costs one look), instead of leaving them to their long recheck timers. Only instances
/// whose custom status says they wait are told.
/// </summary>
public sealed class ChainRecheck(WorkflowClient workflows, IOperatorAccount account)
{
    /// <summary>How many instances were woken; none when there is still no node or operator account.</summary>
    public async ValueTask<int> WakeWaitingAsync(CancellationToken cancellationToken)
    {
        if (account.Unavailable([]) is not null)
        {
            return 0;
        }

        return await RaiseAsync(ChainWriteWorkflow.WorkflowName, ChainWriteWorkflow.Recheck.Name, cancellationToken)
            + await RaiseAsync(GenesisMintWorkflow.WorkflowName, GenesisMintWorkflow.Recheck.Name, cancellationToken);
    }

    private async ValueTask<int> RaiseAsync(string workflow, string eventName, CancellationToken cancellationToken)
    {
        var woken = 0;
        string? token = null;
        do
        {
            var page = await workflows.ListAsync(
                new WorkflowQuery([WorkflowRuntimeStatus.Running], Name: workflow, PageSize: 500, ContinuationToken: token), cancellationToken);
            foreach (var instance in page.Instances)
            {
                var status = await workflows.GetStatusAsync(instance.InstanceId, cancellationToken: cancellationToken);
                if (IsWaiting(status?.CustomStatus))
                {
                    await workflows.RaiseEventAsync(instance.InstanceId, eventName, "\"app-started\""u8.ToArray(), cancellationToken);
                    woken++;
                }
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        return woken;
    }

    /// <summary>Both workflows show <c>waiting</c> while they wait on a timer for something outside them.</summary>
    private static bool IsWaiting(JsonElement? customStatus) =>
        customStatus is { ValueKind: JsonValueKind.Object } status
        && status.TryGetProperty("waiting", out var waiting) && waiting.ValueKind == JsonValueKind.String
        && status.TryGetProperty("step", out var step) && step.GetString() is "checking" or "preparing" or "verifying";
}

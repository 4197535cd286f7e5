using AstraTrade.Orchestrations.Nft;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Chain;

public static class ChainWriteRegistration
{
    /// <summary>The chain-write workflow and its activities, and the workflows built on it (Genesis mints).</summary>
    public static WorkflowRegistry AddChainWrites(this WorkflowRegistry registry, ChainWorkflows workflows)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(workflows);
        var chain = workflows.Chain;
        var mints = workflows.Mints;
        return registry
            .AddWorkflow(new ChainWriteWorkflow(workflows.Timings))
            .AddActivity(ChainWriteActivities.CheckDone, chain.CheckDoneAsync)
            .AddActivity(ChainWriteActivities.Prepare, chain.PrepareAsync)
            .AddActivity(ChainWriteActivities.Submit, chain.SubmitAsync)
            .AddActivity(ChainWriteActivities.Check, chain.CheckAsync)
            .AddActivity(ChainWriteActivities.Notify, chain.NotifyAsync)
            .AddWorkflow(new GenesisMintWorkflow(workflows.MintTimings))
            .AddActivity(GenesisMintActivities.Prepare, mints.PrepareAsync)
            .AddActivity(GenesisMintActivities.StartAttempt, mints.StartAttemptAsync)
            .AddActivity(GenesisMintActivities.RecordSent, mints.RecordSentAsync)
            .AddActivity(GenesisMintActivities.RecordOutcome, mints.RecordOutcomeAsync);
    }
}

/// <summary>What the chain workflows need, gathered so the function app registers them in one line.</summary>
public sealed record ChainWorkflows(ChainWriteActivities Chain, GenesisMintActivities Mints, ChainWriteTimings Timings, GenesisMintTimings MintTimings);

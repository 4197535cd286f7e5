namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>
/// Tests on the real clock (the queue contract, the runtime on Azurite) run in this collection, alone, after the
/// others: the rest of this project drives a manual clock and races its workers in places, and a node process plus
/// seconds of real-time polling beside them only adds noise in both directions on a 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealClockCollection
{
    public const string Name = "real clock";
}

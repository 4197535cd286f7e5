namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>A snapshot of the Cosmos DB store for /health.</summary>
/// <param name="Endpoint">The account endpoint (never the key).</param>
/// <param name="Reachable">The account answered.</param>
/// <param name="Containers">Each container the store uses and whether it exists.</param>
/// <param name="Error">Why the account or a container could not be read, if it could not.</param>
public sealed record CosmosStoreStatus(
    string Endpoint, string Database, bool Reachable, IReadOnlyList<CosmosContainerStatus> Containers, string? Error)
{
    /// <summary>Reachable with every container in place.</summary>
    public bool Healthy => Reachable && Error is null && Containers.All(c => c.Exists);
}

public sealed record CosmosContainerStatus(string Name, bool Exists);

using System.Text.Json;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// Reads the raw items of the events container, as a cosmosDBTrigger delivers them (an array of documents), into the
/// events they hold.
/// </summary>
public static class CosmosEventDocuments
{
    /// <summary>The events of one events-container item, oldest first; empty for anything that is not an append item.</summary>
    public static IReadOnlyList<RecordedEvent> ToRecordedEvents(JsonElement document) =>
        EventItem.TryDecode(document)?.Events ?? [];
}

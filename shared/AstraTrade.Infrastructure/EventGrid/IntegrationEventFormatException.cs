namespace AstraTrade.Infrastructure.EventGrid;

/// <summary>A received payload is not an integration event (or a batch of them) we can read; the message says why and
/// where. Retrying it cannot help: the sender should dead-letter it.</summary>
public sealed class IntegrationEventFormatException(string message, Exception? inner = null) : FormatException(message, inner);

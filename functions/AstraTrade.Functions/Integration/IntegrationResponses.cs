namespace AstraTrade.Functions.Integration;

/// <summary>The answer to Event Grid's subscription validation event: its code, echoed.</summary>
public sealed record SubscriptionValidationResponse(string ValidationResponse);

/// <summary>What a delivery did: handler calls made, skipped as already handled, and events no handler here consumes.</summary>
public sealed record IntegrationDeliveryResponse(int Handled, int Duplicates, int Unhandled);

/// <summary>Marks an endpoint the Functions host calls for a non-HTTP trigger (<c>POST /{functionName}</c>), which no
/// HTTP function forwards to.</summary>
public sealed record FunctionInvocationMetadata(string FunctionName);

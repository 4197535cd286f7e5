namespace AstraTrade.Domain.Trading;

/// <summary>A market's mark price and when it was observed; commands carry it so deciders stay pure.</summary>
public sealed record MarkPrice(decimal Price, DateTimeOffset Time)
{
    public TimeSpan AgeAt(DateTimeOffset now) => now - Time;
}

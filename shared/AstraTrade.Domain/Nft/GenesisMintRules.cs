namespace AstraTrade.Domain.Nft;

/// <param name="MaxAttempts">Attempts before a request fails for good (each attempt is one chain write, itself retried
/// through transport failures; an attempt fails when its transaction reverts or the node keeps refusing it).</param>
public sealed record GenesisMintRules(int MaxAttempts)
{
    public static GenesisMintRules Default { get; } = new(3);
}

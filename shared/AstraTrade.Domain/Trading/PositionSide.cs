namespace AstraTrade.Domain.Trading;

public enum PositionSide
{
    Long,
    Short,
}

public static class PositionSideExtensions
{
    /// <summary>+1 for long, −1 for short: the "side" factor of every PnL formula in DOMAIN.md §1.</summary>
    public static int Sign(this PositionSide side) => side == PositionSide.Long ? 1 : -1;
}

namespace AstraTrade.Domain.Trading;

/// <summary>Virtual-money accounts (DOMAIN.md §1). Live trading runs on the external exchange, not on these.</summary>
public enum AccountKind
{
    Practice,
    Tournament,
}

namespace AstraTrade.Domain.Trading;

/// <summary>
/// The kinds of account (DOMAIN.md §1). Practice and tournament accounts hold virtual money and trade on the simulated
/// exchange. A live account trades real money on Extended: the exchange holds the funds, fills the orders and
/// liquidates, so a live account records orders and positions as the exchange executed them and holds no balance.
/// </summary>
public enum AccountKind
{
    Practice,
    Tournament,
    Live,
}

using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Nft;

public static class NftErrors
{
    public static DomainError NotGenesis(string achievementId) =>
        new("not-a-genesis-achievement", $"The achievement '{achievementId}' has no Genesis NFT.");

    public static DomainError NotFound() => new("nft-not-found", "There is no such NFT.");

    public static DomainError NotRequested() => new("nft-not-requested", "No mint was requested for this achievement.");

    public static DomainError OutOfOrder(string what) => new("mint-step-out-of-order", $"The mint cannot {what} now.");
}

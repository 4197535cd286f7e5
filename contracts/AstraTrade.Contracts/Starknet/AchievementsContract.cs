namespace AstraTrade.Contracts.Starknet;

/// <summary>
/// The AstraTrade achievements contract (ABI: <c>achievements.abi.json</c> beside this file). The operator account is its
/// only recorder. An unlocked achievement is recorded once per player: <c>record_achievement</c> reverts for a pair already
/// recorded, and <c>is_recorded</c> says whether it is.
/// <para>
/// The player is the user's id as a felt (<see cref="CairoValues.UserFelt"/>), never a wallet: every user has one from
/// the start, it never changes, and recording does not wait for a wallet to be linked (docs/nft.md, "Whom the record
/// names"). The achievement is its id as a short string ('FIRST_TRADE').
/// </para>
/// </summary>
public static class AchievementsContract
{
    public const string RecordAchievement = "record_achievement";

    public const string IsRecorded = "is_recorded";

    /// <summary>Event <c>AchievementRecorded {#[key] player, #[key] achievement_id, recorded_at: u64}</c>: keys
    /// [selector, player, achievement_id], data [recorded_at].</summary>
    public const string AchievementRecordedEvent = "AchievementRecorded";

    /// <summary>starknet_keccak of each name (checked against the ABI by a test).</summary>
    public const string RecordAchievementSelector = "0x238cbb7f293df6705ba87385dc7c100427feca2b86c3b5cf15f063e78d1cf67";

    public const string IsRecordedSelector = "0x1ae39ff607feee88db9ef30744d81ef36507d3c544dfb98c2cd236a83d88eae";

    public const string AchievementRecordedSelector = "0x3e35bb5e99d52664e8b007c0b600dbdd9f0150765ff19993a66f843a503f612";

    /// <summary>[player, achievement_id] for <c>record_achievement</c> and <c>is_recorded</c> alike.</summary>
    public static IReadOnlyList<string> Calldata(Guid userId, string achievementId) =>
        [CairoValues.UserFelt(userId), CairoValues.ShortString(achievementId)];
}

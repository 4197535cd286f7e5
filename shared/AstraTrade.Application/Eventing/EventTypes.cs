using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Nft;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Domain.Trading;
using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Eventing;

/// <summary>
/// The stored name of every event type. Names are versioned and never reused: a changed shape gets a new name
/// (…v2) and both stay readable, because the log is forever.
/// </summary>
public static class EventTypes
{
    private static readonly (string Name, JsonTypeInfo Info)[] All =
    [
        ("trading.account-opened.v1", EventJsonContext.Default.AccountOpened),
        ("trading.position-opened.v1", EventJsonContext.Default.PositionOpened),
        ("trading.position-closed.v1", EventJsonContext.Default.PositionClosed),
        ("trading.position-liquidated.v1", EventJsonContext.Default.PositionLiquidated),
        ("trading.funding-applied.v1", EventJsonContext.Default.FundingApplied),
        ("trading.account-reset.v1", EventJsonContext.Default.AccountReset),
        ("trading.order-placed.v1", EventJsonContext.Default.OrderPlaced),
        ("trading.order-released.v1", EventJsonContext.Default.OrderReleased),
        ("trading.protection-set.v1", EventJsonContext.Default.ProtectionSet),
        ("users.user-registered.v1", EventJsonContext.Default.UserRegistered),
        ("users.user-suspended.v1", EventJsonContext.Default.UserSuspended),
        ("users.user-reactivated.v1", EventJsonContext.Default.UserReactivated),
        ("users.password-rehashed.v1", EventJsonContext.Default.PasswordRehashed),
        ("users.verification-tier-changed.v1", EventJsonContext.Default.VerificationTierChanged),
        ("gamification.qualifying-close-recorded.v1", EventJsonContext.Default.QualifyingCloseRecorded),
        ("gamification.liquidation-recorded.v1", EventJsonContext.Default.LiquidationRecorded),
        ("gamification.checked-in.v1", EventJsonContext.Default.CheckedIn),
        ("gamification.streak-updated.v1", EventJsonContext.Default.StreakUpdated),
        ("gamification.xp-awarded.v1", EventJsonContext.Default.XpAwarded),
        ("gamification.achievement-unlocked.v1", EventJsonContext.Default.AchievementUnlocked),
        ("gamification.level-reached.v1", EventJsonContext.Default.LevelReached),
        ("gamification.tournament-payout-recorded.v1", EventJsonContext.Default.TournamentPayoutRecorded),
        ("gamification.entry-fee-paid.v1", EventJsonContext.Default.EntryFeePaid),
        ("gamification.entry-fee-returned.v1", EventJsonContext.Default.EntryFeeReturned),
        ("tournaments.tournament-created.v1", EventJsonContext.Default.TournamentCreated),
        ("tournaments.registration-opened.v1", EventJsonContext.Default.RegistrationOpened),
        ("tournaments.entry-joined.v1", EventJsonContext.Default.EntryJoined),
        ("tournaments.tournament-started.v1", EventJsonContext.Default.TournamentStarted),
        ("tournaments.entry-fee-refunded.v1", EventJsonContext.Default.EntryFeeRefunded),
        ("tournaments.sponsor-amount-returned.v1", EventJsonContext.Default.SponsorAmountReturned),
        ("tournaments.tournament-cancelled.v1", EventJsonContext.Default.TournamentCancelled),
        ("tournaments.tournament-ended.v1", EventJsonContext.Default.TournamentEnded),
        ("tournaments.entry-scored.v1", EventJsonContext.Default.EntryScored),
        ("tournaments.prize-awarded.v1", EventJsonContext.Default.PrizeAwarded),
        ("tournaments.champion-declared.v1", EventJsonContext.Default.ChampionDeclared),
        ("tournaments.tournament-completed.v1", EventJsonContext.Default.TournamentCompleted),
        ("nft.genesis-mint-requested.v1", EventJsonContext.Default.GenesisMintRequested),
        ("nft.genesis-mint-waiting.v1", EventJsonContext.Default.GenesisMintWaiting),
        ("nft.genesis-mint-attempt-started.v1", EventJsonContext.Default.GenesisMintAttemptStarted),
        ("nft.genesis-mint-transaction-sent.v1", EventJsonContext.Default.GenesisMintTransactionSent),
        ("nft.genesis-minted.v1", EventJsonContext.Default.GenesisMinted),
        ("nft.genesis-mint-attempt-failed.v1", EventJsonContext.Default.GenesisMintAttemptFailed),
    ];

    private static readonly FrozenDictionary<string, JsonTypeInfo> ByName = All.ToFrozenDictionary(x => x.Name, x => x.Info);
    private static readonly FrozenDictionary<Type, (string Name, JsonTypeInfo Info)> ByType = All.ToFrozenDictionary(x => x.Info.Type);

    public static IEnumerable<string> Names => ByName.Keys;

    public static EventData Serialize(object @event)
    {
        var (name, info) = ByType.TryGetValue(@event.GetType(), out var entry)
            ? entry
            : throw new ArgumentException($"{@event.GetType().Name} is not a registered event type.", nameof(@event));
        return new EventData(Guid.CreateVersion7(), name, JsonSerializer.SerializeToUtf8Bytes(@event, info));
    }

    /// <summary>The domain event, or null for a type this version does not know (a consumer skips those).</summary>
    public static object? Deserialize(RecordedEvent recorded) =>
        ByName.TryGetValue(recorded.Type, out var info) ? JsonSerializer.Deserialize(recorded.Data.Span, info) : null;

    public static string NameOf(Type eventType) => ByType[eventType].Name;

    /// <summary>The stored name of <typeparamref name="TEvent"/>, so a feed handler can skip the events it ignores
    /// by name, without deserializing them.</summary>
    public static string NameOf<TEvent>()
        where TEvent : class => Name<TEvent>.Value;

    private static class Name<TEvent>
        where TEvent : class
    {
        public static readonly string Value = NameOf(typeof(TEvent));
    }
}

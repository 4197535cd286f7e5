using System.Text.Json.Serialization;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Nft;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Domain.Trading;
using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Eventing;

/// <summary>Source-generated (reflection-free, fast) JSON for every stored event type.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(AccountOpened))]
[JsonSerializable(typeof(PositionOpened))]
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(OrderReleased))]
[JsonSerializable(typeof(ProtectionSet))]
[JsonSerializable(typeof(PositionClosed))]
[JsonSerializable(typeof(PositionLiquidated))]
[JsonSerializable(typeof(FundingApplied))]
[JsonSerializable(typeof(AccountReset))]
[JsonSerializable(typeof(UserRegistered))]
[JsonSerializable(typeof(UserSuspended))]
[JsonSerializable(typeof(UserReactivated))]
[JsonSerializable(typeof(PasswordRehashed))]
[JsonSerializable(typeof(VerificationTierChanged))]
[JsonSerializable(typeof(QualifyingCloseRecorded))]
[JsonSerializable(typeof(LiquidationRecorded))]
[JsonSerializable(typeof(CheckedIn))]
[JsonSerializable(typeof(StreakUpdated))]
[JsonSerializable(typeof(XpAwarded))]
[JsonSerializable(typeof(AchievementUnlocked))]
[JsonSerializable(typeof(LevelReached))]
[JsonSerializable(typeof(TournamentPayoutRecorded))]
[JsonSerializable(typeof(EntryFeePaid))]
[JsonSerializable(typeof(EntryFeeReturned))]
[JsonSerializable(typeof(TournamentCreated))]
[JsonSerializable(typeof(RegistrationOpened))]
[JsonSerializable(typeof(EntryJoined))]
[JsonSerializable(typeof(TournamentStarted))]
[JsonSerializable(typeof(EntryFeeRefunded))]
[JsonSerializable(typeof(SponsorAmountReturned))]
[JsonSerializable(typeof(TournamentCancelled))]
[JsonSerializable(typeof(TournamentEnded))]
[JsonSerializable(typeof(EntryScored))]
[JsonSerializable(typeof(PrizeAwarded))]
[JsonSerializable(typeof(ChampionDeclared))]
[JsonSerializable(typeof(TournamentCompleted))]
[JsonSerializable(typeof(GenesisMintRequested))]
[JsonSerializable(typeof(GenesisMintWaiting))]
[JsonSerializable(typeof(GenesisMintAttemptStarted))]
[JsonSerializable(typeof(GenesisMintTransactionSent))]
[JsonSerializable(typeof(GenesisMinted))]
[JsonSerializable(typeof(GenesisMintAttemptFailed))]
internal sealed partial class EventJsonContext : JsonSerializerContext;

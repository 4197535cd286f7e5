using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Tournaments;

/// <summary>Every tournament rule a command can break, each with its own stable code.</summary>
public static class TournamentErrors
{
    public static DomainError NotFound() =>
        new("tournament-not-found", "There is no such tournament.");

    public static DomainError AlreadyExists(string tournamentId) =>
        new("tournament-already-exists", $"Tournament '{tournamentId}' already exists with different terms.");

    public static DomainError NotAuthorized(string action) =>
        new("not-authorized", $"Only an admin may {action}.");

    public static DomainError InvalidKind(TournamentKind kind) =>
        new("invalid-tournament-kind", $"Unknown tournament kind {(int)kind}.");

    public static DomainError InvalidId(string id, string expected) =>
        new("invalid-tournament-id", $"Tournament id '{id}' is not valid; {expected}.");

    public static DomainError InvalidName(int maxLength) =>
        new("invalid-tournament-name", $"A tournament needs a name of 1 to {maxLength} characters.");

    public static DomainError InvalidWindow(string why) =>
        new("invalid-tournament-window", why);

    public static DomainError StartInPast(DateTimeOffset startsAt) =>
        new("tournament-start-in-past", $"A tournament must be created before it starts ({startsAt:u}).");

    public static DomainError InvalidEntryFee(long fee, long max) =>
        new("invalid-entry-fee", $"The entry fee must be from 0 to {max} SS; {fee} was given.");

    public static DomainError InvalidSponsorAmount(long amount, long max) =>
        new("invalid-sponsor-amount", $"The sponsor amount must be from 0 to {max} SS; {amount} was given.");

    public static DomainError InvalidMaxEntries(int maxEntries, int minPlayers) =>
        new("invalid-max-entries", $"A tournament must admit at least {minPlayers} entries (the minimum to start); {maxEntries} was given.");

    public static DomainError InvalidRules(string problem) =>
        new("invalid-tournament-rules", $"The tournament configuration is invalid: {problem}");

    public static DomainError InvalidUser() =>
        new("invalid-user", "A user id is required.");

    public static DomainError Suspended() =>
        new("account-suspended", "A suspended user cannot join tournaments.");

    public static DomainError Cancelled() =>
        new("tournament-cancelled", "This tournament was cancelled.");

    public static DomainError AlreadyJoined(string userId) =>
        new("already-joined", $"User {userId} has already joined this tournament; one entry per user.");

    public static DomainError RegistrationNotOpen(DateTimeOffset opensAt) =>
        new("registration-not-open", $"Registration opens at {opensAt:u}.");

    public static DomainError RegistrationClosed(DateTimeOffset closedAt) =>
        new("registration-closed", $"Joining closed at {closedAt:u}, half-way through the tournament.");

    public static DomainError Full(int maxEntries) =>
        new("tournament-full", $"This tournament is full ({maxEntries} entries).");

    public static DomainError NotStarted(DateTimeOffset startsAt) =>
        new("tournament-not-started", $"The tournament starts at {startsAt:u}.");

    public static DomainError NotEnded(DateTimeOffset endsAt) =>
        new("tournament-not-ended", $"The tournament ends at {endsAt:u}.");

    public static DomainError InvalidResults(string why) =>
        new("invalid-results", why);

    public static DomainError NotCancellable(TournamentStatus status) =>
        new("tournament-not-cancellable", $"A tournament can be cancelled only before it ends; this one is {status.ToString().ToLowerInvariant()}.");

    public static DomainError InvalidReason(int maxLength) =>
        new("invalid-reason", $"A cancellation needs a reason of 1 to {maxLength} characters.");

    public static DomainError NotEntered(string userId) =>
        new("not-entered", $"User {userId} has no entry in this tournament.");

    public static DomainError NotLive() =>
        new("tournament-not-live", "Tournament accounts trade only while the tournament is live, from its start until its end.");
}

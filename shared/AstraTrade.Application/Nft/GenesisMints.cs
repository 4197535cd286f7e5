using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Nft;

namespace AstraTrade.Application.Nft;

/// <summary>
/// The Genesis mint requests (DOMAIN.md §6): the decider's commands run against each request's stream, and the reads
/// the API needs. A user has at most one request per Genesis kind, so "the user's NFTs" are at most seven streams, read
/// through the repository's cache: no projection to keep in step.
/// </summary>
public sealed class GenesisMints
{
    private readonly GenesisMintRules _rules;
    private readonly TimeProvider _time;

    public GenesisMints(IEventStore store, NftOptions options, TimeProvider time)
    {
        options.Validate();
        _rules = new GenesisMintRules(options.MaxMintAttempts);
        _time = time;
        Repository = new EventSourcedRepository<GenesisMintState, IGenesisMintEvent>(store, _ => GenesisMintState.None, GenesisMint.Evolve);
    }

    public EventSourcedRepository<GenesisMintState, IGenesisMintEvent> Repository { get; }

    public ValueTask<Result<GenesisMintState>> RequestAsync(Guid userId, string achievementId, DateTimeOffset unlockedAt, CancellationToken cancellationToken) =>
        ExecuteAsync(userId, achievementId, now => new RequestGenesisMint(userId, achievementId, unlockedAt, now), cancellationToken);

    public ValueTask<Result<GenesisMintState>> HoldAsync(Guid userId, string achievementId, string reason, string detail, CancellationToken cancellationToken) =>
        ExecuteAsync(userId, achievementId, now => new HoldGenesisMint(reason, detail, now), cancellationToken);

    public ValueTask<Result<GenesisMintState>> StartAttemptAsync(Guid userId, string achievementId, int attempt, string recipient, CancellationToken cancellationToken) =>
        ExecuteAsync(userId, achievementId, now => new StartGenesisMintAttempt(attempt, recipient, now), cancellationToken);

    public ValueTask<Result<GenesisMintState>> RecordTransactionAsync(Guid userId, string achievementId, int attempt, string hash, CancellationToken cancellationToken) =>
        ExecuteAsync(userId, achievementId, now => new RecordGenesisMintTransaction(attempt, hash, now), cancellationToken);

    public ValueTask<Result<GenesisMintState>> RecordMintedAsync(
        Guid userId, string achievementId, int attempt, string? hash, ulong? blockNumber, CancellationToken cancellationToken) =>
        ExecuteAsync(userId, achievementId, now => new RecordGenesisMinted(attempt, hash, blockNumber, now), cancellationToken);

    public ValueTask<Result<GenesisMintState>> RecordFailureAsync(Guid userId, string achievementId, int attempt, string reason, CancellationToken cancellationToken) =>
        ExecuteAsync(userId, achievementId, now => new RecordGenesisMintFailure(attempt, reason, now), cancellationToken);

    public async ValueTask<GenesisMintState> GetAsync(Guid userId, string achievementId, CancellationToken cancellationToken) =>
        (await Repository.LoadAsync(StreamIds.GenesisMint(userId, achievementId), cancellationToken)).State;

    /// <summary>The user's requests, in the order they were made.</summary>
    public async ValueTask<IReadOnlyList<GenesisMintState>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        var requests = new List<GenesisMintState>();
        foreach (var kind in GenesisCollection.Kinds)
        {
            var state = await GetAsync(userId, kind.AchievementId, cancellationToken);
            if (state.IsRequested)
            {
                requests.Add(state);
            }
        }

        return [.. requests.OrderBy(r => r.RequestedAt).ThenBy(r => GenesisCollection.Find(r.AchievementId)!.Number)];
    }

    private async ValueTask<Result<GenesisMintState>> ExecuteAsync(
        Guid userId, string achievementId, Func<DateTimeOffset, GenesisMintCommand> command, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var executed = await Repository.ExecuteAsync(
            StreamIds.GenesisMint(userId, achievementId), state => GenesisMint.Decide(state, command(now), _rules), cancellationToken);
        return executed.IsSuccess ? executed.Value.State : executed.Error!;
    }
}

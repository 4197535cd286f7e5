using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Users;

/// <summary>The user repository.</summary>
public sealed class UserDirectory(IEventStore store)
{
    public EventSourcedRepository<UserState, IUserEvent> Repository { get; } =
        new(store, _ => UserState.Unregistered, User.Evolve);

    public async ValueTask<UserState> GetAsync(Guid userId, CancellationToken cancellationToken) =>
        (await Repository.LoadAsync(StreamIds.User(userId), cancellationToken)).State;
}

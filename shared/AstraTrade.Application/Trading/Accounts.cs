using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>The account repository: account streams folded with the trading rules.</summary>
public sealed class Accounts(IEventStore store, TradingRules rules)
{
    public EventSourcedRepository<AccountState, IAccountEvent> Repository { get; } = new(
        store,
        streamId => AccountState.Unopened(StreamIds.TryParseAccount(streamId, out _, out var kind) ? kind : AccountKind.Practice, rules),
        (state, e) => Account.Evolve(state, e, rules));

    public TradingRules Rules => rules;
}

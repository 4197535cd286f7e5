namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>Which Extended account trades for an AstraTrade account stream (a live account linked to Extended).</summary>
public interface IExtendedAccounts
{
    ValueTask<ExtendedAccountOptions?> FindAsync(string accountStream, CancellationToken cancellationToken);
}

/// <summary>The accounts listed under <c>Extended:Accounts:{accountStream}</c>.</summary>
public sealed class ConfiguredExtendedAccounts(ExtendedOptions options) : IExtendedAccounts
{
    public ValueTask<ExtendedAccountOptions?> FindAsync(string accountStream, CancellationToken cancellationToken) =>
        ValueTask.FromResult(options.Accounts.GetValueOrDefault(accountStream));
}

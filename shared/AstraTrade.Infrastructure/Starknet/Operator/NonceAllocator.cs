using System.Numerics;
using AstraTrade.Starknet;

namespace AstraTrade.Infrastructure.Starknet.Operator;

/// <summary>
/// Hands out the operator account's nonces, one caller at a time. The first use reads the account's nonce from the node
/// (<c>starknet_getNonce</c> at pre_confirmed); from then on this process counts, so concurrent writes get consecutive
/// nonces without waiting for each other's blocks. A nonce is taken only when the caller's work under it succeeded (the
/// signed transaction persisted), so a failure in between leaves no gap. What the node later says corrects the count:
/// <list type="bullet">
/// <item>a transaction refused outright (never ran, never will) gives its nonce back (<see cref="ReleaseAsync"/>), and
/// the next write reuses it, so no later transaction waits behind a hole;</item>
/// <item>"invalid nonce" means the chain is ahead of the count (another process used the account, or this one
/// restarted): <see cref="ResyncAsync"/> moves up to the node's nonce;</item>
/// <item>a nonce another transaction holds in the mempool is never handed out again (<see cref="SkipPastAsync"/>).</item>
/// </list>
/// One allocator per account and process. Several processes writing with one account would keep refusing each other's
/// nonces (each refusal heals, slowly): give each instance its own operator account, or one writer.
/// </summary>
internal sealed class NonceAllocator(Func<CancellationToken, Task<Felt>> readChainNonce)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SortedSet<BigInteger> _released = [];
    private BigInteger? _next;

    /// <summary>Runs <paramref name="use"/> with the next nonce, under the lock; the nonce counts as used only if
    /// <paramref name="use"/> returns.</summary>
    public async Task<T> AllocateAsync<T>(Func<Felt, Task<T>> use, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var next = await NextAsync(cancellationToken).ConfigureAwait(false);
            var nonce = _released.Count > 0 ? _released.Min : next;
            var result = await use(Felt.FromBigInteger(nonce)).ConfigureAwait(false);
            if (!_released.Remove(nonce))
            {
                _next = nonce + 1;
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The nonce the next allocation would get (for a fee estimate; nothing is reserved).</summary>
    public async Task<Felt> PeekAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var next = await NextAsync(cancellationToken).ConfigureAwait(false);
            return Felt.FromBigInteger(_released.Count > 0 ? _released.Min : next);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The transaction with this nonce was refused by the node and exists nowhere: the nonce is free again.</summary>
    public async Task ReleaseAsync(Felt nonce, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_next is not { } next)
            {
                return; // not counting yet (a restart): the next allocation reads the node
            }

            var value = nonce.ToBigInteger();
            if (value < next)
            {
                _released.Add(value);
            }

            // Free nonces at the top of the count are simply not handed out yet.
            while (_next > 0 && _released.Remove(_next.Value - 1))
            {
                _next--;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Another transaction holds this nonce (in the mempool): never hand it out again.</summary>
    public async Task SkipPastAsync(Felt nonce, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var value = nonce.ToBigInteger();
            _released.Remove(value);
            if (_next is { } next && next <= value)
            {
                _next = value + 1;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>After an invalid-nonce refusal: read the account's nonce again and count from it if it is ahead.</summary>
    public async Task ResyncAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var chain = (await readChainNonce(cancellationToken).ConfigureAwait(false)).ToBigInteger();
            _released.RemoveWhere(n => n < chain);
            _next = _next is { } next && next > chain ? next : chain;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<BigInteger> NextAsync(CancellationToken cancellationToken)
    {
        _next ??= (await readChainNonce(cancellationToken).ConfigureAwait(false)).ToBigInteger();
        return _next.Value;
    }
}

using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using AstraTrade.Application.Ports;
using AstraTrade.Starknet;

namespace AstraTrade.Infrastructure.Starknet.Operator;

/// <summary>
/// Hands out the operator account's nonces, one caller at a time, and remembers which purpose holds which nonce until its
/// transaction is settled (document <c>chain-operator/{address}</c>: purpose → nonce). Concurrent writes get consecutive
/// nonces without waiting for each other's blocks, and:
/// <list type="bullet">
/// <item>A nonce is recorded for its purpose before the purpose's transaction is persisted, so a prepare interrupted in
/// between finds its nonce again (no gap, no second nonce for one purpose).</item>
/// <item>After a restart the count starts above every nonce still held (transactions in the mempool, or signed and not
/// yet sent, are not given a rival) and at least at the account's nonce on chain (<c>starknet_getNonce</c>,
/// pre_confirmed); nonces in between that nobody holds are free and handed out first, so no later transaction waits
/// behind a hole.</item>
/// <item>A transaction the node refused outright (never ran, never will) gives its nonce back (<see cref="ReleaseAsync"/>);
/// a settled one (in a block, or dead because another used its nonce) just lets go of it (<see cref="SettleAsync"/>).</item>
/// <item>"Invalid nonce" means the chain is ahead of the count (someone else used the account): <see cref="ResyncAsync"/>
/// moves up to the node's nonce. A nonce another transaction holds in the mempool is skipped (<see cref="SkipPastAsync"/>).</item>
/// </list>
/// One ledger per account and process: several processes writing with one account would refuse each other's nonces
/// (each refusal heals, slowly). Give each instance its own operator account, or keep one writer.
/// </summary>
internal sealed class NonceLedger(Felt account, Func<CancellationToken, Task<Felt>> readChainNonce, IDocumentStore documents)
{
    private const string Collection = "chain-operator";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _id = account.ToHexString();
    private readonly SortedSet<BigInteger> _free = [];
    private Dictionary<string, BigInteger>? _held;
    private string? _etag;
    private BigInteger _next;

    /// <summary>
    /// Picks the nonce for <paramref name="purpose"/> (the one it already holds, unless <paramref name="replacing"/> a dead
    /// transaction; otherwise the lowest free one or the next), records it, then runs <paramref name="persist"/> with it.
    /// </summary>
    public async Task<T> AllocateAsync<T>(string purpose, bool replacing, Func<Felt, Task<T>> persist, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var held = await LoadAsync(cancellationToken).ConfigureAwait(false);
            BigInteger nonce;
            if (!replacing && held.TryGetValue(purpose, out var kept))
            {
                nonce = kept; // an interrupted prepare of this purpose recorded it
            }
            else
            {
                nonce = _free.Count > 0 ? _free.Min : _next;
                held[purpose] = nonce;
                await SaveAsync(held, cancellationToken).ConfigureAwait(false);
                if (!_free.Remove(nonce))
                {
                    _next = nonce + 1;
                }
            }

            return await persist(Felt.FromBigInteger(nonce)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The purpose's transaction with <paramref name="nonce"/> was refused by the node and exists nowhere: the
    /// nonce is free again.</summary>
    public Task ReleaseAsync(string purpose, Felt nonce, CancellationToken cancellationToken) =>
        ChangeAsync(purpose, nonce, free: true, cancellationToken);

    /// <summary>The purpose's transaction with <paramref name="nonce"/> is settled (in a block, or dead because another
    /// used its nonce): the purpose no longer holds it.</summary>
    public Task SettleAsync(string purpose, Felt nonce, CancellationToken cancellationToken) =>
        ChangeAsync(purpose, nonce, free: false, cancellationToken);

    /// <summary>Another transaction holds <paramref name="nonce"/> in the mempool: never hand it out again.</summary>
    public async Task SkipPastAsync(string purpose, Felt nonce, CancellationToken cancellationToken)
    {
        await ChangeAsync(purpose, nonce, free: false, cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var value = nonce.ToBigInteger();
            _free.Remove(value);
            if (_next <= value)
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
            await LoadAsync(cancellationToken).ConfigureAwait(false);
            var chain = (await readChainNonce(cancellationToken).ConfigureAwait(false)).ToBigInteger();
            _free.RemoveWhere(n => n < chain);
            _next = BigInteger.Max(_next, chain);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ChangeAsync(string purpose, Felt nonce, bool free, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var held = await LoadAsync(cancellationToken).ConfigureAwait(false);
            var value = nonce.ToBigInteger();
            if (held.TryGetValue(purpose, out var kept) && kept == value)
            {
                held.Remove(purpose);
                await SaveAsync(held, cancellationToken).ConfigureAwait(false);
            }

            if (free && value < _next && !held.ContainsValue(value))
            {
                _free.Add(value);
                while (_free.Remove(_next - 1))
                {
                    _next--; // free nonces at the top of the count are simply not handed out yet
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads the held nonces once per process, and starts counting above them and at least at the chain's nonce.</summary>
    private async Task<Dictionary<string, BigInteger>> LoadAsync(CancellationToken cancellationToken)
    {
        if (_held is not null)
        {
            return _held;
        }

        var stored = await documents.GetAsync(Collection, _id, cancellationToken).ConfigureAwait(false);
        var held = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        if (stored is not null)
        {
            var ledger = JsonSerializer.Deserialize(stored.Body.Span, LedgerJson.Default.Ledger) ?? new Ledger([]);
            foreach (var (purpose, nonce) in ledger.Held)
            {
                held[purpose] = Felt.Parse(nonce).ToBigInteger();
            }
        }

        var chain = (await readChainNonce(cancellationToken).ConfigureAwait(false)).ToBigInteger();
        _next = held.Count == 0 ? chain : BigInteger.Max(chain, held.Values.Max() + 1);
        for (var n = chain; n < _next; n++)
        {
            if (!held.ContainsValue(n))
            {
                _free.Add(n);
            }
        }

        _etag = stored?.ETag;
        _held = held;
        return held;
    }

    private async Task SaveAsync(Dictionary<string, BigInteger> held, CancellationToken cancellationToken)
    {
        var ledger = new Ledger(held.ToDictionary(h => h.Key, h => Felt.FromBigInteger(h.Value).ToHexString()));
        var body = JsonSerializer.SerializeToUtf8Bytes(ledger, LedgerJson.Default.Ledger);
        try
        {
            _etag = await documents.PutAsync(Collection, _id, body, _etag is null ? Precondition.IfAbsent : Precondition.IfMatch(_etag), cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            _held = null; // what is stored is unknown now: read it again next time
            _free.Clear();
            throw;
        }
    }

    /// <param name="Held">Purpose → nonce ("0x" hex) of every transaction not yet settled.</param>
    internal sealed record Ledger(Dictionary<string, string> Held);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NonceLedger.Ledger))]
internal sealed partial class LedgerJson : JsonSerializerContext;

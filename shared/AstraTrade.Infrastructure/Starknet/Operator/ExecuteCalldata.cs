using AstraTrade.Starknet;

namespace AstraTrade.Infrastructure.Starknet.Operator;

/// <summary>
/// The calldata of a Cairo 1 account's <c>__execute__(calls: Array&lt;Call&gt;)</c>, which every current account
/// (OpenZeppelin, Argent, Braavos) takes: the number of calls, then for each its contract address, entry point selector,
/// calldata length and calldata.
/// </summary>
internal static class ExecuteCalldata
{
    public static IReadOnlyList<Felt> Encode(IReadOnlyList<(Felt Contract, Felt Selector, IReadOnlyList<Felt> Calldata)> calls)
    {
        var felts = new List<Felt> { (ulong)calls.Count };
        foreach (var (contract, selector, calldata) in calls)
        {
            felts.Add(contract);
            felts.Add(selector);
            felts.Add((ulong)calldata.Count);
            felts.AddRange(calldata);
        }

        return felts;
    }
}

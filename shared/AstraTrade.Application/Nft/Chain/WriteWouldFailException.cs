namespace AstraTrade.Application.Nft.Chain;

/// <summary>The node's fee estimate ran the transaction and it failed (it would revert, or the account refused it): there
/// is nothing worth signing. <see cref="Exception.Message"/> is the node's reason.</summary>
public sealed class WriteWouldFailException(string reason) : Exception(reason);

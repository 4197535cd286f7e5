using System.Numerics;

namespace AstraTrade.Starknet;

/// <summary>Contract address computation (deploy syscall / UDC / DEPLOY_ACCOUNT), as Starknet defines it.</summary>
public static class ContractAddress
{
    /// <summary>"STARKNET_CONTRACT_ADDRESS" as a short string.</summary>
    public static readonly Felt Prefix = ShortString.Encode("STARKNET_CONTRACT_ADDRESS");

    /// <summary>Addresses are reduced modulo 2^251 − 256 (the upper bound of the address space).</summary>
    public static readonly BigInteger AddressBound = (BigInteger.One << 251) - 256;

    /// <summary>
    /// pedersen_on_elements(PREFIX, deployer, salt, class_hash, pedersen_on_elements(constructor_calldata)) mod (2^251 − 256).
    /// The deployer is zero for DEPLOY_ACCOUNT and for "not unique" UDC deployments.
    /// </summary>
    public static Felt Calculate(Felt salt, Felt classHash, IReadOnlyList<Felt> constructorCalldata, Felt deployerAddress)
    {
        ArgumentNullException.ThrowIfNull(constructorCalldata);
        var calldataHash = Pedersen.HashOnElements(constructorCalldata);
        var hash = Pedersen.HashOnElements(Prefix, deployerAddress, salt, classHash, calldataHash);
        return Felt.FromBigInteger(hash.ToBigInteger() % AddressBound);
    }
}

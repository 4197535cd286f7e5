using System.Buffers.Binary;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of iSCSI, ext4 and most storage engines.
/// x64 (SSE4.2) and Arm64 compute it in hardware, which keeps checksumming far below the cost of the write itself;
/// the table is for other CPUs.
/// </summary>
internal static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78;

    private static readonly uint[] Table = CreateTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            return ~UpdateWithSse42(uint.MaxValue, data);
        }

        if (Crc32.Arm64.IsSupported)
        {
            return ~UpdateWithArm64(uint.MaxValue, data);
        }

        return ComputeWithTable(data);
    }

    internal static uint ComputeWithTable(ReadOnlySpan<byte> data)
    {
        var state = uint.MaxValue;
        foreach (var value in data)
        {
            state = Table[(byte)(state ^ value)] ^ (state >> 8);
        }

        return ~state;
    }

    private static uint UpdateWithSse42(uint state, ReadOnlySpan<byte> data)
    {
        ulong wide = state;
        while (data.Length >= sizeof(ulong))
        {
            wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        state = (uint)wide;
        foreach (var value in data)
        {
            state = Sse42.Crc32(state, value);
        }

        return state;
    }

    private static uint UpdateWithArm64(uint state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= sizeof(ulong))
        {
            state = Crc32.Arm64.ComputeCrc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var value in data)
        {
            state = Crc32.ComputeCrc32C(state, value);
        }

        return state;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < table.Length; i++)
        {
            var entry = i;
            for (var bit = 0; bit < 8; bit++)
            {
                entry = (entry & 1) != 0 ? (entry >> 1) ^ ReflectedPolynomial : entry >> 1;
            }

            table[i] = entry;
        }

        return table;
    }
}

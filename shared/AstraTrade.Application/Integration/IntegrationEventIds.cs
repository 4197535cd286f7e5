using System.Security.Cryptography;
using System.Text;

namespace AstraTrade.Application.Integration;

/// <summary>
/// Integration event ids, derived from the stored event they come from: a relay that publishes an event again (after a
/// crash, or a failed batch) gives it the same id, which is what consumers deduplicate by. The id is a name-based UUID
/// (RFC 9562 version 8, SHA-256) of the stored event id and the integration event type, so one stored event can feed
/// several types (a v1 and a v2 published side by side) without their ids colliding.
/// </summary>
public static class IntegrationEventIds
{
    /// <summary>The namespace of our name-based ids (a random UUID fixed forever: changing it changes every id).</summary>
    private static readonly Guid Namespace = new("5b0c3f6e-2d41-4a8e-9f57-8d1c2a7e4b93");

    public static string For(Guid storedEventId, string integrationEventType)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationEventType);
        Span<byte> name = stackalloc byte[32 + Encoding.UTF8.GetMaxByteCount(integrationEventType.Length)];
        Namespace.TryWriteBytes(name, bigEndian: true, out _);
        storedEventId.TryWriteBytes(name[16..], bigEndian: true, out _);
        var length = 32 + Encoding.UTF8.GetBytes(integrationEventType, name[32..]);

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(name[..length], hash);

        // RFC 9562 §5.8: version 8 in the high nibble of octet 6, variant 10 in the high bits of octet 8.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }
}

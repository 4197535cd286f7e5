using System.Text;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Users;

namespace AstraTrade.Application.UnitTests.Users;

public class UserEventStorageTests
{
    [Fact]
    public void A_tier_change_is_stored_under_its_versioned_name_and_reads_back_exactly()
    {
        var changed = new VerificationTierChanged(
            VerificationTier.Identity, VerificationTier.Email, "0197a3a0-0000-7000-8000-0000000000ad", new DateTimeOffset(2026, 11, 2, 12, 0, 0, TimeSpan.Zero));

        var data = EventTypes.Serialize(changed);

        Assert.Equal("users.verification-tier-changed.v1", data.Type);
        Assert.Contains("\"from\":\"Identity\",\"to\":\"Email\"", Encoding.UTF8.GetString(data.Data.Span), StringComparison.Ordinal);
        Assert.Equal(changed, EventTypes.Deserialize(new RecordedEvent("user-x", 2, data.EventId, data.Type, data.Data, changed.At)));
    }
}

using AstraTrade.Domain.Users;

namespace AstraTrade.Domain.UnitTests.Users;

/// <summary>A suspension must say why, in at most 500 characters.</summary>
public class SuspensionReasonTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("")]
    [InlineData(" \t\n")]
    public void A_blank_reason_is_refused_and_the_user_stays_active(string reason)
    {
        var decision = User.Decide(Registered(), new SuspendUser(reason, Now));

        Assert.Equal("invalid-suspension-reason", decision.Error?.Code);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void A_reason_of_500_characters_is_recorded_as_given_and_one_of_501_is_refused()
    {
        var longest = new string('r', 500); // a literal, so that a changed limit fails here

        Assert.Equal(new UserSuspended(longest, Now), Assert.Single(User.Decide(Registered(), new SuspendUser(longest, Now)).Events));
        Assert.Equal("invalid-suspension-reason", User.Decide(Registered(), new SuspendUser(longest + "r", Now)).Error?.Code);
    }

    private static UserState Registered() =>
        User.Evolve(UserState.Unregistered, new UserRegistered(Username.UserIdFor("alice"), "alice", "hash", UserRole.User, Now));
}

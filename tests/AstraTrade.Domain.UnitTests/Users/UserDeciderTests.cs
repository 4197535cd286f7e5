using AstraTrade.Domain.Users;

namespace AstraTrade.Domain.UnitTests.Users;

public class UserDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Registering_records_the_derived_id_role_and_hash()
    {
        var decision = User.Decide(UserState.Unregistered, new RegisterUser("Alice", "hash", UserRole.User, Now));

        var registered = Assert.IsType<UserRegistered>(Assert.Single(decision.Events));
        Assert.Equal(Username.UserIdFor("alice"), registered.UserId);
        var state = User.Evolve(UserState.Unregistered, registered);
        Assert.Equal(UserStatus.Active, state.Status);
        Assert.Equal(VerificationTier.Unverified, state.Tier);
    }

    [Fact]
    public void A_registered_user_cannot_register_again_and_bad_usernames_are_refused()
    {
        var state = Registered();

        Assert.Equal("username-taken", User.Decide(state, new RegisterUser("ALICE", "h", UserRole.User, Now)).Error?.Code);
        Assert.Equal("invalid-username", User.Decide(UserState.Unregistered, new RegisterUser("a b", "h", UserRole.User, Now)).Error?.Code);
    }

    [Fact]
    public void Suspension_and_reactivation_are_idempotent()
    {
        var state = Registered();
        var suspended = User.Evolve(state, Assert.Single(User.Decide(state, new SuspendUser("abuse", Now)).Events));

        Assert.True(suspended.IsSuspended);
        Assert.Empty(User.Decide(suspended, new SuspendUser("again", Now)).Events);
        var active = User.Evolve(suspended, Assert.Single(User.Decide(suspended, new ReactivateUser(Now)).Events));
        Assert.False(active.IsSuspended);
        Assert.Empty(User.Decide(active, new ReactivateUser(Now)).Events);
    }

    [Fact]
    public void Commands_for_an_unregistered_user_are_refused() =>
        Assert.Equal("user-not-found", User.Decide(UserState.Unregistered, new SuspendUser("x", Now)).Error?.Code);

    private static UserState Registered() =>
        User.Evolve(UserState.Unregistered, new UserRegistered(Username.UserIdFor("alice"), "alice", "hash", UserRole.User, Now));
}

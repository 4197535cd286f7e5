using AstraTrade.Domain.Users;

namespace AstraTrade.Domain.UnitTests.Users;

/// <summary>Recording a verification outcome (DOMAIN.md §4): any move, who made it, and nothing when nothing changes.</summary>
public class VerificationTierTests
{
    private const string Admin = "0197a3a0-0000-7000-8000-0000000000ad";
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<VerificationTier, VerificationTier> EveryMove()
    {
        var moves = new TheoryData<VerificationTier, VerificationTier>();
        foreach (var from in Enum.GetValues<VerificationTier>())
        {
            foreach (var to in Enum.GetValues<VerificationTier>().Where(to => to != from))
            {
                moves.Add(from, to);
            }
        }

        return moves;
    }

    [Theory]
    [MemberData(nameof(EveryMove))]
    public void Every_move_between_tiers_is_recorded_with_from_to_who_and_when(VerificationTier from, VerificationTier to)
    {
        var state = At(from);

        var changed = Assert.IsType<VerificationTierChanged>(Assert.Single(User.Decide(state, new SetVerificationTier(to, Admin, Now)).Events));

        Assert.Equal(new VerificationTierChanged(from, to, Admin, Now), changed);
        Assert.Equal(to, User.Evolve(state, changed).Tier);
    }

    [Theory]
    [InlineData(VerificationTier.Unverified)]
    [InlineData(VerificationTier.Email)]
    [InlineData(VerificationTier.Identity)]
    public void Setting_the_tier_the_user_already_has_records_nothing(VerificationTier tier)
    {
        var decision = User.Decide(At(tier), new SetVerificationTier(tier, Admin, Now));

        Assert.False(decision.IsRejected);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void A_change_only_moves_the_tier_and_leaves_status_role_and_credentials_alone()
    {
        var suspended = User.Evolve(Registered(), new UserSuspended("abuse", Now));

        var after = User.Evolve(suspended, new VerificationTierChanged(VerificationTier.Unverified, VerificationTier.Identity, Admin, Now));

        Assert.Equal(suspended with { Tier = VerificationTier.Identity }, after);
    }

    [Fact]
    public void Replaying_the_log_gives_the_last_recorded_tier()
    {
        var state = Registered();
        var log = new List<IUserEvent>();
        foreach (var tier in new[] { VerificationTier.Email, VerificationTier.Identity, VerificationTier.Unverified, VerificationTier.Email })
        {
            var events = User.Decide(state, new SetVerificationTier(tier, Admin, Now)).Events;
            log.AddRange(events);
            state = events.Aggregate(state, User.Evolve);
        }

        Assert.Equal(4, log.Count);
        Assert.Equal(VerificationTier.Email, log.Aggregate(Registered(), User.Evolve).Tier);
        Assert.Equal(
            [VerificationTier.Unverified, VerificationTier.Email, VerificationTier.Identity, VerificationTier.Unverified],
            log.Cast<VerificationTierChanged>().Select(e => e.From));
    }

    [Fact]
    public void An_unregistered_user_has_no_tier_to_set() =>
        Assert.Equal(
            "user-not-found",
            User.Decide(UserState.Unregistered, new SetVerificationTier(VerificationTier.Identity, Admin, Now)).Error?.Code);

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void A_tier_outside_the_three_is_refused(int tier) =>
        Assert.Equal(
            "invalid-verification-tier",
            User.Decide(Registered(), new SetVerificationTier((VerificationTier)tier, Admin, Now)).Error?.Code);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_change_that_does_not_say_who_made_it_is_refused(string by) =>
        Assert.Equal(
            "actor-required",
            User.Decide(Registered(), new SetVerificationTier(VerificationTier.Identity, by, Now)).Error?.Code);

    private static UserState Registered() =>
        User.Evolve(UserState.Unregistered, new UserRegistered(Username.UserIdFor("alice"), "alice", "hash", UserRole.User, Now));

    private static UserState At(VerificationTier tier) => Registered() with { Tier = tier };
}

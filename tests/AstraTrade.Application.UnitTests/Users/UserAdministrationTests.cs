using AstraTrade.Application.Eventing;
using AstraTrade.Application.Users;
using AstraTrade.Domain.Users;
using AstraTrade.Infrastructure.Storage.Embedded;
using AstraTrade.Testing;

namespace AstraTrade.Application.UnitTests.Users;

/// <summary>The admin use cases on a real (embedded) store, including two app instances sharing it.</summary>
public sealed class UserAdministrationTests : IAsyncLifetime
{
    private const string Admin = "0197a3a0-0000-7000-8000-0000000000ad";
    private readonly TemporaryStore _temporary = new();

    private EmbeddedStore Store => _temporary.Store;

    private ManualTimeProvider Time => _temporary.Time;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _temporary.DisposeAsync();

    [Fact]
    public async Task The_admin_view_shows_who_the_user_is_and_how_they_stand()
    {
        var registeredAt = Time.GetUtcNow();
        var userId = await RegisterAsync("Vega", UserRole.Admin);
        Time.Advance(TimeSpan.FromHours(1));

        var view = await Instance().GetAsync(userId, default);

        Assert.Equal(new AdminUserView(userId, "Vega", UserRole.Admin, UserStatus.Active, VerificationTier.Unverified, registeredAt), view.Value);
    }

    [Fact]
    public async Task Every_operation_on_an_unknown_user_answers_user_not_found_and_writes_nothing()
    {
        var admin = Instance();
        var nobody = Username.UserIdFor("nobody-here");

        Assert.Equal("user-not-found", (await admin.GetAsync(nobody, default)).Error?.Code);
        Assert.Equal("user-not-found", (await admin.SuspendAsync(nobody, "abuse", default)).Error?.Code);
        Assert.Equal("user-not-found", (await admin.ReactivateAsync(nobody, default)).Error?.Code);
        Assert.Equal("user-not-found", (await admin.SetVerificationTierAsync(nobody, VerificationTier.Identity, Admin, default)).Error?.Code);
        Assert.Empty(await Store.Events.ReadStreamAsync(StreamIds.User(nobody), 1, 10));
    }

    [Fact]
    public async Task Suspending_and_reactivating_change_the_status_and_repeating_either_writes_nothing()
    {
        var userId = await RegisterAsync("orion");
        var admin = Instance();

        Assert.Equal(UserStatus.Suspended, (await admin.SuspendAsync(userId, "wash trading", default)).Value.Status);
        Assert.Equal(UserStatus.Suspended, (await admin.SuspendAsync(userId, "again", default)).Value.Status);
        Assert.Equal(UserStatus.Active, (await admin.ReactivateAsync(userId, default)).Value.Status);
        Assert.Equal(UserStatus.Active, (await admin.ReactivateAsync(userId, default)).Value.Status);

        var log = await EventsAsync(userId);
        Assert.Equal([typeof(UserRegistered), typeof(UserSuspended), typeof(UserReactivated)], log.Select(e => e.GetType()));
        Assert.Equal(new UserSuspended("wash trading", Time.GetUtcNow()), log[1]);
    }

    [Fact]
    public async Task A_suspension_without_a_usable_reason_is_refused_and_writes_nothing()
    {
        var userId = await RegisterAsync("lyra");
        var admin = Instance();

        Assert.Equal("invalid-suspension-reason", (await admin.SuspendAsync(userId, " ", default)).Error?.Code);
        Assert.Equal("invalid-suspension-reason", (await admin.SuspendAsync(userId, new string('x', 501), default)).Error?.Code);
        Assert.Equal(UserStatus.Active, (await admin.GetAsync(userId, default)).Value.Status);
        Assert.Single(await EventsAsync(userId));
    }

    [Fact]
    public async Task Setting_the_tier_records_who_set_it_and_when_and_setting_it_again_writes_nothing()
    {
        var userId = await RegisterAsync("draco");
        var admin = Instance();
        Time.Advance(TimeSpan.FromMinutes(5));

        var view = await admin.SetVerificationTierAsync(userId, VerificationTier.Identity, Admin, default);
        var again = await admin.SetVerificationTierAsync(userId, VerificationTier.Identity, "another-admin", default);

        Assert.Equal(VerificationTier.Identity, view.Value.VerificationTier);
        Assert.Equal(VerificationTier.Identity, again.Value.VerificationTier);
        var changed = Assert.IsType<VerificationTierChanged>(Assert.Single((await EventsAsync(userId)).Skip(1)));
        Assert.Equal(new VerificationTierChanged(VerificationTier.Unverified, VerificationTier.Identity, Admin, Time.GetUtcNow()), changed);
    }

    [Fact]
    public async Task An_instance_that_has_the_user_in_memory_reads_and_decides_on_what_another_instance_wrote()
    {
        var userId = await RegisterAsync("cygnus");
        var first = Instance();
        var second = Instance(); // another app instance on the same store
        Assert.Equal(VerificationTier.Unverified, (await first.GetAsync(userId, default)).Value.VerificationTier); // now cached in first

        await second.SetVerificationTierAsync(userId, VerificationTier.Identity, Admin, default);
        await second.SuspendAsync(userId, "chargeback", default);

        var seen = (await first.GetAsync(userId, default)).Value;
        Assert.Equal((VerificationTier.Identity, UserStatus.Suspended), (seen.VerificationTier, seen.Status));

        // Deciding on its old memory, first would record a second unverified → identity; on the stream it is a no-op.
        await first.SetVerificationTierAsync(userId, VerificationTier.Identity, "another-admin", default);
        var revoked = await first.SetVerificationTierAsync(userId, VerificationTier.Email, "another-admin", default);

        Assert.Equal(VerificationTier.Email, revoked.Value.VerificationTier);
        Assert.Equal(
            [(VerificationTier.Unverified, VerificationTier.Identity), (VerificationTier.Identity, VerificationTier.Email)],
            (await EventsAsync(userId)).OfType<VerificationTierChanged>().Select(e => (e.From, e.To)));
        Assert.Equal(VerificationTier.Email, (await new UserDirectory(Store.Events).GetAsync(userId, default)).Tier);
    }

    private UserAdministration Instance() => new(new UserDirectory(Store.Events), Time);

    private async Task<Guid> RegisterAsync(string username, UserRole role = UserRole.User)
    {
        var command = new RegisterUser(username, "pbkdf2-sha256$1$c2FsdA==$aGFzaA==", role, Time.GetUtcNow());
        var result = await new UserDirectory(Store.Events).Repository.ExecuteAsync(
            StreamIds.User(Username.UserIdFor(username)), state => User.Decide(state, command));
        return result.Value.State.UserId;
    }

    private async Task<List<IUserEvent>> EventsAsync(Guid userId) =>
        [.. (await Store.Events.ReadStreamAsync(StreamIds.User(userId), 1, 100)).Select(e => (IUserEvent)EventTypes.Deserialize(e)!)];
}

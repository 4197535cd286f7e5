using AstraTrade.Application.Eventing;
using AstraTrade.Application.Trading;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.UnitTests.Eventing;

public class StreamIdsTests
{
    private static readonly Guid User = Guid.Parse("0196f7e2-3c41-7d2a-9b1e-5a4c3d2e1f00");

    [Theory]
    [InlineData("daily-2026-11-21")]
    [InlineData("weekly-2026-W47")]
    [InlineData("custom-a-b-c")]
    public void A_tournament_account_names_its_tournament_and_owner_even_with_dashes_in_the_id(string tournamentId)
    {
        var stream = StreamIds.TournamentAccount(tournamentId, User);

        Assert.True(StreamIds.TryParseTournamentAccount(stream, out var id, out var owner));
        Assert.Equal((tournamentId, User), (id, owner));
        Assert.True(StreamIds.TryParseAccount(stream, out owner, out var kind));
        Assert.Equal((User, AccountKind.Tournament), (owner, kind));
        Assert.False(StreamIds.TryParseTournament(stream, out _));
        Assert.Equal(stream, AccountSelector.ForTournament(tournamentId).StreamFor(User));
    }

    [Theory]
    [InlineData("account-tournament-")]
    [InlineData("account-tournament-0196f7e23c417d2a9b1e5a4c3d2e1f00")]
    [InlineData("account-tournament-x0196f7e23c417d2a9b1e5a4c3d2e1f00")]
    [InlineData("account-practice-0196f7e23c417d2a9b1e5a4c3d2e1f00")]
    public void Other_streams_are_not_tournament_accounts(string stream) =>
        Assert.False(StreamIds.TryParseTournamentAccount(stream, out _, out _));

    [Fact]
    public void A_practice_account_is_still_a_practice_account()
    {
        Assert.True(StreamIds.TryParseAccount(StreamIds.PracticeAccount(User), out var owner, out var kind));
        Assert.Equal((User, AccountKind.Practice), (owner, kind));
    }

    [Fact]
    public void A_live_account_is_its_owners_and_live()
    {
        var stream = StreamIds.LiveAccount(User);

        Assert.True(StreamIds.TryParseAccount(stream, out var owner, out var kind));
        Assert.Equal((User, AccountKind.Live), (owner, kind));
        Assert.False(StreamIds.TryParseTournamentAccount(stream, out _, out _));
        Assert.Equal(stream, AccountSelector.Live.StreamFor(User));
    }

    [Theory]
    [InlineData(null, AccountKind.Practice, null)]
    [InlineData("practice", AccountKind.Practice, null)]
    [InlineData("live", AccountKind.Live, null)]
    [InlineData("tournament:daily-2026-11-21", AccountKind.Tournament, "daily-2026-11-21")]
    public void Account_selectors_parse(string? text, AccountKind kind, string? tournamentId)
    {
        Assert.True(AccountSelector.TryParse(text, out var selector, out _));
        Assert.Equal((kind, tournamentId), (selector.Kind, selector.TournamentId));
        Assert.Equal(text ?? "practice", selector.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Live")]
    [InlineData("live:")]
    [InlineData("tournament:")]
    [InlineData("tournament:Daily")]
    [InlineData("tournament:a/b")]
    public void Bad_account_selectors_are_refused_with_a_reason(string text)
    {
        Assert.False(AccountSelector.TryParse(text, out _, out var error));
        Assert.Equal("invalid-account", error!.Code);
    }
}

using System.Buffers.Text;
using System.Text;
using AstraTrade.Application.Users;
using AstraTrade.Domain.Users;
using AstraTrade.Testing;

namespace AstraTrade.Application.UnitTests.Users;

public class AccessTokensTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef");
    private readonly ManualTimeProvider _time = new();
    private readonly AuthOptions _options = new();

    [Fact]
    public void A_token_identifies_its_user_until_it_expires()
    {
        var tokens = new AccessTokens(Key, _options, _time);
        var userId = Guid.NewGuid();
        var (token, expiresAt) = tokens.Issue(userId, "alice", UserRole.Admin);

        Assert.Equal(_time.GetUtcNow().AddMinutes(15), expiresAt);
        var identity = tokens.Validate(token);
        Assert.Equal(userId, identity?.UserId);
        Assert.Equal(UserRole.Admin, identity?.Role);

        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(31)); // past expiry and the 30 s clock skew
        Assert.Null(tokens.Validate(token));
    }

    [Fact]
    public void Another_instance_with_the_same_key_accepts_the_token_and_a_different_key_does_not()
    {
        var (token, _) = new AccessTokens(Key, _options, _time).Issue(Guid.NewGuid(), "alice", UserRole.User);

        Assert.NotNull(new AccessTokens([.. Key], _options, _time).Validate(token));
        Assert.Null(new AccessTokens(Encoding.ASCII.GetBytes("another key that is 32 bytes lon"), _options, _time).Validate(token));
    }

    [Fact]
    public void A_tampered_payload_or_a_downgraded_algorithm_is_refused()
    {
        var tokens = new AccessTokens(Key, _options, _time);
        var (token, _) = tokens.Issue(Guid.NewGuid(), "alice", UserRole.User);
        var parts = token.Split('.');

        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"user\"", "\"admin\"", StringComparison.Ordinal);
        var escalated = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
        Assert.Null(tokens.Validate(escalated));

        var none = Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8);
        Assert.Null(tokens.Validate($"{none}.{parts[1]}."));
        Assert.Null(tokens.Validate($"{none}.{parts[1]}.{parts[2]}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b.c")]
    [InlineData("...")]
    [InlineData("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.!!!.!!!")]
    public void Garbage_is_refused(string token) => Assert.Null(new AccessTokens(Key, _options, _time).Validate(token));

    [Fact]
    public void Tokens_for_another_audience_or_issuer_are_refused()
    {
        var (token, _) = new AccessTokens(Key, new AuthOptions { Audience = "other-app" }, _time).Issue(Guid.NewGuid(), "a", UserRole.User);

        Assert.Null(new AccessTokens(Key, _options, _time).Validate(token));
    }

    [Fact]
    public void Short_keys_are_refused() =>
        Assert.Throws<ArgumentException>(() => new AccessTokens(new byte[31], _options, _time));
}

using AstraTrade.Domain.Users;

namespace AstraTrade.Domain.UnitTests.Users;

public class UsernameTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("Satoshi_Nakamoto-21")]
    [InlineData("9lives")]
    [InlineData("a23456789012345678901234567890")] // 30
    public void Valid_usernames_pass(string username) => Assert.Null(Username.Validate(username));

    [Theory]
    [InlineData("ab")]
    [InlineData("a234567890123456789012345678901")] // 31
    [InlineData("_leading")]
    [InlineData("-leading")]
    [InlineData("has space")]
    [InlineData("émile")]
    [InlineData("dot.name")]
    [InlineData("")]
    public void Invalid_usernames_are_rejected(string username) => Assert.Equal("invalid-username", Username.Validate(username)?.Code);

    [Fact]
    public void The_user_id_ignores_case_and_differs_between_usernames()
    {
        Assert.Equal(Username.UserIdFor("Alice"), Username.UserIdFor("aLICE"));
        Assert.NotEqual(Username.UserIdFor("alice"), Username.UserIdFor("alice2"));
    }
}

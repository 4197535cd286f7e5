using AstraTrade.Domain.Users;

namespace AstraTrade.Domain.UnitTests.Users;

public class PasswordHasherTests
{
    [Fact]
    public void A_hash_verifies_the_right_password_only_and_records_its_cost()
    {
        var hasher = new PasswordHasher(1_000);

        var encoded = hasher.Hash("correct horse battery");

        Assert.StartsWith("pbkdf2-sha256$1000$", encoded, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("correct horse battery", encoded));
        Assert.False(PasswordHasher.Verify("correct horse batterY", encoded));
    }

    [Fact]
    public void Every_hash_has_its_own_salt()
    {
        var hasher = new PasswordHasher(1_000);

        Assert.NotEqual(hasher.Hash("same password here"), hasher.Hash("same password here"));
    }

    [Fact]
    public void The_hash_is_pbkdf2_hmac_sha256()
    {
        // RFC 7914 §11 test vector for PBKDF2-HMAC-SHA256 ("passwd", "salt", c = 1, dkLen = 64): first 32 bytes.
        var encoded = PasswordHasher.Hash("passwd", "salt"u8.ToArray(), 1);

        Assert.Equal(
            Convert.FromHexString("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"),
            Convert.FromBase64String(encoded.Split('$')[3]));
    }

    [Fact]
    public void The_production_cost_is_at_least_six_hundred_thousand_iterations() =>
        Assert.True(PasswordHasher.ProductionIterations >= 600_000);

    [Fact]
    public void Hashes_below_the_configured_cost_need_a_rehash()
    {
        var old = new PasswordHasher(1_000).Hash("correct horse battery");

        Assert.True(new PasswordHasher(2_000).NeedsRehash(old));
        Assert.False(new PasswordHasher(1_000).NeedsRehash(old));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("pbkdf2-sha256$x$AA==$AA==")]
    [InlineData("pbkdf2-sha256$1000$not base64$AA==")]
    [InlineData("bcrypt$1000$AA==$AA==")]
    public void Malformed_hashes_never_verify(string encoded) => Assert.False(PasswordHasher.Verify("anything at all", encoded));

    [Theory]
    [InlineData("short", "weak-password")]
    [InlineData("exactly12chr", null)]
    public void Passwords_need_twelve_characters(string password, string? code) => Assert.Equal(code, Password.Validate(password)?.Code);
}

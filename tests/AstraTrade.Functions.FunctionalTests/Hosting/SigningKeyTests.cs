using AstraTrade.Application.Users;
using AstraTrade.Functions.Platform;
using Microsoft.Extensions.Logging.Abstractions;

namespace AstraTrade.Functions.FunctionalTests.Hosting;

/// <summary>Where the token signing key comes from (Platform/SigningKey.cs): configured in Azure (a Key Vault reference),
/// created in the data directory standalone.</summary>
public sealed class SigningKeyTests
{
    [Fact]
    public void A_configured_key_is_used_without_touching_the_data_directory()
    {
        var key = new byte[32];
        key[0] = 7;

        var resolved = SigningKey.Resolve(
            new AuthOptions { SigningKey = Convert.ToBase64String(key) },
            () => throw new InvalidOperationException("the data directory was asked for"),
            NullLogger.Instance);

        Assert.Equal(key, resolved);
    }

    [Theory]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/token-signing-key/)", "Key Vault reference the platform could not resolve")]
    [InlineData("not base64!", "is not base64")]
    [InlineData("AAAA", "at least 32 bytes")]
    public void A_bad_configured_key_stops_the_app_with_a_reason(string configured, string reason)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            SigningKey.Resolve(new AuthOptions { SigningKey = configured }, () => Path.GetTempPath(), NullLogger.Instance));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}

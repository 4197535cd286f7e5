using AstraTrade.Application.Users;

namespace AstraTrade.Functions.Platform;

/// <summary>
/// Where the token signing key comes from: configuration (Auth:SigningKey, base64) when set, which every instance of a
/// deployment must share; otherwise, for a standalone single instance, a random key created once and kept in the data
/// directory, so tokens survive restarts without a secret ever living in the repository.
/// </summary>
public static class SigningKey
{
    private const string FileName = "token-signing.key";

    /// <param name="dataDirectory">Asked for only when no key is configured: in Azure the key is a Key Vault reference
    /// and there is no writable data directory.</param>
    public static byte[] Resolve(AuthOptions options, Func<string> dataDirectory, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            byte[] configured;
            try
            {
                configured = Convert.FromBase64String(options.SigningKey);
            }
            catch (FormatException)
            {
                // An unresolved Key Vault reference arrives as its literal text.
                throw new InvalidOperationException(options.SigningKey.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal)
                    ? "Auth:SigningKey is a Key Vault reference the platform could not resolve (does the secret exist, and may the app's identity read it?)."
                    : "Auth:SigningKey is not base64.");
            }

            return configured.Length >= 32
                ? configured
                : throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (base64).");
        }

        var directory = dataDirectory();
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            var temp = path + ".tmp";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                file.Write(key);
                file.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temp, path, overwrite: false);
            logger.LogWarning("Auth:SigningKey is not configured: created a signing key in {Path}. Set Auth:SigningKey when running more than one instance.", path);
        }

        return File.ReadAllBytes(path);
    }
}

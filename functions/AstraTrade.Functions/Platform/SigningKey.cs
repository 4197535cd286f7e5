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

    public static byte[] Resolve(AuthOptions options, string dataDirectory, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            var configured = Convert.FromBase64String(options.SigningKey);
            return configured.Length >= 32
                ? configured
                : throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (base64).");
        }

        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
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

using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Users;

/// <summary>Configuration section "Auth" (DOMAIN.md §4 defaults).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>HMAC-SHA256 key, base64, at least 32 bytes. Every instance must share it for tokens to validate everywhere.
    /// When empty, standalone mode generates one and keeps it in the data directory.</summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = "astratrade";

    public string Audience { get; set; } = "astratrade-app";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>PBKDF2 iterations for new hashes; production keeps the default.</summary>
    public int PasswordIterations { get; set; } = PasswordHasher.ProductionIterations;

    /// <summary>Usernames that receive the admin role when they register (how the first admins exist).</summary>
    public string[] AdminUsernames { get; set; } = [];
}

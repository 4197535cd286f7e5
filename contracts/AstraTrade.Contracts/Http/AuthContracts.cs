namespace AstraTrade.Contracts.Http;

public sealed record RegisterRequest(string Username, string Password);

public sealed record LoginRequest(string Username, string Password);

public sealed record RefreshRequest(string RefreshToken);

public sealed record LogoutRequest(string RefreshToken);

/// <param name="ExpiresIn">Seconds until the access token expires.</param>
public sealed record TokenResponse(Guid UserId, string AccessToken, string RefreshToken, int ExpiresIn, string TokenType);

public sealed record MeResponse(Guid UserId, string Username, string Role, string Status, string VerificationTier, DateTimeOffset CreatedAt);

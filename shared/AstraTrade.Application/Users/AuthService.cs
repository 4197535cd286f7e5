using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Users;

/// <summary>Registration, sign-in and sessions (DOMAIN.md §4).</summary>
public sealed class AuthService(UserDirectory users, AccessTokens accessTokens, RefreshTokens refreshTokens, AuthOptions options, TimeProvider time)
{
    private readonly PasswordHasher _hasher = new(options.PasswordIterations);

    // Verified against when the username does not exist, so both failures cost the same time and look the same.
    private readonly Lazy<string> _decoyHash = new(() => new PasswordHasher(options.PasswordIterations).Hash(Guid.NewGuid().ToString()));

    public async ValueTask<Result<TokenResponse>> RegisterAsync(string username, string password, CancellationToken cancellationToken)
    {
        if ((Username.Validate(username) ?? Password.Validate(password)) is { } invalid)
        {
            return invalid;
        }

        var userId = Username.UserIdFor(username);
        if ((await users.GetAsync(userId, cancellationToken)).IsRegistered)
        {
            return UserErrors.UsernameTaken(username); // fail fast, before paying for the hash; the store still decides races
        }

        var role = options.AdminUsernames.Contains(username, StringComparer.OrdinalIgnoreCase) ? UserRole.Admin : UserRole.User;
        var command = new RegisterUser(username, _hasher.Hash(password), role, time.GetUtcNow());
        var result = await users.Repository.ExecuteAsync(StreamIds.User(userId), state => User.Decide(state, command), cancellationToken);
        return result.IsSuccess ? await IssueAsync(result.Value.State, null, cancellationToken) : result.Error!;
    }

    public async ValueTask<Result<TokenResponse>> LoginAsync(string username, string password, CancellationToken cancellationToken)
    {
        var user = Username.Validate(username) is null ? await users.GetAsync(Username.UserIdFor(username), cancellationToken) : UserState.Unregistered;
        var genuine = PasswordHasher.Verify(password, user.IsRegistered ? user.PasswordHash : _decoyHash.Value);
        if (!user.IsRegistered || !genuine)
        {
            return ApplicationErrors.InvalidCredentials();
        }

        if (_hasher.NeedsRehash(user.PasswordHash))
        {
            var rehash = new RehashPassword(_hasher.Hash(password), time.GetUtcNow());
            await users.Repository.ExecuteAsync(StreamIds.User(user.UserId), state => User.Decide(state, rehash), cancellationToken);
        }

        return await IssueAsync(user, null, cancellationToken);
    }

    public async ValueTask<Result<TokenResponse>> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        if (await refreshTokens.ConsumeAsync(refreshToken, cancellationToken) is not var (userId, familyId))
        {
            return ApplicationErrors.InvalidRefreshToken();
        }

        var user = await users.GetAsync(userId, cancellationToken);
        return user.IsRegistered ? await IssueAsync(user, familyId, cancellationToken) : ApplicationErrors.InvalidRefreshToken();
    }

    public ValueTask LogoutAsync(string refreshToken, CancellationToken cancellationToken) =>
        refreshTokens.RevokeAsync(refreshToken, cancellationToken);

    public async ValueTask<Result<MeResponse>> GetMeAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(userId, cancellationToken);
        return user.IsRegistered
            ? new MeResponse(user.UserId, user.Username, Lower(user.Role), Lower(user.Status), Lower(user.Tier), user.RegisteredAt)
            : UserErrors.UserNotFound();
    }

    private async ValueTask<TokenResponse> IssueAsync(UserState user, Guid? familyId, CancellationToken cancellationToken)
    {
        var (access, expiresAt) = accessTokens.Issue(user.UserId, user.Username, user.Role);
        var refresh = await refreshTokens.IssueAsync(user.UserId, familyId, cancellationToken);
        return new TokenResponse(user.UserId, access, refresh, (int)(expiresAt - time.GetUtcNow()).TotalSeconds, "Bearer");
    }

    private static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}

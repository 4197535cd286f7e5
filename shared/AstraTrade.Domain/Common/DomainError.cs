namespace AstraTrade.Domain.Common;

/// <summary>
/// A rule the command broke. <see cref="Code"/> is stable (kebab-case) and becomes the problem type
/// the API returns, so clients can branch on it; <see cref="Message"/> is for people.
/// </summary>
public sealed record DomainError(string Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}

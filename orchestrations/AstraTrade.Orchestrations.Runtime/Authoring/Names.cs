using System.Buffers;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>The rules for instance ids and the names of workflows, activities and events: 1–100 characters of
/// ASCII letters, digits and <c>.-_:@</c>, so they are safe in stream ids, queue messages and URLs alike.</summary>
internal static class Names
{
    public const int MaxLength = 100;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:@");

    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && !value.AsSpan().ContainsAnyExcept(Allowed);

    public static string Check(string? value, string what) => IsValid(value)
        ? value!
        : throw new ArgumentException($"The {what} '{value}' must be 1–{MaxLength} characters of ASCII letters, digits and .-_:@.", what);
}

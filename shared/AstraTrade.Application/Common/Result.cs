using AstraTrade.Domain.Common;

namespace AstraTrade.Application.Common;

/// <summary>A use case's outcome: a value, or the rule the request broke (which the API turns into a problem detail).</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, DomainError? error)
    {
        _value = value;
        Error = error;
    }

    public DomainError? Error { get; }

    public bool IsSuccess => Error is null;

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"No value: {Error}");

    public static implicit operator Result<T>(T value) => new(value, null);

    /// <summary>For values the implicit conversion cannot take (interfaces).</summary>
    public static Result<T> Success(T value) => new(value, null);

    public static implicit operator Result<T>(DomainError error) => new(default, error);
}

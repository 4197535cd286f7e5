using AstraTrade.Application.Common;

namespace AstraTrade.Functions.Http;

public static class ResultMapping
{
    /// <summary>200 with the value, or the problem for the rule that was broken.</summary>
    public static IResult ToHttp<T>(this Result<T> result) => result.IsSuccess ? TypedResults.Ok(result.Value) : Problems.For(result.Error!);

    public static IResult ToHttp<T>(this Result<T> result, Func<T, IResult> onSuccess) =>
        result.IsSuccess ? onSuccess(result.Value) : Problems.For(result.Error!);
}

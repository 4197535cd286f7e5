using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace AstraTrade.Functions.Http;

/// <summary>Configuration section "RateLimits" (DOMAIN.md §1: 60 orders per minute per user).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public int OrdersPerMinute { get; set; } = 60;

    /// <summary>Sign-up, sign-in and refresh attempts per client address per minute (slows password guessing).</summary>
    public int AuthPerMinute { get; set; } = 20;
}

/// <summary>
/// The rate-limit policies. Limits are per instance (ASP.NET Core's limiter keeps its counters in memory); with N
/// instances a client can reach N times the limit, which the load balancer's affinity keeps rare.
/// </summary>
public static class RateLimiting
{
    public const string Orders = "orders";
    public const string Auth = "auth";

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services, RateLimitOptions limits) =>
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(Orders, context => RateLimitPartition.GetSlidingWindowLimiter(
                context.User.Identity?.IsAuthenticated == true ? context.User.UserId().ToString() : "anonymous",
                _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = limits.OrdersPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    SegmentsPerWindow = 12,
                    QueueLimit = 0,
                }));
            options.AddPolicy(Auth, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.AuthPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.For("rate-limited", $"Too many requests; retry in {seconds} s.").ExecuteAsync(context.HttpContext);
            };
        });
}

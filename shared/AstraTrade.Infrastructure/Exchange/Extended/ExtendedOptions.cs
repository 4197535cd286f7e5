using System.Globalization;
using AstraTrade.Starknet;
using Microsoft.Extensions.Configuration;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>
/// Settings of the Extended adapter (section <c>Extended</c>). API keys belong to users' Extended accounts: each user
/// links theirs (<see cref="ExtendedExchange.LinkAsync"/>), and they are kept in the credential vault, never here.
/// </summary>
public sealed class ExtendedOptions
{
    public const string Section = "Extended";

    /// <summary>The REST base, up to and including /api/v1 (mainnet: https://api.starknet.extended.exchange/api/v1).</summary>
    public Uri BaseUrl { get; set; } = new("https://api.starknet.extended.exchange/api/v1/");

    /// <summary>SN_MAIN or SN_SEPOLIA: the chain in the settlement's signing domain; it must match the BaseUrl's network.</summary>
    public string ChainId { get; set; } = "SN_MAIN";

    /// <summary>Extended's documented REST limit is per IP across all endpoints; this client stays under it.</summary>
    public int RequestsPerMinute { get; set; } = 1000;

    /// <summary>How many requests may go back to back before the limiter spaces them.</summary>
    public int Burst { get; set; } = 10;

    /// <summary>Retries of a request after a transport error or a 429 with Retry-After.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>A Retry-After longer than this is not waited for: the call fails as rate limited.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A market order is an IOC order at the mark moved this much against the trader (its worst price).</summary>
    public decimal MarketSlippage { get; set; } = 0.0075m;

    /// <summary>The most fee an order may pay, as a share of its value (Extended's default taker fee).</summary>
    public decimal MaxFeeRate { get; set; } = 0.0005m;

    /// <summary>How long a resting limit order stays on Extended (DOMAIN.md: limit orders expire after 24 h).</summary>
    public TimeSpan LimitOrderLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The expiry of a market (IOC) order, which matches at once or not at all.</summary>
    public TimeSpan MarketOrderLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Extended requires a User-Agent on every request.</summary>
    public string UserAgent { get; set; } = "AstraTrade/1.0";

    /// <summary>How long one request to Extended may take before it counts as a transport failure (and is retried).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long credentials read from Key Vault are kept in memory (a lifecycle polls an order every few
    /// seconds; an unlink on another instance takes effect here after at most this long).</summary>
    public TimeSpan CredentialCacheLifetime { get; set; } = TimeSpan.FromMinutes(1);

    public ExtendedSigningDomain SigningDomain => ChainId switch
    {
        "SN_MAIN" => ExtendedSigningDomain.Mainnet,
        "SN_SEPOLIA" => ExtendedSigningDomain.Sepolia,
        _ => throw new InvalidOperationException($"Extended:ChainId must be SN_MAIN or SN_SEPOLIA, not '{ChainId}'."),
    };

    /// <summary>Reads the section; a malformed value is named in the error (an API key never is).</summary>
    public static ExtendedOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var options = new ExtendedOptions();
        if (section["BaseUrl"] is { Length: > 0 } baseUrl)
        {
            options.BaseUrl = Uri.TryCreate(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute, out var uri)
                ? uri
                : throw new InvalidOperationException("Extended:BaseUrl is not an absolute URL.");
        }

        options.ChainId = section["ChainId"] is { Length: > 0 } chain ? chain : options.ChainId;
        _ = options.SigningDomain; // fails early on an unknown chain
        options.RequestsPerMinute = Int(section, "RequestsPerMinute", options.RequestsPerMinute);
        options.Burst = Int(section, "Burst", options.Burst);
        options.MaxRetries = Int(section, "MaxRetries", options.MaxRetries);
        options.MarketSlippage = Dec(section, "MarketSlippage", options.MarketSlippage);
        options.MaxFeeRate = Dec(section, "MaxFeeRate", options.MaxFeeRate);
        options.UserAgent = section["UserAgent"] is { Length: > 0 } ua ? ua : options.UserAgent;
        options.RequestTimeout = Time(section, "RequestTimeout", options.RequestTimeout);
        options.CredentialCacheLifetime = Time(section, "CredentialCacheLifetime", options.CredentialCacheLifetime);
        return options;
    }

    private static int Int(IConfigurationSection section, string key, int fallback) => section[key] is not { Length: > 0 } text
        ? fallback
        : int.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"Extended:{key} must be a positive integer.");

    private static decimal Dec(IConfigurationSection section, string key, decimal fallback) => section[key] is not { Length: > 0 } text
        ? fallback
        : decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new InvalidOperationException($"Extended:{key} must be a non-negative number.");

    private static TimeSpan Time(IConfigurationSection section, string key, TimeSpan fallback) => section[key] is not { Length: > 0 } text
        ? fallback
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero
            ? value
            : throw new InvalidOperationException($"Extended:{key} must be a time span such as 00:00:15.");
}

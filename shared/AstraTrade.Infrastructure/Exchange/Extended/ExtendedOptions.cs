using System.Globalization;
using AstraTrade.Starknet;
using Microsoft.Extensions.Configuration;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>
/// Settings of the Extended adapter (section <c>Extended</c>). API keys belong to Extended accounts, so they are set per
/// linked account (<see cref="ExtendedAccountOptions"/>), never once for the app.
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

    /// <summary>Linked accounts by account stream (until linking has its own store).</summary>
    public Dictionary<string, ExtendedAccountOptions> Accounts { get; } = new(StringComparer.Ordinal);

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
        foreach (var account in section.GetSection("Accounts").GetChildren())
        {
            if (!Guid.TryParse(account["UserId"], out var userId) || !uint.TryParse(account["Vault"], CultureInfo.InvariantCulture, out var vault)
                || account["ApiKey"] is not { Length: > 0 } apiKey)
            {
                throw new InvalidOperationException($"Extended:Accounts:{account.Key} needs UserId (a GUID), Vault (a number) and ApiKey.");
            }

            options.Accounts[account.Key] = new ExtendedAccountOptions { UserId = userId, Vault = vault, ApiKey = apiKey };
        }

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
}

/// <summary>One linked Extended account: its owner, its API key and its position (vault) id on the contract.</summary>
public sealed class ExtendedAccountOptions
{
    public Guid UserId { get; set; }

    public string ApiKey { get; set; } = "";

    public uint Vault { get; set; }

    /// <summary>Never shows the API key.</summary>
    public override string ToString() => $"ExtendedAccount(user {UserId}, vault {Vault})";
}

namespace AstraTrade.Functions.Hosting;

/// <summary>
/// The app settings a deployment of the function app in Azure must provide: what the Functions host and this app read
/// there, by the names they read. <c>infra/bicep/modules/functionapp.bicep</c> sets exactly these (a test in
/// tests/AstraTrade.Functions.FunctionalTests/Deployment keeps the two equal), and the adapters bind these names.
/// Connections are identity-based (the app's user-assigned managed identity); secrets are only ever Key Vault references.
/// Standalone runs need none of them (README, "Configuration").
/// </summary>
public static class DeploymentSettings
{
    /// <summary>
    /// The Functions worker runtime of a custom handler. On the Flex Consumption plan it is the app's
    /// <c>functionAppConfig.runtime.name</c>, not a FUNCTIONS_WORKER_RUNTIME app setting (that plan no longer takes it,
    /// nor FUNCTIONS_EXTENSION_VERSION: its host is always 4.x), so it is not in <see cref="All"/>.
    /// </summary>
    public const string WorkerRuntime = "custom";

    /// <summary>The value that makes a <c>{connection}__credential</c> setting use a managed identity.</summary>
    public const string ManagedIdentityCredential = "managedidentity";

    public static readonly IReadOnlyList<DeploymentSetting> All =
    [
        DeploymentSetting.FromDeployment(
            "AzureWebJobsStorage__accountName",
            "The Functions host's storage (keys, timer locks, queue triggers), reached by identity instead of a connection string."),
        DeploymentSetting.Fixed(
            "AzureWebJobsStorage__credential", ManagedIdentityCredential,
            "Makes the host (and the workflow-queue adapter) use a managed identity for AzureWebJobsStorage."),
        DeploymentSetting.FromDeployment(
            "AzureWebJobsStorage__clientId",
            "Which identity: the app's user-assigned one (a system-assigned identity does not exist)."),
        DeploymentSetting.FromDeployment(
            "AzureWebJobsStorage__queueServiceUri",
            "The workflow runtime's queue adapter reaches the queue service (queue " + AppFunctions.WorkflowQueue + ") here."),
        DeploymentSetting.FromDeployment(
            "CosmosDb__accountEndpoint",
            "The Cosmos DB account of the " + AppFunctions.CosmosConnection + " connection: the host's cosmosDBTrigger and the app's Cosmos store both read it."),
        DeploymentSetting.Fixed(
            "CosmosDb__credential", ManagedIdentityCredential,
            "The Cosmos DB connection uses a managed identity (the account has keys disabled)."),
        DeploymentSetting.FromDeployment(
            "CosmosDb__clientId",
            "Which identity the Cosmos DB connection uses: the app's user-assigned one."),
        DeploymentSetting.FromDeployment(
            "EventGrid__TopicEndpoint",
            "Where the integration-event relay publishes CloudEvents (the topic has keys disabled)."),
        DeploymentSetting.FromDeployment(
            "EventGrid__ClientId",
            "Which identity the relay publishes with (it has EventGrid Data Sender on the topic)."),
        DeploymentSetting.KeyVaultReference(
            "Auth__SigningKey",
            "The access-token signing key every instance must share; a Key Vault reference, never the value."),
        DeploymentSetting.ParameterList(
            "Auth__AdminUsernames",
            "Usernames that get the admin role when they register (Auth:AdminUsernames[i]); the list may be empty."),
        DeploymentSetting.Parameter(
            "Starknet__RpcUrl",
            "Starknet JSON-RPC endpoint for wallet sign-in verification; empty means none (operator-registered keys only)."),
        DeploymentSetting.Parameter(
            "Starknet__ChainId",
            "The chain the sign-in challenges name (SN_SEPOLIA or SN_MAIN)."),
        DeploymentSetting.FromDeployment(
            "APPLICATIONINSIGHTS_CONNECTION_STRING",
            "Where the Functions host sends its logs and metrics."),
        DeploymentSetting.FromDeployment(
            "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
            "Telemetry is sent with the app's identity: the Application Insights resource refuses unauthenticated ingestion."),
        DeploymentSetting.OptionalParameter(
            "Starknet__Operator__Address",
            "The operator account that signs every chain write (achievement records, Genesis mints); unset, chain writes wait as starknet-not-configured."),
        DeploymentSetting.KeyVaultReference(
                "Starknet__Operator__PrivateKey",
                "The operator account's Stark key, in a Key Vault secret an operator puts there (never a value, never written by the deployment). "
                + "Set only with the address: an unresolved reference would reach the app as text, and half an account stops it at start.")
            .OnlyWith("Starknet__Operator__Address"),
        DeploymentSetting.OptionalParameter(
            "Starknet__Contracts__Achievements",
            "The achievements contract the operator records unlocks on; unset, those writes wait as starknet-not-configured."),
        DeploymentSetting.OptionalParameter(
            "Starknet__Contracts__Genesis",
            "The Genesis NFT contract the operator mints on; unset, mints wait as starknet-not-configured."),
        DeploymentSetting.OptionalParameter(
            "Extended__BaseUrl",
            "Extended's REST base (up to /api/v1): live trading is on only where it is set."),
        DeploymentSetting.Parameter(
                "Extended__ChainId",
                "The chain of Extended's settlement signatures (SN_SEPOLIA or SN_MAIN); it must be the network of the base URL, so it goes with it.")
            .OnlyWith("Extended__BaseUrl"),
        DeploymentSetting.FromDeployment(
            "KeyVault__Uri",
            "The vault where the app keeps each user's Extended credentials (one secret per user, set, read, deleted and purged at run time): "
            + "a vault of its own, where the app's identity is Key Vault Secrets Officer, apart from the vault of the references above."),
        DeploymentSetting.FromDeployment(
            "KeyVault__ClientId",
            "Which identity the app reaches that vault with: the app's user-assigned one."),
        DeploymentSetting.OptionalParameter(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "The OpenTelemetry exporter's endpoint, set only when the deployment names one."),
        DeploymentSetting.FromDeployment(
            "AZURE_CLIENT_ID",
            "Makes DefaultAzureCredential choose the user-assigned identity."),
    ];
}

/// <summary>Where a deployment setting's value comes from.</summary>
public enum DeploymentSettingSource
{
    /// <summary>Always the same value (<see cref="DeploymentSetting.FixedValue"/>).</summary>
    Fixed,

    /// <summary>From a resource the deployment creates (an endpoint, the identity's client id, ...).</summary>
    Deployment,

    /// <summary>From a deployment parameter (one per environment).</summary>
    Parameter,

    /// <summary>A Key Vault reference (<c>@Microsoft.KeyVault(...)</c>): the value is a secret and lives in Key Vault.</summary>
    KeyVault,
}

/// <summary>One app setting a deployment provides.</summary>
public sealed record DeploymentSetting
{
    private DeploymentSetting(string name, string reason, DeploymentSettingSource source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Name = name;
        Reason = reason;
        Source = source;
    }

    /// <summary>The app setting's name (for a list, its prefix: the settings are <c>{Name}__0</c>, <c>{Name}__1</c>, ...).</summary>
    public string Name { get; }

    /// <summary>Why the deployment sets it.</summary>
    public string Reason { get; }

    public DeploymentSettingSource Source { get; }

    /// <summary>The value, when <see cref="Source"/> is <see cref="DeploymentSettingSource.Fixed"/>.</summary>
    public string? FixedValue { get; private init; }

    /// <summary>Set only when its parameter is not empty (or, with <see cref="SetWith"/>, when that setting's is).</summary>
    public bool Optional { get; private init; }

    /// <summary>
    /// The optional setting this one goes with: it is set exactly when that one is, because without it this one means
    /// nothing or does harm (a Key Vault reference to a secret nobody has put in the vault).
    /// </summary>
    public string? SetWith { get; private init; }

    /// <summary>One setting per element of a list parameter, <c>{Name}__{index}</c>.</summary>
    public bool IsList { get; private init; }

    /// <summary>Its value is a secret (and therefore only ever a Key Vault reference).</summary>
    public bool IsSecret => Source == DeploymentSettingSource.KeyVault;

    /// <summary>The configuration key the app binds (<c>__</c> is the section separator in environment variables).</summary>
    public string ConfigurationKey => Name.Replace("__", ":", StringComparison.Ordinal);

    public static DeploymentSetting Fixed(string name, string value, string reason) =>
        new(name, reason, DeploymentSettingSource.Fixed) { FixedValue = value };

    public static DeploymentSetting FromDeployment(string name, string reason) => new(name, reason, DeploymentSettingSource.Deployment);

    public static DeploymentSetting Parameter(string name, string reason) => new(name, reason, DeploymentSettingSource.Parameter);

    public static DeploymentSetting OptionalParameter(string name, string reason) =>
        new(name, reason, DeploymentSettingSource.Parameter) { Optional = true };

    public static DeploymentSetting ParameterList(string name, string reason) =>
        new(name, reason, DeploymentSettingSource.Parameter) { IsList = true };

    public static DeploymentSetting KeyVaultReference(string name, string reason) => new(name, reason, DeploymentSettingSource.KeyVault);

    /// <summary>This setting, set only when the optional setting <paramref name="other"/> is.</summary>
    public DeploymentSetting OnlyWith(string other)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(other);
        return IsList || Source is not (DeploymentSettingSource.Parameter or DeploymentSettingSource.KeyVault)
            ? throw new InvalidOperationException($"{Name}: only a single parameter or Key Vault reference can go with another setting.")
            : this with { Optional = true, SetWith = other };
    }
}

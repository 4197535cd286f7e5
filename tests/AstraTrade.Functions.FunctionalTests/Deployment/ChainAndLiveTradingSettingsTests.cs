using System.Reflection;
using System.Text.RegularExpressions;
using AstraTrade.Application.Nft.Chain;
using AstraTrade.Functions.Hosting;
using AstraTrade.Functions.Nft;
using AstraTrade.Infrastructure.Exchange.Extended;
using AstraTrade.Infrastructure.Starknet.Operator;
using AstraTrade.Starknet;
using Microsoft.Extensions.Configuration;

namespace AstraTrade.Functions.FunctionalTests.Deployment;

/// <summary>
/// The deployment settings of chain writes (the operator account, the contracts) and of live trading (Extended, the
/// vault of users' credentials): named as the code reads them, set only where an environment gives them, the operator's
/// key only ever a Key Vault reference, and the values in the parameter files ones the app accepts at start.
/// (BicepTemplateTests checks, for these as for every setting, that the template sets them the way they are declared.)
/// </summary>
public sealed partial class ChainAndLiveTradingSettingsTests
{
    private static readonly string OperatorAddress = $"{OperatorOptions.Section}:{nameof(OperatorOptions.Address)}";
    private static readonly string OperatorKey = $"{OperatorOptions.Section}:{nameof(OperatorOptions.PrivateKey)}";
    private static readonly string ExtendedBaseUrl = $"{ExtendedOptions.Section}:{nameof(ExtendedOptions.BaseUrl)}";
    private static readonly string ExtendedChainId = $"{ExtendedOptions.Section}:{nameof(ExtendedOptions.ChainId)}";

    /// <summary>The name the Extended adapter's composition reads the credentials vault from (it has no constant).</summary>
    private const string CredentialsVaultUri = "KeyVault:Uri";

    /// <summary>Extended's REST bases (docs/extended.md) and the network each one settles on.</summary>
    private static readonly Dictionary<string, string> ExtendedNetworks = new(StringComparer.OrdinalIgnoreCase)
    {
        ["https://api.starknet.sepolia.extended.exchange/api/v1"] = "SN_SEPOLIA",
        ["https://api.starknet.extended.exchange/api/v1"] = "SN_MAIN",
    };

    private static BicepFile FunctionApp => InfraFiles.ModuleOf("functionApp");

    [Fact]
    public void The_operator_account_is_set_whole_or_not_at_all_and_its_key_only_as_a_reference_to_a_secret_bicep_never_writes()
    {
        var address = Setting(OperatorAddress);
        var key = Setting(OperatorKey);
        Assert.True(address is { Source: DeploymentSettingSource.Parameter, Optional: true }, "The operator address is an optional parameter.");
        Assert.True(key.IsSecret, "The operator key is a Key Vault reference.");
        Assert.Equal(address.Name, key.SetWith);

        // In the template both sit in the one array chosen by the address being empty.
        var settings = TemplateAppSetting.Read(FunctionApp);
        var addressSetting = Assert.Single(settings, s => s.Name == address.Name);
        var keySetting = Assert.Single(settings, s => s.Name == key.Name);
        Assert.Equal($"empty({addressSetting.Value})", keySetting.Condition);

        // The secret's name is a parameter of main.bicep, handed to the function app and to nothing else: no template
        // writes that secret (a person puts it in the vault), and the key itself is no parameter anywhere.
        var main = InfraFiles.Main;
        var secretName = main.Module("functionApp").Params[BicepTemplateTests.KeyVaultReference(keySetting).Groups["secret"].Value];
        var parameter = main.Parameter(secretName);
        Assert.Equal("string", parameter.Type);
        Assert.False(parameter.IsSecure);
        Assert.Equal(["functionApp"], main.Modules.Where(m => m.Params.Values.Any(v => BicepText.Identifiers(v).Contains(secretName))).Select(m => m.Symbol));
        Assert.DoesNotContain(FunctionApp.Resources, r => r.TypeName.StartsWith("Microsoft.KeyVault/", StringComparison.Ordinal));
        Assert.All(InfraFiles.TemplateFiles.Where(f => f.EndsWith(".bicep", StringComparison.Ordinal)), file =>
            Assert.DoesNotContain(BicepFile.Load(file).Parameters, p =>
                (p.Name.Contains("PrivateKey", StringComparison.OrdinalIgnoreCase) || p.Name.Contains("OperatorKey", StringComparison.OrdinalIgnoreCase))
                && !p.Name.EndsWith("SecretName", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_contract_the_operator_writes_to_has_an_optional_address_setting_under_the_section_the_code_reads()
    {
        var contracts = typeof(ChainContracts).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.NotEmpty(contracts);

        var prefix = NftComposition.ContractsSection + ":";
        var settings = DeploymentSettings.All.Where(s => s.ConfigurationKey.StartsWith(prefix, StringComparison.Ordinal)).ToList();

        // Configuration keys are case-insensitive, and so is the operator's table of contracts.
        Assert.Equal(
            contracts.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal),
            settings.Select(s => s.ConfigurationKey[prefix.Length..].ToUpperInvariant()).Order(StringComparer.Ordinal));
        Assert.All(settings, s => Assert.True(s is { Source: DeploymentSettingSource.Parameter, Optional: true, SetWith: null }, $"{s.Name}: an optional parameter."));
    }

    [Fact]
    public void Live_trading_is_on_only_where_the_base_url_is_set_and_its_chain_id_goes_with_it()
    {
        var baseUrl = Setting(ExtendedBaseUrl);
        var chainId = Setting(ExtendedChainId);
        Assert.True(baseUrl is { Source: DeploymentSettingSource.Parameter, Optional: true, SetWith: null }, "The base URL is an optional parameter.");
        Assert.True(chainId is { Source: DeploymentSettingSource.Parameter }, "The chain id is a parameter.");
        Assert.Equal(baseUrl.Name, chainId.SetWith);

        // Every chain the template allows is one the adapter signs for.
        var main = InfraFiles.Main;
        var chainParameter = FunctionApp.Parameter(Assert.Single(TemplateAppSetting.Read(FunctionApp), s => s.Name == chainId.Name).Value);
        var allowed = main.Parameter(main.Module("functionApp").Params[chainParameter.Name]).Allowed;
        Assert.NotNull(allowed);
        Assert.Equal(ExtendedNetworks.Values.Order(StringComparer.Ordinal), allowed.Select(a => BicepText.StringValue(a)!).Order(StringComparer.Ordinal));
        Assert.All(allowed, chain => _ = new ExtendedOptions { ChainId = BicepText.StringValue(chain)! }.SigningDomain);
    }

    [Fact]
    public void Users_credentials_go_to_a_vault_of_their_own_where_the_app_can_purge_them()
    {
        Assert.Equal(DeploymentSettingSource.Deployment, Setting(CredentialsVaultUri).Source);

        // KeyVault__Uri is the URI of the vault a module of its own creates (the role test checks that module grants the
        // app Key Vault Secrets Officer, and the references' vault only Key Vault Secrets User).
        var main = InfraFiles.Main;
        var uri = Assert.Single(TemplateAppSetting.Read(FunctionApp), s => s.Name == Setting(CredentialsVaultUri).Name).Value;
        var output = OutputReferencePattern().Match(main.Module("functionApp").Params[uri]);
        Assert.True(output.Success, "KeyVault__Uri comes from a module's output.");
        Assert.NotEqual("keyVault", output.Groups["module"].Value);
        var module = InfraFiles.ModuleOf(output.Groups["module"].Value);
        var vault = Assert.Single(module.Resources, r => r.TypeName == "Microsoft.KeyVault/vaults");
        Assert.Equal($"{vault.Symbol}.properties.vaultUri", module.Output(output.Groups["output"].Value));
        Assert.DoesNotContain(module.Resources, r => r.TypeName == "Microsoft.KeyVault/vaults/secrets");

        // RBAC mode; no purge protection, so an unlink purges the user's keys for good.
        Assert.Equal("true", BicepTemplateTests.VaultProperty(vault, "enableRbacAuthorization"));
        Assert.DoesNotContain("enablePurgeProtection", vault.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_parameter_file_gives_chain_and_live_trading_values_the_app_accepts_at_start()
    {
        var main = InfraFiles.Main;
        var passed = main.Module("functionApp").Params;
        var settings = TemplateAppSetting.Read(FunctionApp);
        string MainParameterOf(string configurationKey) => passed[Assert.Single(settings, s => s.Name == Setting(configurationKey).Name).Value];

        var addresses = DeploymentSettings.All
            .Where(s => s.ConfigurationKey == OperatorAddress || s.ConfigurationKey.StartsWith(NftComposition.ContractsSection + ":", StringComparison.Ordinal))
            .Select(s => MainParameterOf(s.ConfigurationKey))
            .ToList();
        var secretName = passed[BicepTemplateTests.KeyVaultReference(Assert.Single(settings, s => s.Name == Setting(OperatorKey).Name)).Groups["secret"].Value];
        var baseUrl = MainParameterOf(ExtendedBaseUrl);
        var chainId = MainParameterOf(ExtendedChainId);

        Assert.All(InfraFiles.ParameterFiles, path =>
        {
            var values = BicepFile.Load(path).Parameters.ToDictionary(p => p.Name, p => BicepText.StringValue(p.Value!));
            string Value(string parameter) => values[parameter] ?? throw new InvalidOperationException($"{path}: {parameter} is not a string literal.");

            // Addresses as OperatorAccount reads them ("0x" hex, a non-zero field element); empty leaves the setting out.
            Assert.All(addresses, parameter =>
                Assert.True(Value(parameter) is "" || (Value(parameter).StartsWith("0x", StringComparison.Ordinal) && Felt.TryParse(Value(parameter), out var felt) && !felt.IsZero), $"{path}: {parameter} is not a \"0x\" hex address."));

            // A secret name, not a key pasted in its place.
            Assert.Matches(SecretNamePattern(), Value(secretName));
            Assert.DoesNotMatch(NumberPattern(), Value(secretName));

            // (dev.bicepparam trades on Extended's testnet, so this runs on at least one file)
            if (Value(baseUrl) is { Length: > 0 } url)
            {
                Assert.True(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps, $"{path}: {baseUrl} is not an https URL.");
                var options = ExtendedOptions.FromConfiguration(new ConfigurationBuilder()
                    .AddInMemoryCollection(new Dictionary<string, string?> { [ExtendedBaseUrl] = url, [ExtendedChainId] = Value(chainId) })
                    .Build());
                Assert.Equal(Value(chainId), options.ChainId);
                if (ExtendedNetworks.TryGetValue(url.TrimEnd('/'), out var network))
                {
                    Assert.True(network == Value(chainId), $"{path}: {url} settles on {network}, not {Value(chainId)}.");
                }
            }
        });
    }

    private static DeploymentSetting Setting(string configurationKey) => Assert.Single(DeploymentSettings.All, s => s.ConfigurationKey == configurationKey);

    [GeneratedRegex(@"^(?<module>\w+)\.outputs\.(?<output>\w+)$")]
    private static partial Regex OutputReferencePattern();

    /// <summary>Key Vault secret names: 1 to 127 letters, digits and dashes.</summary>
    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$")]
    private static partial Regex SecretNamePattern();

    [GeneratedRegex("^(?:0[xX][0-9a-fA-F]+|[0-9]+)$")]
    private static partial Regex NumberPattern();
}

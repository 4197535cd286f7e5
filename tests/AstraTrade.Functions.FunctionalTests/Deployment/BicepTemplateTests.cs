using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AstraTrade.Functions.Hosting;
using AstraTrade.Infrastructure.Starknet.Operator;

namespace AstraTrade.Functions.FunctionalTests.Deployment;

/// <summary>
/// infra/bicep against the code: the app settings the app and the host read, the Cosmos containers, the workflow
/// queue and the Event Grid subscriptions the function declarations need, the roles, and what a Bicep compiler would
/// catch about parameters and module wiring. No Bicep CLI can be installed here, so these tests read the templates'
/// text (BicepText); run `az bicep build` before deploying all the same.
/// </summary>
public sealed partial class BicepTemplateTests
{
    /// <summary>Azure built-in role ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).</summary>
    private static readonly Dictionary<string, string> BuiltInRoles = new()
    {
        ["Storage Blob Data Owner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        ["Storage Queue Data Contributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        ["Storage Table Data Contributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        ["EventGrid Data Sender"] = "d5a91429-5739-47e2-a06b-3470a27159e7",
        ["Key Vault Secrets User"] = "4633458b-17de-408a-b874-0445c86b69e6",
        ["Key Vault Secrets Officer"] = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        ["Monitoring Metrics Publisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
    };

    /// <summary>
    /// Cosmos DB Built-in Data Contributor, a Cosmos data-plane role definition, not an Azure RBAC role
    /// (https://learn.microsoft.com/azure/cosmos-db/nosql/security/reference-data-plane-roles).
    /// </summary>
    private const string CosmosDataContributor = "00000000-0000-0000-0000-000000000002";

    /// <summary>
    /// The roles each module must grant the app's identity: what identity-based AzureWebJobsStorage needs (blob owner,
    /// queue and table contributor; the queue role also serves the workflow queue), sending to the topic, reading the
    /// deployment's secrets (signing key, operator key), managing users' exchange credentials in a vault of their own
    /// (set, get, delete, purge: Secrets Officer, the least built-in role that can), publishing telemetry to an
    /// Application Insights resource that refuses keys.
    /// </summary>
    private static readonly Dictionary<string, string[]> RolesPerModule = new()
    {
        ["storage"] = ["Storage Blob Data Owner", "Storage Queue Data Contributor", "Storage Table Data Contributor"],
        ["eventGrid"] = ["EventGrid Data Sender"],
        ["keyVault"] = ["Key Vault Secrets User"],
        ["exchangeCredentials"] = ["Key Vault Secrets Officer"],
        ["monitoring"] = ["Monitoring Metrics Publisher"],
    };

    private static BicepFile FunctionApp => InfraFiles.ModuleOf("functionApp");

    private static IReadOnlyList<TemplateAppSetting> AppSettings => TemplateAppSetting.Read(FunctionApp);

    [Fact]
    public void Every_deployment_setting_is_set_in_the_function_apps_app_settings_the_way_it_is_declared()
    {
        var module = FunctionApp;
        var settings = TemplateAppSetting.Read(module);
        var moduleParameters = module.Parameters.Select(p => p.Name).ToHashSet();
        var main = InfraFiles.Main;
        var passed = main.Module("functionApp").Params;

        foreach (var expected in DeploymentSettings.All)
        {
            if (expected.IsList)
            {
                var item = Assert.Single(settings, s => s.Name.StartsWith(expected.Name + "__", StringComparison.Ordinal));
                Assert.True(item.Shape == AppSettingShape.PerItem && item.Loop is not null, $"{expected.Name}: one setting per item of a list parameter.");
                var loopVariables = LoopVariablePattern().Match(item.Loop!.Variable);
                Assert.True(loopVariables.Success, $"{expected.Name}: the loop is 'for (item, index) in ...'.");
                Assert.Equal($"{expected.Name}__${{{loopVariables.Groups["index"].Value}}}", item.Name);
                Assert.Equal(loopVariables.Groups["item"].Value, item.Value);
                Assert.Equal("array", module.Parameter(item.Loop.Source).Type);
                Assert.True(main.Parameters.Any(p => p.Name == passed[item.Loop.Source]), $"{expected.Name}: main.bicep passes it from one of its parameters.");
                continue;
            }

            var setting = settings.SingleOrDefault(s => s.Name == expected.Name);
            Assert.True(setting is not null, $"{expected.Name} is not in the app settings of {module.Path}.");
            Assert.True(setting.Shape == (expected.Optional ? AppSettingShape.Conditional : AppSettingShape.Always), $"{expected.Name}: {(expected.Optional ? "set only when its parameter is not empty" : "always set")}, but it is {setting.Shape}.");
            if (expected.Optional)
            {
                // Set exactly when the parameter of the setting that decides (itself, or the one it goes with) is not empty.
                var decider = expected.SetWith is { } with ? DeploymentSettings.All.Single(s => s.Name == with) : expected;
                Assert.True(decider is { Source: DeploymentSettingSource.Parameter, Optional: true, SetWith: null, IsList: false }, $"{expected.Name} goes with {decider.Name}, an optional parameter.");
                Assert.Equal($"empty({settings.Single(s => s.Name == decider.Name).Value})", setting.Condition);
            }

            switch (expected.Source)
            {
                case DeploymentSettingSource.Fixed:
                    Assert.Equal(expected.FixedValue, BicepText.StringValue(setting.Value));
                    break;
                case DeploymentSettingSource.KeyVault:
                    Assert.Matches(KeyVaultReferencePattern(), BicepText.StringValue(setting.Value) ?? "(not a string)");
                    Assert.Subset(moduleParameters, BicepText.Identifiers(setting.Value).ToHashSet());
                    break;
                case DeploymentSettingSource.Parameter:
                    Assert.Contains(setting.Value, moduleParameters);
                    Assert.True(main.Parameters.Any(p => p.Name == passed[setting.Value]), $"{expected.Name}: main.bicep passes it from one of its own parameters, not '{passed[setting.Value]}'.");
                    break;
                case DeploymentSettingSource.Deployment:
                    var identifiers = BicepText.Identifiers(setting.Value);
                    Assert.True(identifiers.Count > 0 && identifiers.IsSubsetOf(moduleParameters), $"{expected.Name}: its value comes from module parameters, not '{setting.Value}'.");
                    Assert.All(identifiers, parameter =>
                    {
                        Assert.Matches(FromDeploymentPattern(), passed[parameter]);
                        Assert.DoesNotContain(main.Parameters, p => p.Name == passed[parameter]);
                    });
                    break;
                default:
                    throw new InvalidOperationException("Unknown source " + expected.Source);
            }
        }
    }

    [Fact]
    public void Every_app_setting_in_the_template_is_a_deployment_setting_and_none_is_set_twice()
    {
        var declared = DeploymentSettings.All.Select(s => s.IsList ? s.Name + "__" : s.Name).ToList();
        var names = AppSettings.Select(s => s.Shape == AppSettingShape.PerItem ? ListPrefix(s.Name) : s.Name).ToList();

        Assert.Equal(declared.Count, declared.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Empty(names.Except(declared, StringComparer.Ordinal));
        Assert.DoesNotContain(names, n => n is "FUNCTIONS_WORKER_RUNTIME" or "FUNCTIONS_EXTENSION_VERSION" or "AzureWebJobsStorage");
    }

    [Fact]
    public void The_secrets_are_the_signing_key_and_the_operator_key_each_a_key_vault_reference_into_the_vault_the_app_reads()
    {
        var secrets = DeploymentSettings.All.Where(s => s.IsSecret).Select(s => s.ConfigurationKey).Order(StringComparer.Ordinal);
        Assert.Equal(["Auth:SigningKey", $"{OperatorOptions.Section}:{nameof(OperatorOptions.PrivateKey)}"], secrets);

        // Every reference names the vault the Key Vault module creates, where the app has Key Vault Secrets User.
        var main = InfraFiles.Main;
        var passed = main.Module("functionApp").Params;
        var keyVault = InfraFiles.ModuleOf("keyVault");
        var vault = Assert.Single(keyVault.Resources, r => r.TypeName == "Microsoft.KeyVault/vaults");
        Assert.Equal($"{vault.Symbol}.name", keyVault.Output("name"));
        Assert.All(DeploymentSettings.All.Where(s => s.IsSecret), secret =>
        {
            var reference = KeyVaultReference(Assert.Single(AppSettings, s => s.Name == secret.Name));
            Assert.Equal("keyVault.outputs.name", passed[reference.Groups["vault"].Value]);
        });

        // The signing key's secret is the one the module writes (when given a value).
        var signingKey = KeyVaultReference(Assert.Single(AppSettings, s => s.Name == "Auth__SigningKey"));
        Assert.Equal(main.Module("keyVault").Params["signingKeySecretName"], passed[signingKey.Groups["secret"].Value]);
        var secretResource = Assert.Single(keyVault.Resources, r => r.TypeName == "Microsoft.KeyVault/vaults/secrets");
        Assert.Equal("signingKeySecretName", BicepText.Property(secretResource.Body, "name"));

        // RBAC mode, and the app resolves references with its user-assigned identity.
        Assert.Equal("true", VaultProperty(vault, "enableRbacAuthorization"));
        var site = Assert.Single(FunctionApp.Resources, r => r.TypeName == "Microsoft.Web/sites");
        Assert.Equal("identityId", BicepText.Property(site.Body, "properties", "keyVaultReferenceIdentity"));
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__accountName", "Microsoft.Storage/storageAccounts", "name")]
    [InlineData("AzureWebJobsStorage__queueServiceUri", "Microsoft.Storage/storageAccounts", "properties.primaryEndpoints.queue")]
    [InlineData("CosmosDb__accountEndpoint", "Microsoft.DocumentDB/databaseAccounts", "properties.documentEndpoint")]
    [InlineData("EventGrid__TopicEndpoint", "Microsoft.EventGrid/topics", "properties.endpoint")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "Microsoft.Insights/components", "properties.ConnectionString")]
    [InlineData("AzureWebJobsStorage__clientId", "Microsoft.ManagedIdentity/userAssignedIdentities", "properties.clientId")]
    [InlineData("CosmosDb__clientId", "Microsoft.ManagedIdentity/userAssignedIdentities", "properties.clientId")]
    [InlineData("EventGrid__ClientId", "Microsoft.ManagedIdentity/userAssignedIdentities", "properties.clientId")]
    [InlineData("AZURE_CLIENT_ID", "Microsoft.ManagedIdentity/userAssignedIdentities", "properties.clientId")]
    [InlineData("KeyVault__Uri", "Microsoft.KeyVault/vaults", "properties.vaultUri")]
    [InlineData("KeyVault__ClientId", "Microsoft.ManagedIdentity/userAssignedIdentities", "properties.clientId")]
    public void A_setting_from_the_deployment_is_the_property_of_the_resource_it_names(string name, string resourceType, string property)
    {
        // functionapp.bicep sets it from a parameter, main.bicep passes that parameter from a module's output, and that
        // output is the property of the module's resource.
        var parameter = Assert.Single(AppSettings, s => s.Name == name).Value;
        var argument = OutputReferencePattern().Match(InfraFiles.Main.Module("functionApp").Params[parameter]);
        Assert.True(argument.Success, $"{name}: main.bicep passes '{parameter}' from a module output.");

        var module = InfraFiles.ModuleOf(argument.Groups["module"].Value);
        var resource = Assert.Single(module.Resources, r => r.TypeName == resourceType && !r.Existing);
        Assert.Equal($"{resource.Symbol}.{property}", module.Output(argument.Groups["output"].Value));
    }

    [Fact]
    public void The_app_runs_as_the_identity_its_settings_name_and_the_roles_are_granted_to()
    {
        var main = InfraFiles.Main;
        var identity = InfraFiles.ModuleOf("identity");
        var resource = Assert.Single(identity.Resources, r => r.TypeName == "Microsoft.ManagedIdentity/userAssignedIdentities");
        Assert.Equal($"{resource.Symbol}.id", identity.Output("id"));
        Assert.Equal($"{resource.Symbol}.properties.principalId", identity.Output("principalId"));

        var passed = main.Module("functionApp").Params;
        Assert.Equal("identity.outputs.id", passed["identityId"]);
        var site = Assert.Single(FunctionApp.Resources, r => r.TypeName == "Microsoft.Web/sites");
        Assert.Equal("'UserAssigned'", BicepText.Property(site.Body, "identity", "type"));
        Assert.Equal(new[] { "${identityId}" }, BicepText.Properties(BicepText.Property(site.Body, "identity", "userAssignedIdentities")!).Select(p => p.Key));
        Assert.Equal("'ClientId=${identityClientId};Authorization=AAD'", Assert.Single(AppSettings, s => s.Name == "APPLICATIONINSIGHTS_AUTHENTICATION_STRING").Value);

        Assert.All(RolesPerModule.Keys.Append("cosmos"), module => Assert.Equal("identity.outputs.principalId", main.Module(module).Params["principalId"]));
    }

    [Fact]
    public void The_function_app_is_a_linux_custom_handler_on_the_flex_consumption_plan()
    {
        var module = FunctionApp;
        var plan = Assert.Single(module.Resources, r => r.TypeName == "Microsoft.Web/serverfarms");
        Assert.Equal("'FlexConsumption'", BicepText.Property(plan.Body, "sku", "tier"));
        Assert.Equal("'FC1'", BicepText.Property(plan.Body, "sku", "name"));
        Assert.Equal("true", BicepText.Property(plan.Body, "properties", "reserved"));

        var site = Assert.Single(module.Resources, r => r.TypeName == "Microsoft.Web/sites");
        Assert.Equal("'functionapp,linux'", BicepText.Property(site.Body, "kind"));
        Assert.Equal($"{plan.Symbol}.id", BicepText.Property(site.Body, "properties", "serverFarmId"));
        Assert.Equal(DeploymentSettings.WorkerRuntime, BicepText.StringValue(BicepText.Property(site.Body, "properties", "functionAppConfig", "runtime", "name")!));

        // Deployments go to a blob container of the storage account, written with the identity (shared keys are off).
        var deployment = BicepText.Property(site.Body, "properties", "functionAppConfig", "deployment", "storage")!;
        Assert.Equal("'UserAssignedIdentity'", BicepText.Property(deployment, "authentication", "type"));
        Assert.Equal("identityId", BicepText.Property(deployment, "authentication", "userAssignedIdentityResourceId"));
        var storage = InfraFiles.ModuleOf("storage");
        var account = Assert.Single(storage.Resources, r => r.TypeName == "Microsoft.Storage/storageAccounts");
        Assert.Equal("false", BicepText.Property(account.Body, "properties", "allowSharedKeyAccess"));
    }

    [Fact]
    public void Cosmos_containers_json_has_the_database_and_containers_the_feed_functions_use_and_bicep_creates_them_all()
    {
        var json = JsonNode.Parse(File.ReadAllText(InfraFiles.CosmosContainersJson))!.AsObject();
        var containers = json["containers"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var names = containers.Select(c => (string)c["name"]!).ToList();

        Assert.Equal(AppFunctions.CosmosDatabase, (string?)json["database"]);
        Assert.Contains(AppFunctions.EventsContainer, names);
        Assert.Contains(AppFunctions.LeaseContainer, names);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(AppFunctions.Feeds, feed =>
        {
            Assert.Equal(AppFunctions.CosmosDatabase, feed.DatabaseName);
            Assert.Contains(feed.ContainerName, names);
            Assert.Contains(feed.LeaseContainerName, names);
        });

        // The change-feed processor requires its lease container to be partitioned on /id.
        var leases = containers.Single(c => (string)c["name"]! == AppFunctions.LeaseContainer);
        Assert.Equal("/id", (string?)leases["partitionKeyPath"]);
        Assert.All(containers, c => Assert.StartsWith("/", (string?)c["partitionKeyPath"]));

        // cosmos.bicep loads this very file and makes the database and one container per entry.
        var cosmos = InfraFiles.ModuleOf("cosmos");
        var load = LoadJsonPattern().Match(cosmos.Text);
        Assert.True(load.Success, "cosmos.bicep loads the containers with loadJsonContent.");
        Assert.Equal(Path.GetFullPath(InfraFiles.CosmosContainersJson), Path.GetFullPath(Path.Combine(cosmos.Directory, load.Groups["path"].Value)));
        var config = load.Groups["variable"].Value;
        var database = Assert.Single(cosmos.Resources, r => r.TypeName == "Microsoft.DocumentDB/databaseAccounts/sqlDatabases");
        Assert.Equal($"{config}.database", BicepText.Property(database.Body, "name"));
        var containerResource = Assert.Single(cosmos.Resources, r => r.TypeName == "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");
        Assert.Equal($"{config}.containers", containerResource.Loop?.Source);
        Assert.Equal($"{containerResource.Loop!.Variable}.name", BicepText.Property(containerResource.Body, "name"));

        // Every property an entry has is one the module passes on: a new one in the JSON needs a line in cosmos.bicep.
        var definition = containerResource.Loop.Variable;
        var handled = new HashSet<string>(["name", "partitionKeyPath", "indexingPolicy"], StringComparer.Ordinal);
        handled.UnionWith(OptionalPropertyPattern().Matches(containerResource.Body).Where(m => m.Groups["variable"].Value == definition).Select(m => m.Groups["property"].Value));
        // ("$"-prefixed keys are comments for readers of the JSON, as "$comment" in JSON Schema; nothing reads them.)
        Assert.All(containers, c => Assert.Empty(c.Select(p => p.Key).Where(k => !k.StartsWith('$')).Except(handled)));
        Assert.All(handled, property => Assert.Matches($@"(?:(?<![\w.]){definition}|any\({definition}\))\.{property}\b", containerResource.Body));
    }

    [Fact]
    public void The_workflow_queue_and_its_poison_queue_are_created_with_the_names_the_queue_functions_read()
    {
        var main = InfraFiles.Main;
        Assert.Equal(AppFunctions.WorkflowQueue, InfraFiles.EvaluateString(main, main.Variable("workflowQueueName")));

        var created = BicepText.Items(main.Module("storage").Params["queueNames"]).Select(q => InfraFiles.EvaluateString(main, q)).ToList();
        Assert.Contains(AppFunctions.WorkflowQueue + "-poison", created);
        Assert.All(AppFunctions.Queues, queue =>
        {
            Assert.Contains(queue.QueueName, created);
            Assert.Equal(AppFunctions.StorageConnection, queue.Connection);
        });

        var storage = InfraFiles.ModuleOf("storage");
        var queues = Assert.Single(storage.Resources, r => r.TypeName == "Microsoft.Storage/storageAccounts/queueServices/queues");
        Assert.Equal("queueNames", queues.Loop?.Source);
        Assert.Equal(queues.Loop!.Variable, BicepText.Property(queues.Body, "name"));
        Assert.Contains(DeploymentSettings.All, s => s.Name == AppFunctions.StorageConnection + "__queueServiceUri");
    }

    [Fact]
    public void Every_event_grid_trigger_function_has_an_event_subscription_delivering_cloud_events_to_it()
    {
        var main = InfraFiles.Main;
        var declared = AppFunctions.All.OfType<EventGridFunction>().Select(f => f.Name).Order(StringComparer.Ordinal);
        var subscribed = BicepText.StringItems(main.Variable("eventGridTriggerFunctions")).Order(StringComparer.Ordinal);
        Assert.Equal(declared, subscribed);

        var module = main.Module("eventSubscriptions");
        Assert.Equal("eventGridTriggerFunctions", module.Params["functionNames"]);
        Assert.Equal("functionApp.outputs.name", module.Params["functionAppName"]);
        Assert.Equal("eventGrid.outputs.name", module.Params["topicName"]);

        var subscriptions = BicepFile.Load(module.File);
        var subscription = Assert.Single(subscriptions.Resources, r => r.TypeName == "Microsoft.EventGrid/topics/eventSubscriptions");
        Assert.Equal("functionNames", subscription.Loop?.Source);
        var function = subscription.Loop!.Variable;
        Assert.Equal("'CloudEventSchemaV1_0'", BicepText.Property(subscription.Body, "properties", "eventDeliverySchema"));
        Assert.Equal("'AzureFunction'", BicepText.Property(subscription.Body, "properties", "destination", "endpointType"));
        var target = BicepText.StringValue(BicepText.Property(subscription.Body, "properties", "destination", "properties", "resourceId")!);
        var app = Assert.Single(subscriptions.Resources, r => r.TypeName == "Microsoft.Web/sites" && r.Existing);
        Assert.Equal($"${{{app.Symbol}.id}}/functions/${{{function}}}", target);
        Assert.Equal("functionAppName", BicepText.Property(app.Body, "name"));
    }

    [Fact]
    public void The_topic_takes_cloud_events_with_keys_disabled()
    {
        var eventGrid = InfraFiles.ModuleOf("eventGrid");
        var topic = Assert.Single(eventGrid.Resources, r => r.TypeName == "Microsoft.EventGrid/topics");
        Assert.Equal("'CloudEventSchemaV1_0'", BicepText.Property(topic.Body, "properties", "inputSchema"));
        Assert.Equal("true", BicepText.Property(topic.Body, "properties", "disableLocalAuth"));

        var cosmos = InfraFiles.ModuleOf("cosmos");
        var account = Assert.Single(cosmos.Resources, r => r.TypeName == "Microsoft.DocumentDB/databaseAccounts");
        Assert.Equal("true", BicepText.Property(account.Body, "properties", "disableLocalAuth"));
    }

    [Fact]
    public void Role_assignments_grant_the_built_in_roles_each_resource_needs_and_nothing_else()
    {
        var main = InfraFiles.Main;
        foreach (var (symbol, roles) in RolesPerModule)
        {
            var module = BicepFile.Load(main.Module(symbol).File);
            var granted = module.Resources
                .Where(r => r.TypeName == "Microsoft.Authorization/roleAssignments")
                .SelectMany(r => GrantedRoles(module, r))
                .ToList();
            Assert.Equal(roles.Select(role => BuiltInRoles[role]).Order(StringComparer.Ordinal), granted.Order(StringComparer.Ordinal));
        }

        var cosmos = InfraFiles.ModuleOf("cosmos");
        var assignment = Assert.Single(cosmos.Resources, r => r.TypeName == "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments");
        var account = Assert.Single(cosmos.Resources, r => r.TypeName == "Microsoft.DocumentDB/databaseAccounts");
        var definition = SqlRoleDefinitionPattern().Match(BicepText.StringValue(BicepText.Property(assignment.Body, "properties", "roleDefinitionId")!) ?? "");
        Assert.True(definition.Success, "The Cosmos role assignment names a built-in sqlRoleDefinition of its account.");
        Assert.Equal(account.Symbol, definition.Groups["account"].Value);
        Assert.Equal(CosmosDataContributor, ResolveString(cosmos, definition.Groups["role"].Value));
        Assert.Equal("principalId", BicepText.Property(assignment.Body, "properties", "principalId"));
        Assert.Equal($"{account.Symbol}.id", BicepText.Property(assignment.Body, "properties", "scope"));
    }

    [Fact]
    public void Every_guid_in_the_templates_is_a_known_built_in_role()
    {
        var known = BuiltInRoles.Values.Append(CosmosDataContributor).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(InfraFiles.TemplateFiles, file =>
            Assert.All(GuidPattern().Matches(File.ReadAllText(file)).Select(m => m.Value), guid => Assert.Contains(guid, known)));
    }

    [Fact]
    public void No_template_or_parameter_file_holds_a_secret_looking_literal_or_reads_keys()
    {
        string[] forbidden = ["AccountKey=", "SharedAccessKey=", "SharedAccessSignature=", "InstrumentationKey=", "listKeys(", "listConnectionStrings(", "listSecrets("];
        Assert.All(InfraFiles.TemplateFiles, file =>
        {
            var text = File.ReadAllText(file);
            Assert.All(forbidden, token => Assert.DoesNotContain(token, text, StringComparison.OrdinalIgnoreCase));
            Assert.Empty(LooksLikeBase64Secrets(text));
        });

        // A secure parameter is never an output, anywhere.
        Assert.All(InfraFiles.TemplateFiles.Where(f => f.EndsWith(".bicep", StringComparison.Ordinal)), file =>
        {
            var bicep = BicepFile.Load(file);
            var secure = bicep.Parameters.Where(p => p.IsSecure).Select(p => p.Name).ToHashSet();
            Assert.All(bicep.OutputNames, output => Assert.Empty(BicepText.Identifiers(bicep.Output(output)).Intersect(secure)));
        });
    }

    [Fact]
    public void Every_parameter_file_uses_main_and_sets_every_required_parameter_with_a_value_of_its_type()
    {
        var main = InfraFiles.Main;
        var parameters = main.Parameters.ToDictionary(p => p.Name);
        var required = parameters.Values.Where(p => p.Value is null).Select(p => p.Name).ToList();
        Assert.NotEmpty(required);
        Assert.Contains(InfraFiles.ParameterFiles, f => Path.GetFileName(f) == "dev.bicepparam");
        Assert.Contains(InfraFiles.ParameterFiles, f => Path.GetFileName(f) == "prod.bicepparam");

        Assert.All(InfraFiles.ParameterFiles, path =>
        {
            var file = BicepFile.Load(path);
            Assert.Equal(main.Path, file.Using());
            var set = file.Parameters.ToDictionary(p => p.Name, p => p.Value!);
            Assert.Empty(required.Except(set.Keys));
            Assert.Empty(set.Keys.Except(parameters.Keys));
            foreach (var (name, value) in set)
            {
                var declared = parameters[name];
                if (declared.IsSecure)
                {
                    Assert.True(value.StartsWith("readEnvironmentVariable(", StringComparison.Ordinal), $"{path}: the secure parameter {name} is read from the environment, never written.");
                    continue;
                }

                AssertOfType(path, declared, value);
            }
        });
    }

    [Fact]
    public void Main_passes_every_module_its_required_parameters_only_declared_ones_and_reads_only_declared_outputs()
    {
        var main = InfraFiles.Main;
        Assert.All(main.Modules, module =>
        {
            Assert.True(File.Exists(module.File), module.File);
            var declared = BicepFile.Load(module.File).Parameters;
            var passed = module.Params.Keys.ToList();
            Assert.Empty(declared.Where(p => p.Value is null).Select(p => p.Name).Except(passed));
            Assert.Empty(passed.Except(declared.Select(p => p.Name)));
        });

        var outputs = main.Modules.ToDictionary(m => m.Symbol, m => BicepFile.Load(m.File).OutputNames);
        Assert.All(OutputReferenceInTextPattern().Matches(main.Text), reference =>
        {
            Assert.True(outputs.ContainsKey(reference.Groups["module"].Value), "No module " + reference.Value);
            Assert.Contains(reference.Groups["output"].Value, outputs[reference.Groups["module"].Value]);
        });

        Assert.Superset(new HashSet<string>(["functionAppName", "functionAppHostName", "cosmosEndpoint", "eventGridTopicEndpoint", "identityClientId"]), main.OutputNames.ToHashSet());
    }

    /// <summary>Runs of 40+ base64 characters that mix digits, upper and lower case: keys look like that, names and paths do not.</summary>
    internal static IReadOnlyList<string> LooksLikeBase64Secrets(string text) =>
        [.. Base64RunPattern().Matches(text).Select(m => m.Value).Where(run => run.Any(char.IsAsciiDigit) && run.Any(char.IsAsciiLetterUpper) && run.Any(char.IsAsciiLetterLower))];

    private static IEnumerable<string> GrantedRoles(BicepFile module, BicepResource assignment)
    {
        Assert.Equal("principalId", BicepText.Property(assignment.Body, "properties", "principalId"));
        Assert.Equal("'ServicePrincipal'", BicepText.Property(assignment.Body, "properties", "principalType"));
        Assert.Contains(BicepText.Property(assignment.Body, "scope"), module.Resources.Select(r => r.Symbol));

        var definition = RoleDefinitionPattern().Match(BicepText.Property(assignment.Body, "properties", "roleDefinitionId") ?? "");
        Assert.True(definition.Success, $"{module.Path}: {assignment.Symbol} uses subscriptionResourceId('Microsoft.Authorization/roleDefinitions', <role id>).");
        var role = definition.Groups["role"].Value;

        // Either one role (a literal or a variable), or a loop over items(<object variable>) using the item's value.
        if (assignment.Loop is { } loop)
        {
            var items = ItemsPattern().Match(loop.Source);
            Assert.True(items.Success && role == loop.Variable + ".value", $"{module.Path}: {assignment.Symbol} loops over items(<roles>) and grants <item>.value.");
            return BicepText.Properties(module.Variable(items.Groups["variable"].Value)).Select(p => BicepText.StringValue(p.Value)!);
        }

        return [ResolveString(module, role)];
    }

    /// <summary>The parts of a setting's <c>@Microsoft.KeyVault(VaultName=${vault};SecretName=${secret})</c> value.</summary>
    internal static Match KeyVaultReference(TemplateAppSetting setting)
    {
        var value = BicepText.StringValue(setting.Value) ?? "(not a string)";
        var reference = KeyVaultReferencePattern().Match(value);
        Assert.True(reference.Success, $"{setting.Name}: {value} is not a Key Vault reference to a vault name and a secret name.");
        return reference;
    }

    /// <summary>A property of a vault's <c>properties</c>, which may be <c>union({ ... }, condition ? { ... } : {})</c>.</summary>
    internal static string? VaultProperty(BicepResource vault, string property)
    {
        var properties = BicepText.Property(vault.Body, "properties")!;
        var union = UnionPattern().Match(properties);
        var firstObject = union.Success ? BicepText.Items("[" + union.Groups["arguments"].Value + "]")[0] : properties;
        return BicepText.Property(firstObject, property);
    }

    private static string ResolveString(BicepFile file, string expression) =>
        BicepText.StringValue(expression) ?? BicepText.StringValue(file.Variable(expression)) ?? throw new InvalidOperationException($"{file.Path}: '{expression}' is not a string.");

    private static void AssertOfType(string path, BicepParameter declared, string value)
    {
        var where = $"{path}: {declared.Name} = {value}";
        switch (declared.Type)
        {
            case "string":
                var text = BicepText.StringValue(value);
                Assert.True(text is not null, where + " is not a string literal.");
                Assert.True(declared.MinLength is not { } minLength || text.Length >= minLength, where + " is shorter than its @minLength.");
                Assert.True(declared.MaxLength is not { } maxLength || text.Length <= maxLength, where + " is longer than its @maxLength.");
                break;
            case "bool":
                Assert.True(value is "true" or "false", where + " is not a bool.");
                break;
            case "int":
                Assert.True(long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number), where + " is not an int.");
                Assert.True(declared.MinValue is not { } min || number >= min, where + " is below its @minValue.");
                Assert.True(declared.MaxValue is not { } max || number <= max, where + " is above its @maxValue.");
                break;
            case "array":
                Assert.True(value.StartsWith('['), where + " is not an array.");
                break;
            case "object":
                Assert.True(value.StartsWith('{'), where + " is not an object.");
                break;
            default:
                throw new InvalidOperationException($"{where}: type {declared.Type} is not checked here.");
        }

        if (declared.Allowed is { } allowed)
        {
            Assert.True(allowed.Contains(value), $"{where} is not one of @allowed({string.Join(", ", allowed)}).");
        }
    }

    private static string ListPrefix(string name) => name[..(name.LastIndexOf("__", StringComparison.Ordinal) + 2)];

    [GeneratedRegex(@"^\((?<item>\w+),\s*(?<index>\w+)\)$")]
    private static partial Regex LoopVariablePattern();

    [GeneratedRegex(@"^@Microsoft\.KeyVault\(VaultName=\$\{(?<vault>\w+)\};SecretName=\$\{(?<secret>\w+)\}\)$")]
    private static partial Regex KeyVaultReferencePattern();

    /// <summary>What main.bicep may pass for a value the deployment makes: a module's output or one of its own variables.</summary>
    [GeneratedRegex(@"^(?:\w+\.outputs\.\w+|[a-z]\w*(?:\.\w+)?)$")]
    private static partial Regex FromDeploymentPattern();

    [GeneratedRegex(@"^(?<module>\w+)\.outputs\.(?<output>\w+)$")]
    private static partial Regex OutputReferencePattern();

    [GeneratedRegex(@"\b(?<module>\w+)\.outputs\.(?<output>\w+)")]
    private static partial Regex OutputReferenceInTextPattern();

    [GeneratedRegex(@"^union\((?<arguments>.*)\)$", RegexOptions.Singleline)]
    private static partial Regex UnionPattern();

    [GeneratedRegex(@"^var\s+(?<variable>\w+)\s*=\s*loadJsonContent\('(?<path>[^']+)'\)", RegexOptions.Multiline)]
    private static partial Regex LoadJsonPattern();

    [GeneratedRegex(@"contains\((?<variable>\w+),\s*'(?<property>\w+)'\)")]
    private static partial Regex OptionalPropertyPattern();

    [GeneratedRegex(@"^subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions',\s*(?<role>[\w.']+)\)$")]
    private static partial Regex RoleDefinitionPattern();

    [GeneratedRegex(@"^\$\{(?<account>\w+)\.id\}/sqlRoleDefinitions/\$\{(?<role>\w+)\}$")]
    private static partial Regex SqlRoleDefinitionPattern();

    [GeneratedRegex(@"^items\((?<variable>\w+)\)$")]
    private static partial Regex ItemsPattern();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"[A-Za-z0-9+/]{40,}={0,2}")]
    private static partial Regex Base64RunPattern();
}

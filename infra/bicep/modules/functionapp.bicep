// The function app: an Azure Functions custom handler (ARCHITECTURE.md §2) on the Flex Consumption plan, Linux.
// Why Flex Consumption, and what it means for this app, is in ../README.md ("Hosting plan").
// On Flex the worker runtime and host version are not app settings (FUNCTIONS_WORKER_RUNTIME and
// FUNCTIONS_EXTENSION_VERSION are among the settings it no longer takes): the runtime is functionAppConfig.runtime
// below, and the host is always 4.x.
// The app settings are exactly functions/AstraTrade.Functions/Hosting/DeploymentSettings.cs (a test keeps them equal).

param name string
param planName string
param location string
param tags object

@description('Resource id and client id of the user-assigned identity the app runs as.')
param identityId string
param identityClientId string

param storageAccountName string
param storageBlobEndpoint string
param storageQueueEndpoint string
param deploymentContainerName string

param cosmosEndpoint string
param eventGridTopicEndpoint string

param keyVaultName string
param signingKeySecretName string

@description('Name of the secret in keyVaultName holding the Stark key of the operator account; referenced only with an operator address.')
param starknetOperatorKeySecretName string

@description('The operator account ("0x" hex address) that signs chain writes; empty: none, chain writes wait.')
param starknetOperatorAddress string

@description('Address of the achievements contract; empty: not set.')
param starknetAchievementsContract string

@description('Address of the Genesis NFT contract; empty: not set.')
param starknetGenesisContract string

@description('REST base of Extended, up to /api/v1; empty: live trading is off.')
param extendedBaseUrl string

@description('SN_SEPOLIA or SN_MAIN: the network of extendedBaseUrl.')
param extendedChainId string

@description('URI of the vault the app keeps the exchange credentials of users in.')
param exchangeCredentialsVaultUri string

param appInsightsConnectionString string

@description('Usernames that get the admin role when they register (may be empty).')
param adminUsernames array

@description('Starknet JSON-RPC endpoint (spec 0.10); empty: only operator-registered account keys can sign in.')
param starknetRpcUrl string

param starknetChainId string

@description('OTLP endpoint for OpenTelemetry traces and metrics; empty: not set.')
param otlpEndpoint string

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('Instances kept warm for the HTTP functions (0: scale to zero, first request pays the cold start).')
param alwaysReadyHttpInstances int

var coreAppSettings = [
  {
    name: 'AzureWebJobsStorage__accountName'
    value: storageAccountName
  }
  {
    name: 'AzureWebJobsStorage__credential'
    value: 'managedidentity'
  }
  {
    name: 'AzureWebJobsStorage__clientId'
    value: identityClientId
  }
  {
    name: 'AzureWebJobsStorage__queueServiceUri'
    value: storageQueueEndpoint
  }
  {
    name: 'CosmosDb__accountEndpoint'
    value: cosmosEndpoint
  }
  {
    name: 'CosmosDb__credential'
    value: 'managedidentity'
  }
  {
    name: 'CosmosDb__clientId'
    value: identityClientId
  }
  {
    name: 'EventGrid__TopicEndpoint'
    value: eventGridTopicEndpoint
  }
  {
    name: 'EventGrid__ClientId'
    value: identityClientId
  }
  {
    name: 'Auth__SigningKey'
    value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${signingKeySecretName})'
  }
  {
    name: 'Starknet__RpcUrl'
    value: starknetRpcUrl
  }
  {
    name: 'Starknet__ChainId'
    value: starknetChainId
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsightsConnectionString
  }
  {
    name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
    value: 'ClientId=${identityClientId};Authorization=AAD'
  }
  {
    name: 'KeyVault__Uri'
    value: exchangeCredentialsVaultUri
  }
  {
    name: 'KeyVault__ClientId'
    value: identityClientId
  }
  {
    name: 'AZURE_CLIENT_ID'
    value: identityClientId
  }
]

// The key's reference only with the address: without its secret in the vault the platform would hand the app the
// reference's text as the key, and an address without a key (or a key without an address) stops the app at start.
var operatorSettings = empty(starknetOperatorAddress) ? [] : [
  {
    name: 'Starknet__Operator__Address'
    value: starknetOperatorAddress
  }
  {
    name: 'Starknet__Operator__PrivateKey'
    value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${starknetOperatorKeySecretName})'
  }
]

// A contract left out makes the writes to it wait (starknet-not-configured); an empty one could read as malformed.
var achievementsContractSettings = empty(starknetAchievementsContract) ? [] : [
  {
    name: 'Starknet__Contracts__Achievements'
    value: starknetAchievementsContract
  }
]

var genesisContractSettings = empty(starknetGenesisContract) ? [] : [
  {
    name: 'Starknet__Contracts__Genesis'
    value: starknetGenesisContract
  }
]

// Live trading is on where the base URL is set; the chain id goes with it (the app defaults it to SN_MAIN otherwise,
// which would sign a testnet URL's orders for mainnet).
var extendedSettings = empty(extendedBaseUrl) ? [] : [
  {
    name: 'Extended__BaseUrl'
    value: extendedBaseUrl
  }
  {
    name: 'Extended__ChainId'
    value: extendedChainId
  }
]

// Configuration binds Auth:AdminUsernames from Auth__AdminUsernames__0, __1, ...
var adminUsernameSettings = [
  for (username, i) in adminUsernames: {
    name: 'Auth__AdminUsernames__${i}'
    value: username
  }
]

var otlpSettings = empty(otlpEndpoint) ? [] : [
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT'
    value: otlpEndpoint
  }
]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with this identity (the app has no system-assigned one).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: concat(
        coreAppSettings,
        adminUsernameSettings,
        operatorSettings,
        achievementsContractSettings,
        genesisContractSettings,
        extendedSettings,
        otlpSettings
      )
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: alwaysReadyHttpInstances > 0 ? [{ name: 'http', instanceCount: alwaysReadyHttpInstances }] : []
      }
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }
}

output name string = functionApp.name
output hostName string = functionApp.properties.defaultHostName

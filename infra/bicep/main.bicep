// The whole Azure deployment of the AstraTrade backend, into one resource group (README.md in this folder: how to
// deploy, and why each choice). Environments differ only by their parameter file in environments/.
// Not compiled on the machine it was written on (no Bicep CLI there): run `az bicep build --file main.bicep` first.

targetScope = 'resourceGroup'

@description('Short environment name, lowercase letters and digits (dev, prod): part of every resource name.')
@minLength(2)
@maxLength(8)
param environmentName string

@description('Short product name, lowercase letters and digits: part of every resource name.')
@minLength(3)
@maxLength(12)
param baseName string = 'astratrade'

@description('Region of every resource; it must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

param tags object = {}

@description('Usernames that get the admin role when they register (Auth:AdminUsernames); may be empty.')
param adminUsernames array

@description('Starknet JSON-RPC endpoint (spec 0.10); empty: only operator-registered account keys can sign in. A URL with an API key in it is a secret: do not put it here.')
param starknetRpcUrl string

@allowed(['SN_SEPOLIA', 'SN_MAIN'])
param starknetChainId string

// Chain writes (docs/nft.md). Empty values leave their settings out, and the writes that need them wait as
// starknet-not-configured until they are set: an environment can run without contracts deployed.
@description('The operator account ("0x" hex address) that signs chain writes; empty: no operator. Its Stark key is never a parameter: it is the Key Vault secret starknetOperatorKeySecretName, put there by a person (README.md, "The operator account").')
param starknetOperatorAddress string

@description('Name of the secret in the Key Vault (keyVaultName output) holding the Stark key of the operator account; referenced only when starknetOperatorAddress is set.')
@minLength(1)
@maxLength(127)
param starknetOperatorKeySecretName string

@description('Address ("0x" hex) of the achievements contract; empty: not set.')
param starknetAchievementsContract string

@description('Address ("0x" hex) of the Genesis NFT contract; empty: not set.')
param starknetGenesisContract string

// Live trading through Extended (README.md, "Live trading").
@description('REST base of Extended, up to /api/v1 (Sepolia: https://api.starknet.sepolia.extended.exchange/api/v1, mainnet: https://api.starknet.extended.exchange/api/v1); empty: live trading is off.')
param extendedBaseUrl string

@description('The network of extendedBaseUrl; set in the app only with it.')
@allowed(['SN_SEPOLIA', 'SN_MAIN'])
param extendedChainId string

@description('OTLP endpoint for OpenTelemetry; empty: OTEL_EXPORTER_OTLP_ENDPOINT is not set.')
param otlpEndpoint string = ''

@description('Cosmos DB serverless (pay per request, single region) or provisioned autoscale.')
param cosmosServerless bool

@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@minValue(0)
param alwaysReadyHttpInstances int

@allowed(['Standard_LRS', 'Standard_ZRS'])
param storageSku string

param keyVaultPurgeProtection bool

@minValue(30)
param logRetentionDays int = 30

@secure()
@description('Token signing key, base64 (at least 32 bytes). Give it once (from an environment variable, see the parameter files); empty keeps the current secret.')
param authSigningKey string = ''

@description('False on the very first deployment of an environment: Event Grid refuses subscriptions to functions that are not published yet.')
param eventSubscriptionsEnabled bool = true

// Must equal AppFunctions.WorkflowQueue (functions/AstraTrade.Functions/Hosting/AppFunctions.cs; a test checks).
var workflowQueueName = 'workflow-work'

// The eventGridTrigger functions of AppFunctions, one Event Grid subscription each. A test fails when this list and
// the declarations differ, so a function added in code cannot go without its subscription.
var eventGridTriggerFunctions = [
  'eventgrid-nft-achievements'
]

var signingKeySecretName = 'auth-signing-key'
var deploymentContainerName = 'deployment-packages'
var deadLetterContainerName = 'eventgrid-deadletters'

var suffix = uniqueString(resourceGroup().id, environmentName)
var names = {
  identity: 'id-${baseName}-${environmentName}'
  logAnalytics: 'log-${baseName}-${environmentName}'
  appInsights: 'appi-${baseName}-${environmentName}'
  storage: take(toLower('st${baseName}${environmentName}${suffix}'), 24)
  cosmos: 'cosmos-${baseName}-${environmentName}-${suffix}'
  eventGridTopic: 'evgt-${baseName}-${environmentName}-${suffix}'
  keyVault: take('kv${baseName}${environmentName}${suffix}', 24)
  exchangeCredentialsVault: take('kvc${baseName}${environmentName}${suffix}', 24)
  plan: 'plan-${baseName}-${environmentName}'
  functionApp: 'func-${baseName}-${environmentName}-${suffix}'
}
var allTags = union(tags, { application: baseName, environment: environmentName })

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    location: location
    tags: allTags
    retentionInDays: logRetentionDays
    principalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: allTags
    sku: storageSku
    queueNames: [workflowQueueName, '${workflowQueueName}-poison']
    deploymentContainerName: deploymentContainerName
    deadLetterContainerName: deadLetterContainerName
    principalId: identity.outputs.principalId
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    accountName: names.cosmos
    location: location
    tags: allTags
    serverless: cosmosServerless
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    principalId: identity.outputs.principalId
  }
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    name: names.eventGridTopic
    location: location
    tags: allTags
    identityId: identity.outputs.id
    principalId: identity.outputs.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: names.keyVault
    location: location
    tags: allTags
    purgeProtection: keyVaultPurgeProtection
    signingKeySecretName: signingKeySecretName
    signingKey: authSigningKey
    principalId: identity.outputs.principalId
  }
}

// Users' exchange credentials, written by the app at run time: a vault apart from the one above (README.md, "Two vaults").
module exchangeCredentials 'modules/exchange-credentials-vault.bicep' = {
  name: 'exchange-credentials-vault'
  params: {
    name: names.exchangeCredentialsVault
    location: location
    tags: allTags
    principalId: identity.outputs.principalId
  }
}

// Its parameters come from the other modules' outputs, so it is deployed after them and their role assignments.
module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: allTags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    deploymentContainerName: deploymentContainerName
    cosmosEndpoint: cosmos.outputs.endpoint
    eventGridTopicEndpoint: eventGrid.outputs.endpoint
    keyVaultName: keyVault.outputs.name
    signingKeySecretName: signingKeySecretName
    starknetOperatorKeySecretName: starknetOperatorKeySecretName
    starknetOperatorAddress: starknetOperatorAddress
    starknetAchievementsContract: starknetAchievementsContract
    starknetGenesisContract: starknetGenesisContract
    extendedBaseUrl: extendedBaseUrl
    extendedChainId: extendedChainId
    exchangeCredentialsVaultUri: exchangeCredentials.outputs.uri
    appInsightsConnectionString: monitoring.outputs.connectionString
    adminUsernames: adminUsernames
    starknetRpcUrl: starknetRpcUrl
    starknetChainId: starknetChainId
    otlpEndpoint: otlpEndpoint
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
  }
}

module eventSubscriptions 'modules/event-subscriptions.bicep' = if (eventSubscriptionsEnabled) {
  name: 'event-subscriptions'
  params: {
    topicName: eventGrid.outputs.name
    functionAppName: functionApp.outputs.name
    functionNames: eventGridTriggerFunctions
    identityId: identity.outputs.id
    deadLetterStorageId: storage.outputs.id
    deadLetterContainerName: deadLetterContainerName
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.hostName
output cosmosEndpoint string = cosmos.outputs.endpoint
output eventGridTopicEndpoint string = eventGrid.outputs.endpoint
output identityClientId string = identity.outputs.clientId
output keyVaultName string = keyVault.outputs.name
output exchangeCredentialsVaultName string = exchangeCredentials.outputs.name
output storageAccountName string = storage.outputs.name

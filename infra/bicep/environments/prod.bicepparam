// Production: one warm instance for the HTTP API, provisioned autoscale Cosmos DB, zone-redundant storage,
// Key Vault purge protection. Set adminUsernames and starknetRpcUrl before the first deployment.
using '../main.bicep'

param environmentName = 'prod'
param adminUsernames = []
param starknetRpcUrl = ''
param starknetChainId = 'SN_MAIN'
param cosmosServerless = false
param cosmosAutoscaleMaxThroughput = 4000
param maximumInstanceCount = 100
param alwaysReadyHttpInstances = 1
param storageSku = 'Standard_ZRS'
param keyVaultPurgeProtection = true
param logRetentionDays = 90

// Never a value here: read at deployment time, empty (unset) keeps the secret already in Key Vault.
param authSigningKey = readEnvironmentVariable('ASTRATRADE_AUTH_SIGNING_KEY', '')

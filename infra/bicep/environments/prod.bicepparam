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

// Chain writes: off until the contracts are deployed on mainnet and the operator account exists; set the address only
// once its key is in Key Vault (README.md, "The operator account"). Empty values leave their settings out.
param starknetOperatorAddress = ''
param starknetOperatorKeySecretName = 'starknet-operator-key'
param starknetAchievementsContract = ''
param starknetGenesisContract = ''

// Live trading with real funds: off until going live is decided; then set
// 'https://api.starknet.extended.exchange/api/v1' here (README.md, "Live trading").
param extendedBaseUrl = ''
param extendedChainId = 'SN_MAIN'

// Never a value here: read at deployment time, empty (unset) keeps the secret already in Key Vault.
param authSigningKey = readEnvironmentVariable('ASTRATRADE_AUTH_SIGNING_KEY', '')

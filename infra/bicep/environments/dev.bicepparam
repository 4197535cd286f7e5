// Development: scales to zero, serverless Cosmos DB, locally redundant storage; cheap when idle, cold on first call.
using '../main.bicep'

param environmentName = 'dev'
param adminUsernames = []
param starknetRpcUrl = ''
param starknetChainId = 'SN_SEPOLIA'
param cosmosServerless = true
param maximumInstanceCount = 40
param alwaysReadyHttpInstances = 0
param storageSku = 'Standard_LRS'
param keyVaultPurgeProtection = false

// Never a value here: read at deployment time, empty (unset) keeps the secret already in Key Vault.
param authSigningKey = readEnvironmentVariable('ASTRATRADE_AUTH_SIGNING_KEY', '')

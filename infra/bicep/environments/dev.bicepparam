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

// Chain writes: off until the contracts are deployed on Sepolia and the operator account exists; set the address only
// once its key is in Key Vault (README.md, "The operator account"). Empty values leave their settings out.
param starknetOperatorAddress = ''
param starknetOperatorKeySecretName = 'starknet-operator-key'
param starknetAchievementsContract = ''
param starknetGenesisContract = ''

// Live trading against Extended's Sepolia testnet (test funds only; README.md, "Live trading").
param extendedBaseUrl = 'https://api.starknet.sepolia.extended.exchange/api/v1'
param extendedChainId = 'SN_SEPOLIA'

// Never a value here: read at deployment time, empty (unset) keeps the secret already in Key Vault.
param authSigningKey = readEnvironmentVariable('ASTRATRADE_AUTH_SIGNING_KEY', '')

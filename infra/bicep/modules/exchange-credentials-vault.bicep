// The Key Vault where the app keeps each user's Extended credentials (API key, Stark key, vault id): one secret per
// user, set, read, deleted and purged by the app at run time through Key Vault's REST API with its identity
// (KeyVault__Uri). Nothing here writes a secret.
// A vault apart from keyvault.bicep's, where the app only reads: writing secrets takes a role on the whole vault (the
// secrets are named at run time), and that role would also let the app overwrite or delete the token signing key and
// the operator's key. Why, and what else differs, is in ../README.md ("Two vaults").

param name string
param location string
param tags object

@description('Object id of the identity that manages the secrets.')
param principalId string

// Built-in role: Key Vault Secrets Officer, the least one that can set, delete and purge secrets (Key Vault Secrets
// User only reads them). It grants nothing on keys, certificates, the vault's settings or its role assignments.
var secretsOfficerRoleId = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    // Soft delete cannot be turned off. Without purge protection the app purges a user's credentials when they unlink,
    // and the shortest retention (fixed when the vault is created) bounds how long a secret it could not purge stays.
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, secretsOfficerRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficerRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri

// Key Vault in RBAC mode holding the deployment's secrets: the access-token signing key, and the operator account's
// Stark key when chain writes are on. The app only reads them, through Key Vault references in its app settings
// (Auth__SigningKey, Starknet__Operator__PrivateKey) that the platform resolves with the app's identity.
// The operator key is put in by a person (../README.md, "The operator account"), never by this template.
// The secret is written only when a value is given (main.bicep reads it from an environment variable at deployment
// time), so a redeployment without one keeps the current key and the tokens it signed.

param name string
param location string
param tags object

@description('Purge protection cannot be turned off again once on: on for production, off for dev.')
param purgeProtection bool

param signingKeySecretName string

@secure()
@description('Base64 HMAC key (at least 32 bytes); empty keeps the secret as it is.')
param signingKey string

@description('Object id of the identity that reads secrets.')
param principalId string

// Built-in role: Key Vault Secrets User.
var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: union(
    {
      tenantId: subscription().tenantId
      sku: {
        family: 'A'
        name: 'standard'
      }
      enableRbacAuthorization: true
      enableSoftDelete: true
      softDeleteRetentionInDays: 90
      publicNetworkAccess: 'Enabled'
    },
    purgeProtection ? { enablePurgeProtection: true } : {}
  )
}

resource signingKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(signingKey)) {
  parent: vault
  name: signingKeySecretName
  properties: {
    value: signingKey
    contentType: 'base64 HMAC-SHA256 key (Auth:SigningKey)'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, secretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name

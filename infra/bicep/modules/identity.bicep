// The one user-assigned identity the function app runs as. Every data-plane role (storage, Cosmos DB, Event Grid,
// Key Vault, Application Insights) is granted to it in the module of the resource it reaches, so no keys exist anywhere.

param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId

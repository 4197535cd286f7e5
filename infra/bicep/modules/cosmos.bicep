// Cosmos DB: the event store, the read-model documents and the change-feed leases. The database and containers come
// from ../cosmos-containers.json, the same file the app's Cosmos adapter embeds, so the two cannot disagree.
// Keys are disabled (disableLocalAuth): the app and the host's cosmosDBTrigger use the managed identity with the
// data-plane role below. The lease container is created here because the triggers are told not to create it.

param accountName string
param location string
param tags object

@description('Serverless (pay per request) or provisioned autoscale throughput shared by the database.')
param serverless bool

@description('Autoscale ceiling in RU/s for the database when not serverless (it scales between 10% and this).')
param autoscaleMaxThroughput int

@description('Object id of the identity that reads and writes data.')
param principalId string

var cosmosConfig = loadJsonContent('../cosmos-containers.json')

// Cosmos DB Built-in Data Contributor: a Cosmos data-plane role (sqlRoleDefinitions), not an Azure RBAC role.
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: serverless ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: cosmosConfig.database
  properties: {
    resource: {
      id: cosmosConfig.database
    }
    options: serverless ? {} : { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } }
  }
}

// Every container of the JSON, with its optional properties passed on only when the JSON has them.
resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [
  for definition in cosmosConfig.containers: {
    parent: database
    name: definition.name
    properties: {
      resource: union(
        {
          id: definition.name
          partitionKey: {
            paths: [definition.partitionKeyPath]
            kind: 'Hash'
            version: 2
          }
          indexingPolicy: definition.indexingPolicy
        },
        contains(definition, 'defaultTtl') ? { defaultTtl: any(definition).defaultTtl } : {},
        contains(definition, 'uniqueKeyPolicy') ? { uniqueKeyPolicy: any(definition).uniqueKeyPolicy } : {}
      )
    }
  }
]

resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(account.id, principalId, dataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
    principalId: principalId
    scope: account.id
  }
}

output endpoint string = account.properties.documentEndpoint

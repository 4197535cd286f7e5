// One Event Grid subscription per eventGridTrigger function of the app (AppFunctions), delivering CloudEvents straight
// to the function (AzureFunction endpoint: Event Grid gets the function's key itself; nothing to configure).
// Event Grid refuses a subscription whose function does not exist yet, so this module is deployed after the code has
// been published at least once (main.bicep: eventSubscriptionsEnabled).

param topicName string
param functionAppName string

@description('Names of the eventGridTrigger functions.')
param functionNames array

@description('Resource id of the identity the topic dead-letters with.')
param identityId string

param deadLetterStorageId string
param deadLetterContainerName string

resource topic 'Microsoft.EventGrid/topics@2022-06-15' existing = {
  name: topicName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// One event per invocation; retried for a day, then kept as a dead letter rather than dropped (consumers
// deduplicate by event id, so a redelivery from the dead letters changes nothing).
resource subscriptions 'Microsoft.EventGrid/topics/eventSubscriptions@2022-06-15' = [
  for functionName in functionNames: {
    parent: topic
    name: replace(functionName, '_', '-')
    properties: {
      eventDeliverySchema: 'CloudEventSchemaV1_0'
      destination: {
        endpointType: 'AzureFunction'
        properties: {
          resourceId: '${functionApp.id}/functions/${functionName}'
          maxEventsPerBatch: 1
          preferredBatchSizeInKilobytes: 64
        }
      }
      retryPolicy: {
        maxDeliveryAttempts: 30
        eventTimeToLiveInMinutes: 1440
      }
      deadLetterWithResourceIdentity: {
        identity: {
          type: 'UserAssigned'
          userAssignedIdentity: identityId
        }
        deadLetterDestination: {
          endpointType: 'StorageBlob'
          properties: {
            resourceId: deadLetterStorageId
            blobContainerName: deadLetterContainerName
          }
        }
      }
    }
  }
]

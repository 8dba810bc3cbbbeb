// The one identity the Function App uses for everything: host storage, Durable task hub, application
// data, Key Vault references, the deployment package and Application Insights ingestion.
// User-assigned (not system-assigned) so its roles exist before the app does: no first-start race.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags for the identity.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId

// Every role the app's user-assigned identity holds, in one file, each at the narrowest scope that works.
// Data-plane roles only: the identity has no management (control-plane) role anywhere.
// Names are guid(scope, identity resource id, role) so a redeploy is idempotent.

@description('Name of the user-assigned identity that receives the roles.')
param identityName string

@description('Host storage account: AzureWebJobsStorage, Durable task hub, deployment package.')
param hostStorageAccountName string

@description('Task-hub account (DurableStorage); the host account\'s name when the task hub shares it.')
param durableStorageAccountName string

@description('Application data account: tables and evidence blobs.')
param dataStorageAccountName string

@description('Key Vault holding the link-signing key.')
param keyVaultName string

@description('Secret the app reads through a Key Vault reference.')
param linkSigningKeySecretName string

@description('Secret holding the OpenID Connect client secret, read by App Service Authentication through a Key Vault reference; empty: no OpenID Connect provider.')
param oidcClientSecretName string = ''

@description('Application Insights component that receives telemetry with Entra ID auth.')
param applicationInsightsName string

// Built-in role definition ids (identical in every Azure cloud).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

// Assignment names use the identity's resource id (known before deployment); the principal id is only
// known at run time.
var principalId = identity.properties.principalId

resource hostStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: hostStorageAccountName
}

resource durableStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: durableStorageAccountName
}

var separateDurableStorage = durableStorageAccountName != hostStorageAccountName

resource dataStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: dataStorageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource linkSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: linkSigningKeySecretName
}

resource oidcClientSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: empty(oidcClientSecretName) ? 'none' : oidcClientSecretName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Host account. The Functions host documents Storage Blob Data Owner for AzureWebJobsStorage (it manages
// lease blobs and containers); the same role covers the Durable provider's lease/large-message blobs and
// the Flex Consumption deployment container.
resource hostBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, identity.id, storageBlobDataOwner)
  scope: hostStorage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
  }
}

// Durable control queues and work-item queue.
resource hostQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, identity.id, storageQueueDataContributor)
  scope: hostStorage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
  }
}

// Durable History and Instances tables.
resource hostTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, identity.id, storageTableDataContributor)
  scope: hostStorage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}

// Task-hub account (durableStorageSeparate): the same three roles the Durable provider needs on the host
// account (lease and large-message blobs, control and work-item queues, History and Instances tables).
resource durableBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (separateDurableStorage) {
  name: guid(durableStorage.id, identity.id, storageBlobDataOwner)
  scope: durableStorage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
  }
}

resource durableQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (separateDurableStorage) {
  name: guid(durableStorage.id, identity.id, storageQueueDataContributor)
  scope: durableStorage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
  }
}

resource durableTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (separateDurableStorage) {
  name: guid(durableStorage.id, identity.id, storageTableDataContributor)
  scope: durableStorage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}

// Data account. Evidence needs read, write, delete and user-delegation keys (short-lived write-only SAS
// with shared keys off): Storage Blob Data Contributor has all of that. Owner would add POSIX ACL and
// ownership changes, which the app never makes.
resource dataBlobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataStorage.id, identity.id, storageBlobDataContributor)
  scope: dataStorage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

// Application tables (applications, vouchers, redemptions, caps, outbox).
resource dataTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataStorage.id, identity.id, storageTableDataContributor)
  scope: dataStorage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}

// VoucherStorage__queueServiceUri is configured, so the app may keep work queues beside its data.
resource dataQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataStorage.id, identity.id, storageQueueDataContributor)
  scope: dataStorage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
  }
}

// Read the one secret the app needs, not every secret in the vault.
resource secretUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(linkSigningKeySecret.id, identity.id, keyVaultSecretsUser)
  scope: linkSigningKeySecret
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

// The OpenID Connect provider's client secret (App Service Authentication resolves OIDC_CLIENT_SECRET with the
// app's Key Vault reference identity), only when that provider is configured.
resource oidcSecretUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(oidcClientSecretName)) {
  name: guid(oidcClientSecret.id, identity.id, keyVaultSecretsUser)
  scope: oidcClientSecret
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

// Telemetry ingestion with Entra ID auth (local auth is off on the component).
resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identity.id, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

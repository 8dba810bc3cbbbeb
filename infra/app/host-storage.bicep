// Storage account of the Functions host: AzureWebJobsStorage (host locks, timers), the Durable task hub
// (connection DurableStorage: control/work-item queues, History/Instances tables, lease and large-message
// blobs) unless the task hub has its own account, and the deployment package container.
// The same module creates that separate task-hub account (durableStorageSeparate; no container then).
// Nothing here is business data; it is kept apart from the evidence account so that task-hub churn never
// shares a throughput budget or a soft-delete/versioning bill with evidence.
// Security settings are literals on purpose: tests/Voucher.Infra.Tests reads them from the compiled template.

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the account.')
param tags object = {}

@description('Blob container that receives the deployment package; empty: none (the task-hub account).')
param deploymentContainerName string = ''

@description('Replication: Standard_ZRS where the region has availability zones (zoneRedundant).')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param skuName string = 'Standard_LRS'

@description('Private endpoints only (vnetEnabled): public network access off.')
param privateNetworkOnly bool = false

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    publicNetworkAccess: privateNetworkOnly ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: privateNetworkOnly ? 'Deny' : 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = if (!empty(deploymentContainerName)) {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob

// Storage account for application data (connection VoucherStorage): Table Storage for state and Blob
// Storage for evidence (invoices, contracts, acceptance reports). Evidence is what a later audit relies
// on, so blob soft delete, container soft delete and versioning are on: an overwrite or a delete by a bug
// or a compromised caller can be undone within the retention window.
// Security settings are literals on purpose: tests/Voucher.Infra.Tests reads them from the compiled template.

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the account.')
param tags object = {}

@description('Replication of the data account. Production evidence deserves zone redundancy where the region offers it.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string = 'Standard_LRS'

@description('Private endpoints only (vnetEnabled): public network access off. Browsers then cannot PUT to an upload SAS; the portal uploads through the app.')
param privateNetworkOnly bool = false

@description('Name of the evidence blob container.')
param evidenceContainerName string = 'evidence'

@description('Name of the container of table exports (the app writes one folder a day; restore reads them).')
param backupContainerName string = 'backups'

@description('Days each table export stays immutable: neither the app nor anyone with data access can change or delete it. The app removes exports older than this (setting Voucher__BackupRetentionDays, the same value).')
@minValue(1)
@maxValue(3650)
param backupRetentionDays int = 35

@description('Days a deleted or overwritten evidence blob can be restored.')
@minValue(7)
@maxValue(365)
param evidenceRetentionDays int = 30

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
  properties: {
    // No CORS rules: the portal uploads evidence through the app (multipart form), never from the browser to
    // this account. The API's upload SAS (PUT .../evidence/{kind}/sas) serves non-browser clients, which need
    // no CORS. A browser client uploading straight here would need a CORS rule for the portal origin only.
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: evidenceRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: evidenceRetentionDays
    }
  }
}

resource evidenceContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: evidenceContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Table exports (the app's daily backup, restore command in infra/README.md). Table Storage has no point-in-time restore,
// so these are the ledger's only way back: a time-based retention policy makes every export write-once for
// backupRetentionDays. Created unlocked (ARM cannot lock it); lock it in production (infra/README.md, Backups).
resource backupContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: backupContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource backupImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2024-01-01' = {
  parent: backupContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: backupRetentionDays
    allowProtectedAppendWrites: false
    allowProtectedAppendWritesAll: false
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output evidenceContainerName string = evidenceContainer.name
output backupContainerName string = backupContainer.name

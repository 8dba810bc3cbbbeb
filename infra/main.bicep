// Voucher: Azure infrastructure for the Shanxi science & technology innovation voucher workflows.
// Subscription scope so azd creates the resource group too. Modules are local (infra/app/); public
// registry modules are not used.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; part of every resource name and of the Durable task hub name.')
param environmentName string

@minLength(1)
@description('Region for all resources. It must offer the Flex Consumption plan.')
param location string

@secure()
@minLength(44)
@description('Base64 HMAC key that signs reviewer, institution and finance links. Set with: azd env set LINK_SIGNING_KEY "$(openssl rand -base64 32)"')
param linkSigningKey string

@description('Client id of the Entra ID app registration used by App Service Authentication. Empty: provider disabled.')
param authClientId string = ''

@minValue(1)
@maxValue(16)
@description('Durable Functions Azure Storage provider partition count (one control queue each). Fixed when the task hub is first created.')
param durablePartitionCount int = 4

@minValue(1)
@maxValue(1000)
@description('Upper bound of Flex Consumption instances.')
param maximumInstanceCount int = 100

@minValue(0)
@maxValue(20)
@description('Always-ready instances for the Durable trigger group; 0 lets the app scale to zero, 1 is recommended for production.')
param durableAlwaysReadyInstances int = 0

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
@description('Replication of the application data and evidence account.')
param dataStorageSku string = 'Standard_LRS'

@description('Days each daily table export is kept and immutable (backup container policy and the app\'s retention).')
@minValue(1)
@maxValue(3650)
param backupRetentionDays int = 35

@description('Turn on Key Vault purge protection (irreversible). Recommended for production.')
param keyVaultPurgeProtection bool = false

var resourceToken = uniqueString(subscription().id, environmentName, location)
var tags = {
  'azd-env-name': environmentName
}
var serviceName = 'functions'
// Task hub names: letters and digits only, 3-45 characters, starting with a letter.
var sanitizedEnvironmentName = replace(replace(replace(replace(toLower(environmentName), '-', ''), '_', ''), '.', ''), ' ', '')
var taskHubName = take('voucher${sanitizedEnvironmentName}', 45)
var functionAppName = 'func-voucher-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}'
var identityName = 'id-voucher-${resourceToken}'
var applicationInsightsName = 'appi-voucher-${resourceToken}'
var hostStorageAccountName = 'stfunc${resourceToken}'
var dataStorageAccountName = 'stdata${resourceToken}'
var keyVaultName = 'kv-${resourceToken}'
var linkSigningKeySecretName = 'link-signing-key'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-voucher-${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module hostStorage 'app/host-storage.bicep' = {
  name: 'host-storage'
  scope: rg
  params: {
    name: hostStorageAccountName
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module dataStorage 'app/data-storage.bicep' = {
  name: 'data-storage'
  scope: rg
  params: {
    name: dataStorageAccountName
    location: location
    tags: tags
    skuName: dataStorageSku
    backupRetentionDays: backupRetentionDays
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: keyVaultName
    location: location
    tags: tags
    linkSigningKey: linkSigningKey
    linkSigningKeySecretName: linkSigningKeySecretName
    enablePurgeProtection: keyVaultPurgeProtection
  }
}

// Names below are computed here, not taken from module outputs, so What-If can predict every resource id;
// dependsOn carries the order instead.
module roles 'app/roles.bicep' = {
  name: 'roles'
  scope: rg
  dependsOn: [
    identity
    hostStorage
    dataStorage
    keyVault
    monitoring
  ]
  params: {
    identityName: identityName
    hostStorageAccountName: hostStorageAccountName
    dataStorageAccountName: dataStorageAccountName
    keyVaultName: keyVaultName
    linkSigningKeySecretName: linkSigningKeySecretName
    applicationInsightsName: applicationInsightsName
  }
}

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  // The host reaches storage and Key Vault on first start: grant the roles before the app exists.
  dependsOn: [
    roles
  ]
  params: {
    name: functionAppName
    planName: 'plan-voucher-${resourceToken}'
    location: location
    tags: tags
    serviceName: serviceName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorageAccountName: hostStorageAccountName
    deploymentContainerName: deploymentContainerName
    dataStorageAccountName: dataStorageAccountName
    applicationInsightsName: applicationInsightsName
    keyVaultName: keyVaultName
    linkSigningKeySecretName: linkSigningKeySecretName
    taskHubName: taskHubName
    durablePartitionCount: durablePartitionCount
    maximumInstanceCount: maximumInstanceCount
    durableAlwaysReadyInstances: durableAlwaysReadyInstances
    authClientId: authClientId
    backupRetentionDays: backupRetentionDays
  }
}

// azd convention: UPPER_SNAKE outputs land in .azure/<env>/.env.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_FUNCTIONS_NAME string = functionApp.outputs.name
output SERVICE_FUNCTIONS_URI string = functionApp.outputs.uri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.endpoint
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
output DURABLE_STORAGE_ACCOUNT_NAME string = hostStorage.outputs.name
output VOUCHER_STORAGE_ACCOUNT_NAME string = dataStorage.outputs.name
output VOUCHER_EVIDENCE_CONTAINER string = dataStorage.outputs.evidenceContainerName
output VOUCHER_BACKUP_CONTAINER string = dataStorage.outputs.backupContainerName
output TASK_HUB_NAME string = taskHubName

// Voucher: Azure infrastructure for the Shanxi science & technology innovation voucher workflows.
// Subscription scope so azd creates the resource group too. Modules are local (infra/app/); public
// registry modules are not used.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; part of every resource name and of the Durable task hub name.')
param environmentName string

// Regions: the Flex Consumption regions of Microsoft's azd quickstart for .NET on Flex Consumption
// (Azure-Samples/functions-quickstart-dotnet-azd, infra/main.bicep, read 2026-12-06), without the canary
// eastus2euap, plus the four regions of Azure operated by 21Vianet, which need hostingPlan ElasticPremium
// (flexConsumptionRegions below fails the deployment early otherwise). The authoritative, current list for a
// subscription: az functionapp list-flexconsumption-locations --runtime dotnet-isolated --runtime-version 10.0
// (or Get-AzFunctionAppFlexConsumptionRuntime -Location <region>); add a region here when it appears there.
@minLength(1)
@description('Region for all resources. With FlexConsumption it must offer Flex Consumption with .NET 10; the China regions need ElasticPremium.')
@allowed([
  'australiaeast'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'northcentralus'
  'northeurope'
  'southcentralus'
  'southeastasia'
  'swedencentral'
  'uksouth'
  'westcentralus'
  'westeurope'
  'westus2'
  'chinaeast2'
  'chinaeast3'
  'chinanorth2'
  'chinanorth3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('dev: throw-away environments (Key Vault purge protection off, so azd down --purge frees its name). prod: purge protection on.')
@allowed([
  'dev'
  'prod'
])
param environmentType string = 'dev'

@description('FlexConsumption (default) or ElasticPremium (EP1) for regions or clouds without Flex Consumption, such as Azure operated by 21Vianet.')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param hostingPlan string = 'FlexConsumption'

@description('Client id of the Entra ID app registration used by App Service Authentication. Empty: no Entra ID sign-in.')
param authClientId string = ''

@description('Issuer of the Entra ID sign-in; empty: this tenant. Entra External ID (the public): https://<tenant>.ciamlogin.com/<tenant id>/v2.0.')
param authIssuer string = ''

@description('Scopes requested from the OpenID Connect provider, space-separated (add phone for a verified phone number).')
param oidcScopes string = 'openid profile'

@description('Another OpenID Connect provider for App Service Authentication: its OpenID configuration document (https://<issuer>/.well-known/openid-configuration). Empty: none.')
param oidcWellKnownUrl string = ''

@description('Client id the OpenID Connect provider issued for this app.')
param oidcClientId string = ''

@secure()
@description('Client secret the OpenID Connect provider issued; written to Key Vault (oidc-client-secret) when given, the stored one kept when empty.')
param oidcClientSecret string = ''

@minValue(1)
@maxValue(16)
@description('Durable Functions Azure Storage provider partition count (one control queue each). Fixed when the task hub is first created.')
param durablePartitionCount int = 4

@minValue(1)
@maxValue(1000)
@description('Upper bound of instances (Flex Consumption up to 1000; Elastic Premium caps it at 100).')
param maximumInstanceCount int = 100

@minValue(0)
@maxValue(20)
@description('Always-ready instances for the Durable trigger group (Flex Consumption); 1, the documented recommendation for Durable Functions, by default; 0 lets the app scale to zero.')
param durableAlwaysReadyInstances int = 1

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
@description('Replication of the application data and evidence account.')
param dataStorageSku string = 'Standard_LRS'

@description('Zone redundancy: host and task-hub accounts ZRS, the plan spread over availability zones. The region must have zones.')
param zoneRedundant bool = false

@description('Days each daily table export is kept and immutable (backup container policy and the app\'s retention).')
@minValue(1)
@maxValue(3650)
param backupRetentionDays int = 35

@description('The Durable task hub in its own storage account instead of the host account.')
param durableStorageSeparate bool = false

@description('Private networking: VNet integration of the app, private endpoints for the storage accounts and Key Vault, their public network access off.')
param vnetEnabled bool = false

@maxLength(4)
@description('Appended to the Key Vault name. Change it to deploy again while a deleted vault of the old name is still soft-deleted (purge protection keeps it for 90 days).')
param keyVaultNameSuffix string = ''

@description('Key Vault that already holds the generated link-signing key (azd output LINK_SIGNING_KEY_VAULT of the last provision). The key is generated and written when this does not name the vault.')
param linkSigningKeyVault string = ''

@secure()
@description('Link-signing key material, generated per deployment; used only when the key is written (see linkSigningKeyVault).')
param linkSigningKeySeed string = '${newGuid()}${newGuid()}'

@minValue(-1)
@description('Daily ingestion cap of the Log Analytics workspace in GB (-1: none).')
param logDailyCapGb int = 1

@description('E-mail address of the operations team that receives alerts. Empty: alerts fire without a receiver.')
param alertEmail string = ''

// Where Flex Consumption with .NET 10 is offered (the public-cloud part of the location list above).
var flexConsumptionRegions = [
  'australiaeast'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'northcentralus'
  'northeurope'
  'southcentralus'
  'southeastasia'
  'swedencentral'
  'uksouth'
  'westcentralus'
  'westeurope'
  'westus2'
]
// Fails the deployment before anything is created when Flex Consumption is asked for where it is not offered.
var deploymentLocation = hostingPlan != 'FlexConsumption' || contains(flexConsumptionRegions, location)
  ? location
  : fail('Flex Consumption is not offered in ${location}: set hostingPlan (VOUCHER_HOSTING_PLAN) to ElasticPremium or choose another region.')

var production = environmentType == 'prod'
var oidcEnabled = !empty(oidcWellKnownUrl) && !empty(oidcClientId)
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
var logAnalyticsName = 'log-voucher-${resourceToken}'
var hostStorageAccountName = 'stfunc${resourceToken}'
var durableStorageAccountName = durableStorageSeparate ? 'sthub${resourceToken}' : hostStorageAccountName
var dataStorageAccountName = 'stdata${resourceToken}'
var keyVaultName = 'kv-${resourceToken}${keyVaultNameSuffix}'
var linkSigningKeySecretName = 'link-signing-key'
var vnetName = 'vnet-voucher-${resourceToken}'
var storageZoneSku = zoneRedundant ? 'Standard_ZRS' : 'Standard_LRS'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: deploymentLocation
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
    logAnalyticsName: logAnalyticsName
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
    dailyCapGb: logDailyCapGb
  }
}

module network 'app/network.bicep' = if (vnetEnabled) {
  name: 'network'
  scope: rg
  params: {
    name: vnetName
    location: location
    tags: tags
    hostingPlan: hostingPlan
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
    skuName: storageZoneSku
    privateNetworkOnly: vnetEnabled
  }
}

module durableStorage 'app/host-storage.bicep' = if (durableStorageSeparate) {
  name: 'durable-storage'
  scope: rg
  params: {
    name: durableStorageAccountName
    location: location
    tags: tags
    skuName: storageZoneSku
    privateNetworkOnly: vnetEnabled
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
    privateNetworkOnly: vnetEnabled
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
    linkSigningKeySeed: linkSigningKeySeed
    writeLinkSigningKey: linkSigningKeyVault != keyVaultName
    linkSigningKeySecretName: linkSigningKeySecretName
    enablePurgeProtection: production
    privateNetworkOnly: vnetEnabled
    oidcClientSecret: oidcClientSecret
  }
}

// Private endpoints (vnetEnabled): blob, queue and table of every storage account the app uses, and the vault.
var storageEndpointTargets = concat([hostStorageAccountName, dataStorageAccountName], durableStorageSeparate ? [durableStorageAccountName] : [])
var storageServices = [
  'blob'
  'queue'
  'table'
]
var storagePrivateEndpoints = flatten(map(storageEndpointTargets, account => map(storageServices, service => {
  account: account
  service: service
})))

module storageEndpoints 'app/private-endpoint.bicep' = [for endpoint in storagePrivateEndpoints: if (vnetEnabled) {
  name: 'pe-${endpoint.account}-${endpoint.service}'
  scope: rg
  dependsOn: [
    hostStorage
    durableStorage
    dataStorage
  ]
  params: {
    name: 'pe-${endpoint.account}-${endpoint.service}'
    location: location
    tags: tags
    targetResourceId: resourceId(subscription().subscriptionId, rg.name, 'Microsoft.Storage/storageAccounts', endpoint.account)
    groupId: endpoint.service
    subnetId: network.?outputs.privateEndpointSubnetId ?? ''
    privateDnsZoneId: endpoint.service == 'blob'
      ? network.?outputs.blobZoneId ?? ''
      : endpoint.service == 'queue' ? network.?outputs.queueZoneId ?? '' : network.?outputs.tableZoneId ?? ''
  }
}]

module vaultEndpoint 'app/private-endpoint.bicep' = if (vnetEnabled) {
  name: 'pe-${keyVaultName}-vault'
  scope: rg
  params: {
    name: 'pe-${keyVaultName}-vault'
    location: location
    tags: tags
    targetResourceId: keyVault.outputs.id
    groupId: 'vault'
    subnetId: network.?outputs.privateEndpointSubnetId ?? ''
    privateDnsZoneId: network.?outputs.vaultZoneId ?? ''
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
    durableStorage
    dataStorage
    keyVault
    monitoring
  ]
  params: {
    identityName: identityName
    hostStorageAccountName: hostStorageAccountName
    durableStorageAccountName: durableStorageAccountName
    dataStorageAccountName: dataStorageAccountName
    keyVaultName: keyVaultName
    linkSigningKeySecretName: linkSigningKeySecretName
    oidcClientSecretName: oidcEnabled ? 'oidc-client-secret' : ''
    applicationInsightsName: applicationInsightsName
  }
}

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  // The host reaches storage and Key Vault on first start: grant the roles (and open the private endpoints)
  // before the app exists.
  dependsOn: [
    roles
    storageEndpoints
    vaultEndpoint
  ]
  params: {
    name: functionAppName
    planName: 'plan-voucher-${resourceToken}'
    location: location
    tags: tags
    hostingPlan: hostingPlan
    zoneRedundant: zoneRedundant
    virtualNetworkSubnetId: vnetEnabled ? network.?outputs.appSubnetId ?? '' : ''
    serviceName: serviceName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorageAccountName: hostStorageAccountName
    durableStorageAccountName: durableStorageAccountName
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
    authIssuer: authIssuer
    oidcWellKnownUrl: oidcWellKnownUrl
    oidcClientId: oidcClientId
    oidcScopes: oidcScopes
    backupRetentionDays: backupRetentionDays
  }
}

module hostStorageDiagnostics 'app/storage-diagnostics.bicep' = {
  name: 'host-storage-diagnostics'
  scope: rg
  dependsOn: [
    hostStorage
  ]
  params: {
    storageAccountName: hostStorageAccountName
    workspaceId: monitoring.outputs.logAnalyticsId
  }
}

module durableStorageDiagnostics 'app/storage-diagnostics.bicep' = if (durableStorageSeparate) {
  name: 'durable-storage-diagnostics'
  scope: rg
  dependsOn: [
    durableStorage
  ]
  params: {
    storageAccountName: durableStorageAccountName
    workspaceId: monitoring.outputs.logAnalyticsId
  }
}

module dataStorageDiagnostics 'app/storage-diagnostics.bicep' = {
  name: 'data-storage-diagnostics'
  scope: rg
  dependsOn: [
    dataStorage
  ]
  params: {
    storageAccountName: dataStorageAccountName
    workspaceId: monitoring.outputs.logAnalyticsId
  }
}

module diagnostics 'app/diagnostics.bicep' = {
  name: 'diagnostics'
  scope: rg
  dependsOn: [
    keyVault
    functionApp
  ]
  params: {
    workspaceId: monitoring.outputs.logAnalyticsId
    keyVaultName: keyVaultName
    functionAppName: functionAppName
  }
}

module operations 'app/operations.bicep' = {
  name: 'operations'
  scope: rg
  dependsOn: [
    hostStorage
    durableStorage
    dataStorage
  ]
  params: {
    location: location
    tags: tags
    namePrefix: 'voucher-${resourceToken}'
    workspaceId: monitoring.outputs.logAnalyticsId
    workspaceName: logAnalyticsName
    storageAccountNames: storageEndpointTargets
    alertEmail: alertEmail
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
// Read back by the next provision (linkSigningKeyVault): the key in this vault is not generated again.
output LINK_SIGNING_KEY_VAULT string = keyVault.outputs.name
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
output DURABLE_STORAGE_ACCOUNT_NAME string = durableStorageAccountName
output VOUCHER_STORAGE_ACCOUNT_NAME string = dataStorage.outputs.name
output VOUCHER_EVIDENCE_CONTAINER string = dataStorage.outputs.evidenceContainerName
output VOUCHER_BACKUP_CONTAINER string = dataStorage.outputs.backupContainerName
output TASK_HUB_NAME string = taskHubName

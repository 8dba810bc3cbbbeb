// The Voucher Function App on the Flex Consumption plan (.NET 10 isolated worker), its app settings and
// App Service Authentication (Entra ID).
// Flex Consumption moved runtime, worker and deployment settings into functionAppConfig, so
// FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION and WEBSITE_RUN_FROM_PACKAGE must not be set.
// Every connection is identity-based with the user-assigned identity; no key or connection string is
// stored anywhere (the storage accounts refuse shared keys).

@description('Function App name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags for the plan.')
param tags object = {}

@description('azd service name; azd deploy finds the app by this tag.')
param serviceName string

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Host storage account (AzureWebJobsStorage, DurableStorage, deployment package).')
param hostStorageAccountName string

@description('Blob container of the deployment package in the host account.')
param deploymentContainerName string

@description('Application data account (VoucherStorage).')
param dataStorageAccountName string

@description('Application Insights component.')
param applicationInsightsName string

@description('Key Vault with the link-signing key.')
param keyVaultName string

@description('Name of the link-signing key secret.')
param linkSigningKeySecretName string

@description('Durable task hub name (alphanumeric, 3-45 characters).')
@minLength(3)
@maxLength(45)
param taskHubName string

@description('Durable Azure Storage provider partitions (control queues); 16 is the provider maximum.')
@minValue(1)
@maxValue(16)
param durablePartitionCount int

@description('Six-field CRON of the outbox sweep.')
param outboxSchedule string = '0 */1 * * * *'

@description('Days a table export is kept (the backup container\'s immutability period, set in data-storage.bicep from the same value).')
@minValue(1)
param backupRetentionDays int

@description('Largest evidence file accepted, in bytes (20 MB).')
param maxEvidenceBytes int = 20971520

@description('Upper bound of Flex Consumption instances.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Always-ready instances of the Durable trigger group. 0 scales to zero (orchestrations wake within about 10 s of scale-controller polling plus a cold start); 1 is the documented recommendation for production.')
@minValue(0)
@maxValue(20)
param durableAlwaysReadyInstances int = 0

@description('Flex Consumption instance memory (MB).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Client id of the Entra ID app registration; empty disables the identity provider.')
param authClientId string = ''

resource hostStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: hostStorageAccountName
}

resource dataStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: dataStorageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource linkSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: linkSigningKeySecretName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        alwaysReady: durableAlwaysReadyInstances > 0
          ? [
              {
                name: 'durable'
                instanceCount: durableAlwaysReadyInstances
              }
            ]
          : []
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        // .NET 10 isolated. If the platform has not opened '10.0' in a region yet, deployment says so.
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Names match workflows/Voucher.Workflows/Configuration/SettingNames.cs; connection names are prefixes
// (Name__blobServiceUri/queueServiceUri/tableServiceUri + __credential + __clientId). Kept as one literal object so
// tests/Voucher.Infra.Tests can read every name from the compiled template.
resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // Service URIs rather than __accountName: they come from the account itself, so the same template
    // works in clouds whose storage suffix is not core.windows.net (Azure operated by 21Vianet).
    // Functions host storage (locks, timers, keys).
    AzureWebJobsStorage__blobServiceUri: hostStorage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: hostStorage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: hostStorage.properties.primaryEndpoints.table
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    // Durable task hub (host.json: connectionName DurableStorage, hubName %TaskHubName%).
    DurableStorage__blobServiceUri: hostStorage.properties.primaryEndpoints.blob
    DurableStorage__queueServiceUri: hostStorage.properties.primaryEndpoints.queue
    DurableStorage__tableServiceUri: hostStorage.properties.primaryEndpoints.table
    DurableStorage__credential: 'managedidentity'
    DurableStorage__clientId: identityClientId
    TaskHubName: taskHubName
    AzureFunctionsJobHost__extensions__durableTask__storageProvider__partitionCount: string(durablePartitionCount)
    // Application data and evidence.
    VoucherStorage__tableServiceUri: dataStorage.properties.primaryEndpoints.table
    VoucherStorage__blobServiceUri: dataStorage.properties.primaryEndpoints.blob
    VoucherStorage__queueServiceUri: dataStorage.properties.primaryEndpoints.queue
    VoucherStorage__credential: 'managedidentity'
    VoucherStorage__clientId: identityClientId
    // Application.
    Voucher__PublicBaseUrl: 'https://${site.properties.defaultHostName}'
    Voucher__LinkSigningKey: '@Microsoft.KeyVault(SecretUri=${linkSigningKeySecret.properties.secretUri})'
    Voucher__OutboxSchedule: outboxSchedule
    Voucher__MaxEvidenceBytes: string(maxEvidenceBytes)
    Voucher__SettlementSchedule: '0 5 16 * * *'
    Voucher__SettlementCutoff: 'period-end'
    // Demos and tests only; production uses the policy's working days.
    Voucher__PublicityWindowMinutes: ''
    Voucher__PublicRateLimitPerMinute: '30'
    // Working-day calendar: next year's missing holiday arrangement is reported from 1 November; daily check at 09:00 China time.
    Voucher__CalendarNoticeFrom: '11-01'
    Voucher__CalendarCheckSchedule: '0 0 1 * * *'
    // The local host's trace exporter; the Functions app exports to Application Insights (the connection string below).
    Voucher__TraceExporter: ''
    // Daily table export at 03:30 China time into the immutable backups container; exports older than the retention removed.
    Voucher__BackupSchedule: '0 30 19 * * *'
    Voucher__BackupRetentionDays: string(backupRetentionDays)
    // The app serves its own home page at the root route.
    AzureWebJobsDisableHomepage: 'true'
    // Telemetry with Entra ID auth (local auth is off on the component).
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  }
}

// Only Entra ID tokens may publish: no FTP or SCM basic-auth credentials.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

var authEnabled = !empty(authClientId)

// App Service Authentication. Unauthenticated requests are let through (AllowAnonymous) because the app
// serves public pages (catalogue, publicity notices, signed reviewer links) next to protected ones; the
// app itself refuses protected routes when no principal is present. Return401 here would lock out the
// public pages and the signed links that external reviewers open without an Entra account.
resource authSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: authEnabled
      runtimeVersion: '~1'
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    login: {
      // The app only needs the X-MS-CLIENT-PRINCIPAL header, not stored provider tokens; Flex Consumption
      // has no persistent file system for the default token store.
      tokenStore: {
        enabled: false
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: authEnabled
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: authEnabled ? [
            authClientId
            'api://${authClientId}'
          ] : []
        }
      }
    }
  }
}

output name string = site.name
output uri string = 'https://${site.properties.defaultHostName}'
output hostName string = site.properties.defaultHostName

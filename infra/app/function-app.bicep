// The Voucher Function App (.NET 10 isolated worker) on the Flex Consumption plan (default) or Elastic Premium
// EP1 (regions and clouds without Flex Consumption), its app settings and App Service Authentication.
// Flex Consumption moved runtime, worker and deployment settings into functionAppConfig, so
// FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION and WEBSITE_RUN_FROM_PACKAGE must not be set there, and it
// rejects plan-specific site properties (siteConfig.ftpsState, alwaysOn, linuxFxVersion, vnetRouteAllEnabled, ...:
// error 51021 "invalid site configuration property"); those are set for Elastic Premium only.
// Every connection is identity-based with the user-assigned identity; no key or connection string is
// stored anywhere (the storage accounts refuse shared keys).

@description('Function App name.')
param name string

@description('Hosting plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags for the plan.')
param tags object = {}

@description('FlexConsumption (FC1, default) or ElasticPremium (EP1: regions or clouds without Flex Consumption).')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param hostingPlan string = 'FlexConsumption'

@description('Spread the plan over availability zones (Flex: zoneRedundant; Elastic Premium: at least 3 instances).')
param zoneRedundant bool = false

@description('Subnet for outbound VNet integration (vnetEnabled); empty: none.')
param virtualNetworkSubnetId string = ''

@description('azd service name; azd deploy finds the app by this tag.')
param serviceName string

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Host storage account (AzureWebJobsStorage, deployment package).')
param hostStorageAccountName string

@description('Task-hub account (DurableStorage): the host account, or its own account (durableStorageSeparate).')
param durableStorageAccountName string

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

@description('Upper bound of instances (Flex Consumption: up to 1000; Elastic Premium: maximum elastic worker count, up to 100).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Always-ready instances of the Durable trigger group (Flex Consumption). 1 (default) is the documented recommendation for Durable Functions: orchestrations do not wait for scale-controller polling plus a cold start; 0 scales to zero.')
@minValue(0)
@maxValue(20)
param durableAlwaysReadyInstances int = 1

@description('Flex Consumption instance memory (MB).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Client id of the Entra ID app registration; empty disables the identity provider.')
param authClientId string = ''

@description('Issuer of the Entra ID sign-in; empty: this tenant (<login endpoint>/<tenant id>/v2.0). Entra External ID (the public): https://<tenant>.ciamlogin.com/<tenant id>/v2.0.')
param authIssuer string = ''

@description('OpenID configuration document of another OpenID Connect provider (https://<issuer>/.well-known/openid-configuration); empty: none.')
param oidcWellKnownUrl string = ''

@description('Scopes requested from the OpenID Connect provider, space-separated; add phone when the provider vouches for a phone number (phone_number claim).')
param oidcScopes string = 'openid profile'

@description('Client id the OpenID Connect provider issued for this app.')
param oidcClientId string = ''

@description('Key Vault secret with the OpenID Connect client secret (keyvault.bicep writes it).')
param oidcClientSecretName string = 'oidc-client-secret'

var isFlex = hostingPlan == 'FlexConsumption'
var vnetIntegrated = !empty(virtualNetworkSubnetId)

resource hostStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: hostStorageAccountName
}

resource durableStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: durableStorageAccountName
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
  kind: isFlex ? 'functionapp' : 'elastic'
  sku: isFlex
    ? {
        name: 'FC1'
        tier: 'FlexConsumption'
      }
    : {
        name: 'EP1'
        tier: 'ElasticPremium'
        // Zone redundancy on Elastic Premium needs at least three instances.
        capacity: zoneRedundant ? 3 : 1
      }
  properties: {
    reserved: true
    zoneRedundant: zoneRedundant
    maximumElasticWorkerCount: isFlex ? null : min(maximumInstanceCount, 100)
  }
}

// Site properties kept on both plans: the TLS floor.
var commonSiteConfig = {
  minTlsVersion: '1.2'
  scmMinTlsVersion: '1.2'
}

// Elastic Premium only: the Linux stack, FTP off, outbound traffic through the VNet (Flex Consumption rejects these),
// and HTTP/2, which no Flex Consumption reference documents; on Flex it stays at the platform's default.
var premiumSiteConfig = {
  linuxFxVersion: 'DOTNET-ISOLATED|10.0'
  ftpsState: 'Disabled'
  http20Enabled: true
  functionsRuntimeScaleMonitoringEnabled: true
  vnetRouteAllEnabled: vnetIntegrated
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
    virtualNetworkSubnetId: vnetIntegrated ? virtualNetworkSubnetId : null
    siteConfig: union(commonSiteConfig, isFlex ? {} : premiumSiteConfig)
    functionAppConfig: isFlex
      ? {
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
      : null
  }
}

// Elastic Premium runs the package azd deploys from the app's own file system (run from package); it has no
// Azure Files content share because the accounts refuse shared keys. Flex Consumption takes all of this from
// functionAppConfig and rejects these settings.
var premiumAppSettings = isFlex
  ? {}
  : {
      FUNCTIONS_EXTENSION_VERSION: '~4'
      FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
      WEBSITE_RUN_FROM_PACKAGE: '1'
    }

// The sign-in App Service Authentication is configured with (authsettingsV2 below): 'aad', 'oidc', 'aad,oidc' or ''.
// The app trusts the principal header only when this is non-empty (AppServiceAuthPrincipalSource); the platform
// is enabled from the same two conditions.
var signInProvider = join(filter([authEnabled ? 'aad' : '', oidcEnabled ? 'oidc' : ''], p => !empty(p)), ',')

// Names match workflows/Voucher.Workflows/Configuration/SettingNames.cs; connection names are prefixes
// (Name__blobServiceUri/queueServiceUri/tableServiceUri + __credential + __clientId). One object literal (merged
// with the Elastic Premium settings above), one line per setting; tests/Voucher.Infra.Tests evaluates it per
// parameter combination from the compiled template.
resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'appsettings'
  properties: union(premiumAppSettings, {
    // Service URIs rather than __accountName: they come from the account itself, so the same template
    // works in clouds whose storage suffix is not core.windows.net (Azure operated by 21Vianet).
    // Functions host storage (locks, timers, keys).
    AzureWebJobsStorage__blobServiceUri: hostStorage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: hostStorage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: hostStorage.properties.primaryEndpoints.table
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    // Durable task hub (host.json: connectionName DurableStorage, hubName %TaskHubName%).
    DurableStorage__blobServiceUri: durableStorage.properties.primaryEndpoints.blob
    DurableStorage__queueServiceUri: durableStorage.properties.primaryEndpoints.queue
    DurableStorage__tableServiceUri: durableStorage.properties.primaryEndpoints.table
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
    Voucher__LinkSigningKeyPrevious: ''
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
    // Daily retention at 02:30 China time: finished Durable instances after 90 days, evidence 10 years after payment.
    Voucher__RetentionSchedule: '0 30 18 * * *'
    Voucher__Retention__DurableHistoryDays: '90'
    Voucher__Retention__EvidenceYears: '10'
    // Proxies whose X-Forwarded-For is believed (CIDR list): none. The Functions worker already applies the header of
    // its host, so the client address is the one the App Service front end saw; list networks only for a proxy in front.
    Voucher__ForwardedHeaders__KnownNetworks: ''
    // Daily table export at 03:30 China time into the immutable backups container; exports older than the retention removed.
    Voucher__BackupSchedule: '0 30 19 * * *'
    Voucher__BackupRetentionDays: string(backupRetentionDays)
    // The app serves its own home page at the root route.
    AzureWebJobsDisableHomepage: 'true'
    // Telemetry with Entra ID auth (local auth is off on the component).
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    // The sign-in authsettingsV2 configures ('' = none): the app trusts the principal header only when set.
    Voucher__SignInProvider: signInProvider
    // App Service Authentication reads the OpenID Connect client secret from this setting (a Key Vault reference).
    OIDC_CLIENT_SECRET: oidcEnabled ? '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${oidcClientSecretName}/)' : ''
  })
}

// Only Entra ID tokens may publish: no FTP or SCM basic-auth credentials.
// `location`: the Bicep types (every API version, 2024-11-01 included) omit it, but deployments without it fail
// with "The parameter location has an invalid value" (Azure/bicep-types-az#1527, #1571, Azure/bicep#7396, all
// open); nothing says 2024-11-01 fixed it, so it is given, and the BCP187 warning is silenced for that line only.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'ftp'
  #disable-next-line BCP187
  location: location
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'scm'
  #disable-next-line BCP187
  location: location
  properties: {
    allow: false
  }
}

var authEnabled = !empty(authClientId)
var oidcEnabled = !empty(oidcWellKnownUrl) && !empty(oidcClientId)

// App Service Authentication. Unauthenticated requests are let through (AllowAnonymous) because the app
// serves public pages (catalogue, publicity notices, signed reviewer links) next to protected ones; the
// app itself refuses protected routes when no principal is present. Return401 here would lock out the
// public pages and the signed links that external reviewers open without an Entra account.
resource authSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: authEnabled || oidcEnabled
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
          // Entra ID of this tenant, or another issuer such as an Entra External ID tenant (authIssuer).
          openIdIssuer: empty(authIssuer) ? '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0' : authIssuer
        }
        validation: {
          allowedAudiences: authEnabled ? [
            authClientId
            'api://${authClientId}'
          ] : []
        }
      }
      // Any other OpenID Connect provider (a provincial or national government sign-in, or one operated in
      // Azure operated by 21Vianet): sign-in at /.auth/login/oidc, callback /.auth/login/oidc/callback.
      customOpenIdConnectProviders: {
        oidc: {
          enabled: oidcEnabled
          registration: {
            clientId: oidcClientId
            clientCredential: {
              clientSecretSettingName: 'OIDC_CLIENT_SECRET'
            }
            openIdConnectConfiguration: {
              wellKnownOpenIdConfiguration: oidcWellKnownUrl
            }
          }
          // The app reads the subject (sub), the name and, when present and not marked unverified, phone_number:
          // who the person is. What they may do comes from their memberships in the app (infra/README.md).
          login: {
            nameClaimType: 'name'
            scopes: filter(split(oidcScopes, ' '), scope => !empty(scope))
          }
        }
      }
    }
  }
}

output name string = site.name
output id string = site.id
output uri string = 'https://${site.properties.defaultHostName}'
output hostName string = site.properties.defaultHostName

// Diagnostic settings of Key Vault and the Function App into Log Analytics. Storage accounts: storage-diagnostics.bicep.
// Key Vault: the audit log (every secret read, including the app's Key Vault reference) and metrics.
// Function App: the platform's logs (FunctionAppLogs, App Service Authentication on Elastic Premium) and metrics;
// the app's own traces and requests reach the same workspace through Application Insights.

@description('Resource id of the Log Analytics workspace.')
param workspaceId string

@description('Key Vault name.')
param keyVaultName string

@description('Function App name.')
param functionAppName string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource site 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

resource vaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

resource siteDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

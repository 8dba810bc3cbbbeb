// Key Vault holding the HMAC key that signs reviewer, institution and finance links.
// Access is Azure RBAC only (no access policies); the app reads the secret through a Key Vault
// reference resolved with the user-assigned identity, which holds Key Vault Secrets User on this one
// secret (roles.bicep). The value comes from a @secure() parameter: Bicep cannot generate a secret
// that never appears in deployment history, so the operator supplies it (see infra/README.md).

@description('Key Vault name (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the vault.')
param tags object = {}

@secure()
@minLength(44)
@description('Base64 HMAC key that signs links: at least 32 bytes, i.e. 44 base64 characters.')
param linkSigningKey string

@description('Name of the secret holding the link-signing key.')
param linkSigningKeySecretName string = 'link-signing-key'

@description('Purge protection cannot be switched off again; leave it off for throw-away environments.')
param enablePurgeProtection bool = false

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // The API refuses an explicit false once set; null leaves it at its current value.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource linkSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: linkSigningKeySecretName
  properties: {
    value: linkSigningKey
    contentType: 'base64 HMAC-SHA256 key'
  }
}

output name string = vault.name
output endpoint string = vault.properties.vaultUri
output linkSigningKeySecretName string = linkSigningKeySecret.name

// CI combination "vnet": a production environment with every hardening option on (private networking, zone
// redundancy, the task hub in its own account, Key Vault purge protection, Entra ID sign-in, alert e-mail, backups
// kept 90 days).
using '../main.bicep'

param environmentName = 'voucher-prod'
param location = 'eastasia'
param environmentType = 'prod'
param vnetEnabled = true
param zoneRedundant = true
param durableStorageSeparate = true
param dataStorageSku = 'Standard_GZRS'
param authClientId = '00000000-0000-0000-0000-000000000001'
param alertEmail = 'ops@example.org'
param backupRetentionDays = 90

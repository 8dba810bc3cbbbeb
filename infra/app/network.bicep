// Private networking (vnetEnabled): a virtual network with one subnet for the Function App's outbound VNet
// integration and one for private endpoints, and the private DNS zones the endpoints register in. Zone names
// come from environment(), so the same module serves Azure operated by 21Vianet (core.chinacloudapi.cn,
// vault.azure.cn). The storage accounts and Key Vault refuse public network access when this module is on.

@description('Virtual network name.')
param name string

@description('Azure region.')
param location string

@description('Tags for the network resources.')
param tags object = {}

@description('Hosting plan: the integration subnet is delegated to Microsoft.App/environments for Flex Consumption, to Microsoft.Web/serverFarms for Elastic Premium.')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param hostingPlan string

@description('Address space of the virtual network.')
param addressPrefix string = '10.20.0.0/16'

@description('Subnet of the Function App integration (Flex Consumption needs at least /27 free addresses for scale-out; /24 leaves room).')
param appSubnetPrefix string = '10.20.1.0/24'

@description('Subnet of the private endpoints.')
param privateEndpointSubnetPrefix string = '10.20.2.0/24'

// Private DNS zones of the endpoints this template creates: storage blob, queue and table, and Key Vault.
var storageSuffix = environment().suffixes.storage
var dnsZoneNames = [
  'privatelink.blob.${storageSuffix}'
  'privatelink.queue.${storageSuffix}'
  'privatelink.table.${storageSuffix}'
  'privatelink${environment().suffixes.keyvaultDns}'
]

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'app-integration'
              properties: {
                serviceName: hostingPlan == 'FlexConsumption' ? 'Microsoft.App/environments' : 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [for zone in dnsZoneNames: {
  name: zone
  location: 'global'
  tags: tags
}]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [for (zone, i) in dnsZoneNames: {
  parent: zones[i]
  name: '${name}-link'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}]

output appSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'app')
output privateEndpointSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'private-endpoints')
output blobZoneId string = zones[0].id
output queueZoneId string = zones[1].id
output tableZoneId string = zones[2].id
output vaultZoneId string = zones[3].id

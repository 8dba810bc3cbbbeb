// One private endpoint (vnetEnabled) for one service of one resource: a storage account's blob, queue or table
// service, or a Key Vault. Its address is registered in the matching private DNS zone (network.bicep), so the
// app resolves the public host name to the private address.

@description('Private endpoint name.')
param name string

@description('Azure region (the virtual network\'s).')
param location string

@description('Tags for the endpoint.')
param tags object = {}

@description('Resource id of the storage account or Key Vault.')
param targetResourceId string

@description('Sub-resource: blob, queue, table or vault.')
@allowed([
  'blob'
  'queue'
  'table'
  'vault'
])
param groupId string

@description('Subnet of the private endpoints.')
param subnetId string

@description('Private DNS zone of the sub-resource.')
param privateDnsZoneId string

resource endpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: name
        properties: {
          privateLinkServiceId: targetResourceId
          groupIds: [
            groupId
          ]
        }
      }
    ]
  }
}

resource dnsGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: endpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: groupId
        properties: {
          privateDnsZoneId: privateDnsZoneId
        }
      }
    ]
  }
}

// CI combination "premium": Elastic Premium EP1 in a region of Azure operated by 21Vianet, where Flex Consumption
// is not offered (see infra/README.md, "Deploying to a China region").
using '../main.bicep'

param environmentName = 'voucher-cn'
param location = 'chinanorth3'
param hostingPlan = 'ElasticPremium'
param authClientId = '00000000-0000-0000-0000-000000000002'
// Sign-in through another OpenID Connect provider besides Entra ID (Azure operated by 21Vianet has its own Entra ID).
param oidcWellKnownUrl = 'https://login.example.gov.cn/.well-known/openid-configuration'
param oidcClientId = 'voucher'
param oidcScopes = 'openid profile phone'

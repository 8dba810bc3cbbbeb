// CI combination "default": what `azd up` provisions with no option set (Flex Consumption, public endpoints, dev).
using '../main.bicep'

param environmentName = 'voucher-ci'
param location = 'eastasia'

// Alerts, their action group and the officers' SLA queries, all over the Log Analytics workspace that receives
// the app's telemetry (Application Insights tables AppTraces, AppRequests) and the diagnostic settings.
// The log queries select the app's own log events by EventId (workflows/Voucher.Workflows/Hosting/LogEventIds.cs):
//   5001 Working-day calendar notice (this or next year's holiday arrangement missing; CalendarService, daily check)
//   6005 Application review deadline passed, escalated to the province (ApplicationLog.Escalated)
//   6006 Application decided (ApplicationLog.Decided)
//   6213 Redemption binding deadline passed: binding overdue (RedemptionLog.BindingOverdue)
//   6214/6215 Redemption bound / disputed (RedemptionLog.Bound, Disputed)
//   6304/6305 Settlement publicity opened / its end counted again (SettlementLog.PublicityOpened, PublicityReplanned)
//   6307 Settlement batch closed (SettlementLog.Closed)
// The Azure Monitor exporter writes a log record's EventId and its message template's named values into
// AppTraces.Properties (Azure.Monitor.OpenTelemetry.Exporter, LogsHelper), so Properties.BatchId etc. are
// the LoggerMessage parameters.

@description('Azure region of the log alert rules (the workspace\'s).')
param location string

@description('Tags for the alert resources.')
param tags object = {}

@description('Name prefix of the alert resources.')
param namePrefix string

@description('Resource id of the Log Analytics workspace.')
param workspaceId string

@description('Name of the Log Analytics workspace (saved searches).')
param workspaceName string

@description('Storage accounts watched for throttling.')
param storageAccountNames array

@description('E-mail address that receives alerts; empty: the action group has no receiver (alerts still show in the portal).')
param alertEmail string = ''

@description('HTTP 5xx share of requests (percent, over 15 minutes, at least 20 requests) that raises an alert.')
@minValue(1)
@maxValue(100)
param http5xxPercentThreshold int = 5

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-ops'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'voucherops'
    enabled: true
    emailReceivers: empty(alertEmail)
      ? []
      : [
          {
            name: 'operations'
            emailAddress: alertEmail
            useCommonAlertSchema: true
          }
        ]
  }
}

var settlementOverdueQuery = '''
let closed = AppTraces
    | where tostring(Properties.EventId) == "6307"
    | distinct BatchId = tostring(Properties.BatchId);
AppTraces
| where tostring(Properties.EventId) in ("6304", "6305")
| extend BatchId = tostring(Properties.BatchId), PublicityEnd = todatetime(coalesce(tostring(Properties.NewEnd), tostring(Properties.End)))
| summarize arg_max(TimeGenerated, PublicityEnd) by BatchId
| join kind=leftanti closed on BatchId
// The end is a China date: its day ends at PublicityEnd + 16 h UTC; the batch closes within hours after that.
| where PublicityEnd + 2d < now()
| project BatchId, PublicityEnd
'''

// Log alerts: name, description, severity, query, evaluation frequency, window, and the query's look-back when it
// must see further than the window (the settlement's publicity lasts days).
var logAlerts = [
  {
    name: 'failed-orchestrations'
    description: 'A Durable orchestration failed (the Durable extension logs "Function \'<name> (Orchestrator)\' failed with an error").'
    severity: 1
    query: 'AppTraces | where Message has "failed with an error" and Message contains "(Orchestrator)\'" | project TimeGenerated, Message'
    frequency: 'PT15M'
    window: 'PT15M'
    lookBack: ''
  }
  {
    name: 'http-5xx-rate'
    description: 'More than ${http5xxPercentThreshold} % of requests answered with a 5xx status in 15 minutes.'
    severity: 1
    query: 'AppRequests | summarize Total = count(), Failed = countif(toint(ResultCode) >= 500) | where Total >= 20 and Failed * 100.0 / Total > ${http5xxPercentThreshold}'
    frequency: 'PT15M'
    window: 'PT15M'
    lookBack: ''
  }
  {
    name: 'settlement-not-closed'
    description: 'A settlement batch is not closed a day after its publicity end (its due date).'
    severity: 2
    query: settlementOverdueQuery
    frequency: 'PT6H'
    window: 'PT6H'
    lookBack: 'P30D'
  }
  {
    name: 'calendar-missing'
    description: 'The working-day calendar of this or next year is not published (the daily check logs event 5001 from the notice date, 1 November by default).'
    severity: 3
    query: 'AppTraces | where tostring(Properties.EventId) == "5001" | project TimeGenerated, Message'
    frequency: 'P1D'
    window: 'P1D'
    lookBack: ''
  }
]

resource logAlertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for alert in logAlerts: {
  name: '${namePrefix}-${alert.name}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: '${namePrefix} ${alert.name}'
    description: alert.description
    severity: alert.severity
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: alert.frequency
    windowSize: alert.window
    overrideQueryTimeRange: empty(alert.lookBack) ? null : alert.lookBack
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: alert.query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}]

resource storageAccounts 'Microsoft.Storage/storageAccounts@2024-01-01' existing = [for account in storageAccountNames: {
  name: account
}]

// Throttling: transactions answered ServerBusyError (account or partition over its scalability target) or
// ClientThrottlingError, per account.
resource storageThrottlingAlerts 'Microsoft.Insights/metricAlerts@2018-03-01' = [for (account, i) in storageAccountNames: {
  name: '${namePrefix}-storage-throttling-${account}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Storage account ${account} throttled requests (ServerBusyError or ClientThrottlingError).'
    severity: 2
    enabled: true
    scopes: [
      storageAccounts[i].id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'throttled-transactions'
          metricNamespace: 'Microsoft.Storage/storageAccounts'
          metricName: 'Transactions'
          dimensions: [
            {
              name: 'ResponseType'
              operator: 'Include'
              values: [
                'ServerBusyError'
                'ClientThrottlingError'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Total'
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}]

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

// The officers' SLA (Log Analytics > Queries > category "Voucher SLA", and the workbook below): what is past its
// deadline and still open.
var slaQueries = [
  {
    name: 'reviews-past-deadline'
    displayName: 'Reviews past deadline (escalated, not decided)'
    query: '''
let decided = AppTraces
    | where tostring(Properties.EventId) == "6006"
    | distinct ApplicationId = tostring(Properties.ApplicationId);
AppTraces
| where tostring(Properties.EventId) == "6005"
| extend ApplicationId = tostring(Properties.ApplicationId), Round = toint(Properties.Round)
| summarize EscalatedAt = max(TimeGenerated), Rounds = max(Round) by ApplicationId
| join kind=leftanti decided on ApplicationId
| order by EscalatedAt asc
'''
  }
  {
    name: 'bindings-overdue'
    displayName: 'Bindings overdue (deadline passed, not bound or disputed since)'
    query: '''
let answered = AppTraces
    | where tostring(Properties.EventId) in ("6214", "6215")
    | summarize AnsweredAt = max(TimeGenerated) by RedemptionId = tostring(Properties.RedemptionId);
AppTraces
| where tostring(Properties.EventId) == "6213"
| extend RedemptionId = tostring(Properties.RedemptionId), Deadline = tostring(Properties.Deadline), Round = toint(Properties.Round)
| summarize arg_max(TimeGenerated, Deadline, Round) by RedemptionId
| join kind=leftouter answered on RedemptionId
| where isnull(AnsweredAt) or AnsweredAt < TimeGenerated
| project RedemptionId, Round, Deadline, OverdueSince = TimeGenerated
| order by OverdueSince asc
'''
  }
  {
    name: 'settlements-not-closed'
    displayName: 'Settlement batches past their publicity end, not closed'
    query: settlementOverdueQuery
  }
  {
    name: 'sla-weekly'
    displayName: 'SLA events per week (escalated reviews, overdue bindings, closed batches)'
    query: '''
AppTraces
| where tostring(Properties.EventId) in ("6005", "6213", "6307")
| extend Event = case(tostring(Properties.EventId) == "6005", "review escalated", tostring(Properties.EventId) == "6213", "binding overdue", "batch closed")
| summarize Count = count() by Week = startofweek(TimeGenerated), Event
| order by Week desc
'''
  }
]

resource savedSearches 'Microsoft.OperationalInsights/workspaces/savedSearches@2020-08-01' = [for q in slaQueries: {
  parent: workspace
  name: 'voucher-sla-${q.name}'
  properties: {
    category: 'Voucher SLA'
    displayName: q.displayName
    query: q.query
    version: 2
  }
}]

// The same queries as one workbook (Azure Monitor > Workbooks > "Voucher SLA"), over the last 30 days.
resource slaWorkbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, namePrefix, 'voucher-sla-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Voucher SLA'
    category: 'workbook'
    sourceId: workspaceId
    serializedData: string({
      version: 'Notebook/1.0'
      items: concat(
        [
          {
            type: 1
            name: 'intro'
            content: {
              json: '## Voucher SLA\nWhat is past its deadline and still open, from the app\'s log events (infra/app/operations.bicep).'
            }
          }
        ],
        map(slaQueries, q => {
          type: 3
          name: q.name
          content: {
            version: 'KqlItem/1.0'
            title: q.displayName
            query: q.query
            size: 0
            queryType: 0
            resourceType: 'microsoft.operationalinsights/workspaces'
            timeContext: {
              durationMs: 2592000000
            }
          }
        })
      )
      fallbackResourceIds: [
        workspaceId
      ]
    })
  }
}

output actionGroupId string = actionGroup.id

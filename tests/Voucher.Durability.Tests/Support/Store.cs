namespace Voucher.Durability.Tests.Support;

/// <summary>Reads straight from Azurite: the truth the assertions are made against.</summary>
public sealed class Store(string connectionString)
{
    public TableServiceClient Tables { get; } = new(connectionString);

    public string ConnectionString => connectionString;

    /// <summary>The same storage as the product's services read it (for helpers that take a <see cref="VoucherStore"/>).</summary>
    public VoucherStore Voucher { get; } = new(new TableServiceClient(connectionString), new Azure.Storage.Blobs.BlobServiceClient(connectionString));

    public async Task<List<T>> QueryAsync<T>(string table, string filter)
        where T : class, ITableEntity, new()
    {
        var rows = new List<T>();
        await foreach (var row in Tables.GetTableClient(table).QueryAsync<T>(filter))
        {
            rows.Add(row);
        }

        return rows;
    }

    public Task<List<T>> PartitionAsync<T>(string table, string partitionKey)
        where T : class, ITableEntity, new() =>
        QueryAsync<T>(table, TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"));

    public async Task<T?> GetAsync<T>(string table, string partitionKey, string rowKey)
        where T : class, ITableEntity
    {
        var response = await Tables.GetTableClient(table).GetEntityIfExistsAsync<T>(partitionKey, rowKey);
        return response.HasValue ? response.Value : null;
    }

    public Task<RedemptionEntity?> RedemptionAsync(string redemptionId) =>
        GetAsync<RedemptionEntity>(VoucherStore.Redemptions, redemptionId.Substring(2, 18), redemptionId);

    public Task<VoucherEntity?> VoucherAsync(string voucherId) =>
        GetAsync<VoucherEntity>(VoucherStore.Vouchers, voucherId.Substring(2, 18), voucherId);

    public Task<CapLedgerEntity?> LedgerAsync(string uscc, int year) =>
        GetAsync<CapLedgerEntity>(VoucherStore.Ledger, uscc, CapLedger.RowKey(year));

    public Task<List<AuditEntry>> AuditAsync(string subject) => PartitionAsync<AuditEntry>(VoucherStore.Audit, subject);

    /// <summary>How many redemptions of a city the index shows in a status (the index row is written right after the row itself).</summary>
    public async Task<int> CountRowsAsync(string city, string status) =>
        (await QueryAsync<TableEntity>(VoucherStore.Redemptions,
            TableClient.CreateQueryFilter($"CityCode eq {city} and Status eq {status}"))).Count;

    public async Task<int> CountIndexAsync(string city, string status) =>
        (await QueryAsync<TableEntity>(VoucherStore.RedemptionIndex,
            TableClient.CreateQueryFilter($"PartitionKey eq {RedemptionStore.CityPartition(city)} and Status eq {status}"))).Count;

    /// <summary>Waits until the instance's custom status contains <paramref name="part"/> and it has been quiet for 2 s (see <see cref="TaskHubDiagnostics"/>).</summary>
    public Task WaitUntilIdleAsync(string taskHub, string instanceId, string part, TimeSpan timeout) =>
        TaskHubDiagnostics.WaitUntilIdleAsync(Tables, taskHub, instanceId, part, timeout);

    /// <summary>Instances of the task hub whose id starts with <paramref name="prefix"/>.</summary>
    public async Task<List<TableEntity>> InstancesAsync(string taskHub, string prefix) =>
        await QueryAsync<TableEntity>(taskHub + "Instances",
            TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {prefix + "~"}"));

    /// <summary>History, partitions and queues of one instance: for failure messages.</summary>
    public Task<string> DescribeAsync(string taskHub, string instanceId) => TaskHubDiagnostics.DescribeAsync(connectionString, taskHub, instanceId);
}

using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Voucher.Workflows.Storage;

/// <summary>The application's tables and containers. Table names are fixed per deployment; a prefix isolates test runs.</summary>
public sealed class VoucherStore(TableServiceClient tables, BlobServiceClient blobs, string tablePrefix = "")
{
    public const string Enterprises = "Enterprises";
    public const string Applications = "Applications";
    public const string ApplicationIndex = "ApplicationIndex";
    public const string Vouchers = "Vouchers";
    public const string Audit = "Audit";
    public const string Outbox = "Outbox";
    public const string Inbox = "Inbox";
    public const string UsedLinks = "UsedLinks";
    public const string Policies = "Policies";
    public const string Institutions = "Institutions";
    public const string Services = "Services";
    public const string Ledger = "Ledger";
    public const string Redemptions = "Redemptions";
    public const string RedemptionIndex = "RedemptionIndex";
    public const string Evidence = "Evidence";
    public const string SettlementQueue = "SettlementQueue";
    public const string Batches = "Batches";
    public const string BatchItems = "BatchItems";
    public const string Objections = "Objections";
    public const string PublicityIndex = "PublicityIndex";
    public const string ServiceVersions = "ServiceVersions";
    public const string CatalogueChanges = "CatalogueChanges";
    public const string Demands = "Demands";
    public const string Offers = "Offers";
    public const string Orders = "Orders";
    public const string MarketIndex = "MarketIndex";
    public const string Agencies = "Agencies";
    public const string Delegations = "Delegations";
    public const string Violations = "Violations";
    public const string ViolationsByUscc = "ViolationsByUscc";
    public const string ViolationEvidence = "ViolationEvidence";
    public const string ClawBacks = "ClawBacks";
    public const string CreditHistory = "CreditHistory";
    public const string Experts = "Experts";
    public const string ExpertOpinions = "ExpertOpinions";
    public const string PendingEvents = "PendingEvents";
    public const string Memberships = "Memberships";
    public const string MembershipIndex = "MembershipIndex";
    public const string Invitations = "Invitations";
    public const string EvidenceContainer = "evidence";

    public static IReadOnlyList<string> AllTables { get; } =
        [Enterprises, Applications, ApplicationIndex, Vouchers, Audit, Outbox, Inbox, UsedLinks, Policies, Institutions, Services, Ledger, Redemptions, RedemptionIndex, Evidence, SettlementQueue, Batches, BatchItems, Objections, PublicityIndex,
         ServiceVersions, CatalogueChanges, Demands, Offers, Orders, MarketIndex, Agencies, Delegations,
         Violations, ViolationsByUscc, ViolationEvidence, ClawBacks, CreditHistory, Experts, ExpertOpinions, PendingEvents, Memberships, MembershipIndex, Invitations, .. Supervision.SupervisionTables.All, .. Settlement.Risk.RiskTables.All, .. Accounts.OnboardingTables.All];

    public TableServiceClient TableService => tables;

    public BlobServiceClient BlobService => blobs;

    public TableClient Table(string name) => tables.GetTableClient(tablePrefix + name);

    /// <summary>The private container of redemption evidence (no public access).</summary>
    public BlobContainerClient EvidenceBlobs => blobs.GetBlobContainerClient(tablePrefix.ToLowerInvariant() + EvidenceContainer);

    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        foreach (var name in AllTables)
        {
            await Table(name).CreateIfNotExistsAsync(ct);
        }

        await blobs.GetBlobContainerClient(tablePrefix.ToLowerInvariant() + EvidenceContainer).CreateIfNotExistsAsync(cancellationToken: ct);
    }

    /// <summary>Deletes a row whatever its version; a row already gone (deleted by another writer) is no error.</summary>
    public async Task DeleteIfExistsAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default)
    {
        try
        {
            await Table(table).DeleteEntityAsync(partitionKey, rowKey, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Gone already.
        }
    }

    /// <summary>Point read that answers null for a missing row instead of throwing.</summary>
    public async Task<T?> GetAsync<T>(string table, string partitionKey, string rowKey, CancellationToken ct = default)
        where T : class, ITableEntity
    {
        var response = await Table(table).GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: ct);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Insert that answers false when the row exists already (the idempotency gate of many steps).</summary>
    public async Task<bool> TryAddAsync<T>(string table, T entity, CancellationToken ct = default)
        where T : ITableEntity
    {
        try
        {
            await Table(table).AddEntityAsync(entity, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public Task UpsertAsync<T>(string table, T entity, CancellationToken ct = default)
        where T : ITableEntity =>
        Table(table).UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);

    /// <summary>Reads one partition (optionally a row-key range); never a full-table scan.</summary>
    public async Task<List<T>> PartitionAsync<T>(string table, string partitionKey, int max = 500, CancellationToken ct = default)
        where T : class, ITableEntity, new()
    {
        var result = new List<T>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
        await foreach (var row in Table(table).QueryAsync<T>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: ct))
        {
            result.Add(row);
            if (result.Count >= max)
            {
                break;
            }
        }

        return result;
    }
}

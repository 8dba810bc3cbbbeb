using System.Collections.Concurrent;
using Azure.Data.Tables;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Settlement;

/// <summary>A batch's publicity notice as the lists show it: city, period, window, and whether objections are still taken.</summary>
public sealed record NoticeSummary(string BatchId, string CityCode, string PeriodId, string Start, string End, bool Provisional, bool Current)
{
    public string Title => SettlementText.NoticeTitle(CityCode, PeriodId);

    public string Href => $"/publicity/notices/{Uri.EscapeDataString(BatchId)}";
}

/// <summary>One numbered row of a notice (序号, 企业名称, 服务机构, 服务内容, 兑付金额) — only what the public may check.</summary>
public sealed record NoticeRow(int Number, string RedemptionId, string EnterpriseName, string InstitutionName, string ServiceCategory, string ServiceTitle, long PayoutFen);

/// <summary>A formal notice: its summary, where objections go, every row with the total, and the rows' objection states.</summary>
public sealed record NoticeDocument(NoticeSummary Summary, NoticeContacts Contacts, IReadOnlyList<NoticeRow> Rows, long TotalFen, IReadOnlyDictionary<string, ObjectionStatus> Objections)
{
    /// <summary>The state a row shows: an open objection first, then the latest resolution; null when none was filed.</summary>
    public ObjectionStatus? ObjectionOf(string redemptionId) => Objections.TryGetValue(redemptionId, out var s) ? s : null;
}

/// <summary>What an objector sees by the receipt number: the row objected to, when, and the outcome — nothing else.</summary>
public sealed record ReceiptView(string ReceiptNo, NoticeSummary Notice, string EnterpriseName, string InstitutionName, string ServiceTitle, long PayoutFen, DateTimeOffset FiledAt, ObjectionStatus Status, string? Resolution, DateTimeOffset? ResolvedAt);

/// <summary>The formal notices (公示公告): current ones, the archive, one notice with its rows, receipts, and the bureau's objections.</summary>
public sealed partial class PublicityService
{
    /// <summary>Notice rows never change once publicity opens (the decisions are frozen): kept a while per batch.</summary>
    readonly ConcurrentDictionary<string, (IReadOnlyList<NoticeRow> Rows, long TotalFen, DateTimeOffset ReadAt)> rowCache = new(StringComparer.Ordinal);

    static readonly TimeSpan RowCacheFor = TimeSpan.FromMinutes(10);

    static readonly string[] RowColumns = [nameof(BatchItemEntity.RowKey), nameof(BatchItemEntity.EnterpriseName), nameof(BatchItemEntity.InstitutionName), nameof(BatchItemEntity.ServiceCategory), nameof(BatchItemEntity.ServiceTitle), nameof(BatchItemEntity.PayoutFen)];

    /// <summary>The notices whose publicity is open now, newest first, of one city or of all (one partition read).</summary>
    public async Task<IReadOnlyList<NoticeSummary>> CurrentNoticesAsync(string? cityCode, CancellationToken ct) =>
        [.. (await settlements.OpenPublicityAsync(ct))
            .Where(i => cityCode is null || i.CityCode == cityCode)
            .Select(i => Summary(i, current: true))
            .OrderByDescending(n => n.Start, StringComparer.Ordinal).ThenBy(n => n.BatchId, StringComparer.Ordinal)];

    /// <summary>Every notice published (the archive partition, and open ones indexed before the archive existed), newest first.</summary>
    public async Task<IReadOnlyList<NoticeSummary>> ArchiveAsync(string? cityCode, CancellationToken ct)
    {
        var open = await settlements.OpenPublicityAsync(ct);
        var archived = await settlements.Tables.PartitionAsync<PublicityIndexEntity>(VoucherStore.PublicityIndex, PublicityWindows.ArchivePartition, 20_000, ct);
        var openIds = open.Select(o => o.RowKey).ToHashSet(StringComparer.Ordinal);
        return [.. open.Select(i => Summary(i, current: true))
            .Concat(archived.Where(a => !openIds.Contains(a.RowKey)).Select(i => Summary(i, current: false)))
            .Where(n => cityCode is null || n.CityCode == cityCode)
            .OrderByDescending(n => n.Start, StringComparer.Ordinal).ThenBy(n => n.BatchId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// A published batch's notice (null for a batch that never reached publicity, so an unpublished one reads as missing):
    /// the city's objection contacts from the policy version the batch records (the one its publicity was counted with, so a
    /// published notice keeps its contacts when the bureau changes them), the approved rows numbered in batch order with their total,
    /// and each row's objection state (the city's objections partition, filtered to the batch).
    /// </summary>
    public async Task<NoticeDocument?> NoticeAsync(string batchId, CancellationToken ct)
    {
        var batch = await settlements.GetBatchAsync(batchId, ct);
        if (batch is null || batch.PublicityStart is null || batch.PublicityEnd is null || batch.Stage is not (BatchStage.Publicity or BatchStage.Closed))
        {
            return null;
        }

        var rowsRead = RowsAsync(batch.BatchId, batch.ChunkCount, ct);
        var policyRead = ContactsOfAsync(batch, ct);
        var objectionsRead = BatchObjectionsAsync(batch.CityCode, batch.BatchId, ct);
        await Task.WhenAll(rowsRead, policyRead, objectionsRead);
        var (rows, total) = await rowsRead;
        var summary = new NoticeSummary(batch.BatchId, batch.CityCode, batch.PeriodId, batch.PublicityStart, batch.PublicityEnd, PublicityWindows.IsProvisional(batch), PublicityWindows.IsOpen(batch, time.GetUtcNow()));
        return new NoticeDocument(summary, await policyRead, rows, total, await objectionsRead);
    }

    /// <summary>
    /// The objection contacts of the batch's policy version; a version never stored (a city still on its unseeded defaults
    /// when the batch formed) reads the city's defaults.
    /// </summary>
    async Task<NoticeContacts> ContactsOfAsync(BatchEntity batch, CancellationToken ct) =>
        (await policies.GetVersionAsync(batch.CityCode, batch.PolicyVersion, ct) ?? CityPolicy.Default(batch.CityCode, DateTimeOffset.UnixEpoch)).Contacts;

    /// <summary>The notice of a redemption's batch (for the objection form of that row).</summary>
    public async Task<NoticeDocument?> NoticeOfRedemptionAsync(string redemptionId, CancellationToken ct) =>
        (await redemptions.GetAsync(redemptionId, ct))?.BatchId is { } batchId ? await NoticeAsync(batchId, ct) : null;

    /// <summary>
    /// What a receipt number shows: null for an unknown or malformed number (the caller answers the same for both, and
    /// for a number whose objection is gone), so a lookup reveals nothing but the objection it names.
    /// </summary>
    public async Task<ReceiptView?> ReceiptAsync(string? typed, CancellationToken ct)
    {
        if (ReceiptNumbers.Normalize(typed) is not { } number
            || await settlements.Tables.GetAsync<ObjectionReceiptEntity>(VoucherStore.PublicityIndex, ObjectionReceiptEntity.Partition, number, ct) is not { } receipt
            || await settlements.Tables.GetAsync<ObjectionEntity>(VoucherStore.Objections, receipt.RedemptionId, receipt.ObjectionKey, ct) is not { } objection
            || objection.ReceiptNo != number
            || await settlements.GetBatchAsync(objection.BatchId, ct) is not { PublicityStart: not null, PublicityEnd: not null } batch
            || await settlements.GetItemAsync(batch.BatchId, objection.PartitionKey, ct) is not { } item)
        {
            return null;
        }

        var notice = new NoticeSummary(batch.BatchId, batch.CityCode, batch.PeriodId, batch.PublicityStart, batch.PublicityEnd, PublicityWindows.IsProvisional(batch), PublicityWindows.IsOpen(batch, time.GetUtcNow()));
        return new ReceiptView(number, notice, item.EnterpriseName, item.InstitutionName, item.ServiceTitle, item.PayoutFen, objection.FiledAt, objection.Status, objection.Resolution, objection.ResolvedAt);
    }

    /// <summary>The city's objections for its bureau's work list (one partition), in filing order.</summary>
    public Task<List<ObjectionIndexEntity>> CityObjectionsAsync(string cityCode, CancellationToken ct) =>
        settlements.Tables.PartitionAsync<ObjectionIndexEntity>(VoucherStore.PublicityIndex, ObjectionIndexEntity.CityPartition(cityCode), 20_000, ct);

    /// <summary>Writes (again) the work-list row of an objection from the objection and its redemption.</summary>
    Task IndexObjectionAsync(ObjectionEntity objection, RedemptionEntity r, CancellationToken ct) =>
        settlements.Tables.UpsertAsync(VoucherStore.PublicityIndex, new ObjectionIndexEntity
        {
            PartitionKey = ObjectionIndexEntity.CityPartition(r.CityCode),
            RowKey = objection.RowKey,
            RedemptionId = r.RedemptionId,
            BatchId = objection.BatchId,
            ReceiptNo = objection.ReceiptNo,
            EnterpriseName = r.EnterpriseName,
            InstitutionName = r.InstitutionName,
            ServiceTitle = r.ServiceTitle,
            PayoutFen = r.PayoutFen,
            Grounds = objection.Grounds,
            FiledAt = objection.FiledAt,
            Status = objection.Status.ToString(),
            Resolution = objection.Resolution,
            ResolvedAt = objection.ResolvedAt,
        }, ct);

    async Task<Dictionary<string, ObjectionStatus>> BatchObjectionsAsync(string cityCode, string batchId, CancellationToken ct)
    {
        var states = new Dictionary<string, ObjectionStatus>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ObjectionIndexEntity.CityPartition(cityCode)} and BatchId eq {batchId}");
        await foreach (var row in settlements.Tables.Table(VoucherStore.PublicityIndex).QueryAsync<ObjectionIndexEntity>(filter, cancellationToken: ct))
        {
            if (!Enum.TryParse<ObjectionStatus>(row.Status, out var status))
            {
                continue;
            }

            // Filing order: an open objection wins over earlier resolved ones; otherwise the latest resolution stands.
            if (!states.TryGetValue(row.RedemptionId, out var seen) || seen != ObjectionStatus.Open)
            {
                states[row.RedemptionId] = status;
            }
        }

        return states;
    }

    /// <summary>The approved rows of a batch, numbered, with the total (only the columns the notice shows are read).</summary>
    async Task<(IReadOnlyList<NoticeRow> Rows, long TotalFen)> RowsAsync(string batchId, int chunks, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (rowCache.TryGetValue(batchId, out var cached) && now - cached.ReadAt < RowCacheFor)
        {
            return (cached.Rows, cached.TotalFen);
        }

        // One query per chunk of the batch, four at a time (a 10,000-row partition read page after page took 4 s cold
        // under load); rows numbered in chunk order, then batch order within a chunk.
        var chunkCount = Math.Max(1, chunks);
        var parts = new List<BatchItemEntity>[chunkCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, chunkCount), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (chunk, token) =>
        {
            var filter = chunks > 0
                ? TableClient.CreateQueryFilter($"PartitionKey eq {batchId} and Chunk eq {chunk} and Decision eq {RowVerdicts.Name(RowVerdict.Approve)}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {batchId} and Decision eq {RowVerdicts.Name(RowVerdict.Approve)}");
            var part = new List<BatchItemEntity>();
            await foreach (var item in settlements.Tables.Table(VoucherStore.BatchItems).QueryAsync<BatchItemEntity>(filter, maxPerPage: 1000, select: RowColumns, cancellationToken: token))
            {
                part.Add(item);
            }

            parts[chunk] = part;
        });
        var rows = new List<NoticeRow>();
        long total = 0;
        foreach (var item in parts.SelectMany(p => p))
        {
            rows.Add(new NoticeRow(rows.Count + 1, item.RowKey, item.EnterpriseName, item.InstitutionName, item.ServiceCategory, item.ServiceTitle, item.PayoutFen));
            total += item.PayoutFen;
        }

        rowCache[batchId] = (rows, total, now);
        return (rows, total);
    }

    static NoticeSummary Summary(PublicityIndexEntity i, bool current) =>
        new(i.RowKey, i.CityCode, SettlementIds.Split(i.RowKey)?.Period ?? "", i.PublicityStart, i.PublicityEnd, i.PublicityProvisional, current);
}

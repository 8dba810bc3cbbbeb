using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Evidence;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// When a redemption's row can vouch for its whole status view, so that a poll naming the row's tag is answered 304
/// after reading the row alone. The view also shows the history (the redemption's own audit partition and its
/// entries in its batch's) and the evidence files, which are written apart from the row. So every write the view
/// shows is announced on the row before it is made:
/// <list type="bullet">
/// <item><see cref="RedemptionEntity.ViewKey"/> <c>h:{key}</c> — the step that wrote the row writes the history entry
/// with this row key next; the row vouches once the history holds it (a step run again writes the same key).</item>
/// <item><see cref="RedemptionEntity.ViewKey"/> <c>t:{ticks}</c> — the row was touched at this time (UTC ticks) by a
/// writer that writes something else the view shows right after (a bureau's decision in a batch, a claw-back, the end
/// of the evidence's retention, a row write that names no entry); the row vouches once <see cref="Settle"/> has passed
/// since, by when that write is in or was never made.</item>
/// <item>One column per evidence kind (<see cref="FileColumn"/>) — the blob of the file of that kind the view lists:
/// an upload names its blob there before it records the file, so the row vouches only while every listed file is
/// the one its kind's column names (and every named one is listed).</item>
/// </list>
/// The parts are <c>;</c>-separated (a touch, and up to <see cref="EntriesKept"/> named entries); the row vouches when each holds. A row written
/// before the key was kept (null) never vouches: its answers carry the body's hash, as before.
/// </summary>
public static class RedemptionViewKey
{
    /// <summary>
    /// How long after a touch the write it announced is taken to be in: longer than a request, and than an activity's
    /// retry after a host died mid-step (the work item's 120-s visibility), so a retried step's late entry is covered too.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMinutes(5);

    const string History = "h:";
    const string Touch = "t:";

    /// <summary>How many named entries the row keeps: the newest and those of the writes just before it, which may still be on their way.</summary>
    public const int EntriesKept = 3;

    /// <summary>
    /// The key after a step names the history entry it writes next. The entries named by the writes just before are
    /// kept (one of them may have raced this one and be written after it), and so is a touch (it may still be settling).
    /// </summary>
    public static string Announce(string? current, string auditKey) =>
        string.Join(';', Parts(current, Touch).Select(t => Touch + t)
            .Concat(Parts(current, History).Where(h => h != auditKey).TakeLast(EntriesKept - 1).Append(auditKey).Select(h => History + h)));

    /// <summary>The key after a write that names no entry: touched now; the named entries are kept (they may still be on their way).</summary>
    public static string Touched(string? current, DateTimeOffset now) =>
        string.Join(';', Parts(current, History).Select(h => History + h).Append(TouchOf(now)));

    /// <summary>
    /// True when <paramref name="r"/> vouches for a view read after it with <paramref name="history"/> and
    /// <paramref name="files"/>: the named entry is there (its key, or the part after <c>|</c> of an entry in the batch's
    /// partition), the touch has settled, and the files are the ones the row names.
    /// </summary>
    public static bool Vouches(RedemptionEntity r, IEnumerable<AuditEntry> history, IReadOnlyList<Evidence.EvidenceEntity> files, DateTimeOffset now)
    {
        if (r.ViewKey is not { } viewKey)
        {
            return false;
        }

        if (Parts(viewKey, Touch).Any(touched => !long.TryParse(touched, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || now.UtcTicks - ticks < Settle.Ticks))
        {
            return false;
        }

        var filesNamed = EvidenceRules.Required.All(kind =>
        {
            var slug = EvidenceRules.Slug(kind);
            var named = r.ViewFileOf(slug);
            var listed = files.FirstOrDefault(f => f.RowKey == slug)?.BlobName;
            return string.IsNullOrEmpty(named) ? listed is null : named == listed;
        });
        var written = history.Select(AuditLog.ChangeKeyOf).ToHashSet(StringComparer.Ordinal);
        return filesNamed && Parts(viewKey, History).All(written.Contains);
    }

    /// <summary>The row's column naming the blob of the file of kind <paramref name="slug"/> (<c>report</c> → <c>ViewFileReport</c>).</summary>
    public static string FileColumn(string slug) => "ViewFile" + char.ToUpperInvariant(slug[0]) + slug[1..];

    /// <summary>
    /// Before a file of kind <paramref name="slug"/> is recorded: its blob is named in that kind's column (one storage
    /// call, no read; the other columns are left as they are, and a concurrent guarded write of the row is retried by
    /// its writer). A missing row is no error.
    /// </summary>
    /// <param name="known">The ETag of the row as the caller read it: the merge is made under it first.</param>
    /// <returns>
    /// The row's new ETag when the merge was made under <paramref name="known"/> (so the caller's row plus this column is
    /// the row as stored); null when the row changed since (merged all the same), when none was given, or when there is no row.
    /// </returns>
    public static async Task<ETag?> AnnounceFileAsync(VoucherStore store, string redemptionId, string slug, string blobName, ETag? known, CancellationToken ct)
    {
        var column = new Dictionary<string, object> { [FileColumn(slug)] = blobName };
        if (known is { } etag)
        {
            try
            {
                return await MergeAsync(store, redemptionId, column, etag, ct);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
            }
        }

        await MergeAsync(store, redemptionId, column, ETag.All, ct);
        return null;
    }

    /// <summary>Before the evidence's retention deletes its files and says so in the history: no file is named any more, and the row is touched.</summary>
    public static Task ForgetFilesAsync(VoucherStore store, string redemptionId, DateTimeOffset now, CancellationToken ct) =>
        MergeAsync(store, redemptionId, EvidenceRules.Required.ToDictionary(k => FileColumn(EvidenceRules.Slug(k)), _ => (object)"")
            .Append(new KeyValuePair<string, object>(nameof(RedemptionEntity.ViewKey), TouchOf(now))).ToDictionary(), ETag.All, ct);

    /// <summary>
    /// Touches the row before a write the view shows that does not write the row itself (one storage call, no read;
    /// a concurrent guarded write of the row is then retried by its writer, which keeps the touch). The named entries go
    /// with the rest of the key: one still on its way is in before the touch settles. A missing row is no error.
    /// </summary>
    public static Task TouchAsync(VoucherStore store, string redemptionId, DateTimeOffset now, CancellationToken ct) =>
        MergeAsync(store, redemptionId, new Dictionary<string, object> { [nameof(RedemptionEntity.ViewKey)] = TouchOf(now) }, ETag.All, ct);

    static async Task<ETag?> MergeAsync(VoucherStore store, string redemptionId, IDictionary<string, object> columns, ETag ifMatch, CancellationToken ct)
    {
        if (!RedemptionStore.IsWellFormedId(redemptionId))
        {
            return null;
        }

        try
        {
            var written = await store.Table(VoucherStore.Redemptions).UpdateEntityAsync(new TableEntity(columns) { PartitionKey = RedemptionStore.PartitionOf(redemptionId), RowKey = redemptionId }, ifMatch, TableUpdateMode.Merge, ct);
            return written.Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    static string TouchOf(DateTimeOffset now) => Touch + now.UtcTicks.ToString(CultureInfo.InvariantCulture);

    static IEnumerable<string> Parts(string? viewKey, string prefix) =>
        (viewKey ?? "").Split(';').Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p[prefix.Length..]);
}

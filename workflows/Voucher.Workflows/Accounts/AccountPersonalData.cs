using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Retention;

namespace Voucher.Workflows.Accounts;

/// <summary>The personal data accounts hold about one party's people, as stored rows (copied whole by the export).</summary>
public sealed record PartyPeopleRows(IReadOnlyList<TableEntity> People, IReadOnlyList<TableEntity> Memberships, IReadOnlyList<TableEntity> Claims, IReadOnlyList<string> AuditSubjects);

/// <summary>
/// Accounts' part of the personal-data rules, in one place: what the party's copy of its personal data takes from
/// accounts (<see cref="Enterprises.PersonalDataExport"/>: every person who holds or held a membership of the party —
/// name, phone, e-mail — with the membership rows, the claims on the party with their documents' names, types, sizes and
/// SHA-256, and the audit subjects of both), and the retention of claims' documents and people's names (<see cref="ApplyRetentionAsync"/>).
/// </summary>
public sealed class AccountPersonalData(VoucherStore store, IMemberships memberships, AuditLog audit, RetentionSettings settings)
{
    public const string Actor = "retention";

    /// <summary>A rejected claim's documents are kept this long after the rejection (they let the claimant ask why); not a setting.</summary>
    public static readonly TimeSpan RejectedClaimDocumentsKept = TimeSpan.FromDays(365);

    /// <summary>What the person-row erasure writes instead of the name.</summary>
    public const string ErasedName = "（已删除）";

    /// <summary>The rows about a party's people (memberships of every state, so people who left are in the copy too).</summary>
    public async Task<PartyPeopleRows> OfPartyAsync(Role role, string scope, CancellationToken ct)
    {
        var people = new List<TableEntity>();
        var rows = new List<TableEntity>();
        var claims = new List<TableEntity>();
        var subjects = new List<string>();
        var kind = ClaimParties.KindOf(role);
        foreach (var m in await memberships.OfPartyAsync(role, scope, ct))
        {
            var partition = MembershipKeys.PersonPartition(m.Subject);
            if (await store.GetAsync<TableEntity>(VoucherStore.Memberships, partition, MembershipKeys.PersonRow, ct) is { } person && people.All(p => p.PartitionKey != partition))
            {
                people.Add(person);
            }

            if (await store.GetAsync<TableEntity>(VoucherStore.Memberships, partition, m.Id, ct) is { } row)
            {
                rows.Add(row);
            }

            subjects.Add(MembershipKeys.AuditSubject(m.Id));
            var claimId = ClaimIds.Of(kind, m.Subject, ClaimParties.CodeOf(kind, scope));
            if (await store.GetAsync<TableEntity>(OnboardingTables.Claims, claimId, ClaimEntity.Row, ct) is { } claim)
            {
                claims.Add(claim);
                subjects.Add(ClaimService.AuditSubject(claimId));
            }
        }

        return new PartyPeopleRows(people, rows, claims, subjects);
    }

    /// <summary>
    /// The daily retention of accounts' personal data (a timer's scans, never a request's), each step idempotent:
    /// a decided claim's two documents are deleted <see cref="RetentionSettings.EvidenceYears"/> years after a verification
    /// (they back every act of the membership) or <see cref="RejectedClaimDocumentsKept"/> after a rejection — the blobs and
    /// every version, the claim row's file columns emptied, the deletion audited on the claim (which files, SHA-256); and
    /// a person none of whose memberships has acted for <see cref="RetentionSettings.EvidenceYears"/> years (or who never held
    /// one) has the name, phone and e-mail erased from their person row, audited on the person. A waiting claim keeps all.
    /// </summary>
    public async Task<(int ClaimDocuments, int People)> ApplyRetentionAsync(DateTimeOffset now, CancellationToken ct)
    {
        var documents = 0;
        var verifiedCutoff = now.AddYears(-settings.EvidenceYears);
        var rejectedCutoff = now - RejectedClaimDocumentsKept;
        var decided = TableClient.CreateQueryFilter($"DecidedAt lt {rejectedCutoff}");
        await foreach (var claim in store.Table(OnboardingTables.Claims).QueryAsync<ClaimEntity>(decided, maxPerPage: 1000, cancellationToken: ct))
        {
            var due = claim.DecidedAt is { } at && claim.Status switch
            {
                ClaimStatus.Rejected => at < rejectedCutoff,
                ClaimStatus.Verified => at < verifiedCutoff,
                _ => false,
            };
            if (due)
            {
                documents += await DeleteDocumentsAsync(claim, now, ct);
            }
        }

        var people = 0;
        var latest = new Dictionary<string, (PersonEntity? Person, DateTimeOffset Last, bool Acts)>(StringComparer.Ordinal);
        await foreach (var row in store.Table(VoucherStore.Memberships).QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: ct))
        {
            var entry = latest.GetValueOrDefault(row.PartitionKey, (null, DateTimeOffset.MinValue, false));
            if (row.RowKey == MembershipKeys.PersonRow)
            {
                var person = await store.GetAsync<PersonEntity>(VoucherStore.Memberships, row.PartitionKey, MembershipKeys.PersonRow, ct);
                entry = (person, Max(entry.Last, person?.FirstSeen ?? DateTimeOffset.MinValue), entry.Acts);
            }
            else
            {
                var state = row.GetString(nameof(MembershipEntity.State));
                entry = (entry.Person, Max(entry.Last, row.GetDateTimeOffset(nameof(MembershipEntity.ChangedAt)) ?? DateTimeOffset.MinValue),
                    entry.Acts || state is nameof(MembershipState.Pending) or nameof(MembershipState.Verified));
            }

            latest[row.PartitionKey] = entry;
        }

        foreach (var (_, (person, last, acts)) in latest)
        {
            if (person is not null && !acts && last < verifiedCutoff && person.Name != ErasedName)
            {
                await audit.AppendAsync(PersonAuditSubject(person.Subject), Actor, last.AddYears(settings.EvidenceYears), "", "", 0,
                    $"人员信息保存期满（最后一次身份变更后 {settings.EvidenceYears} 年），已删除姓名、电话和电子邮箱 (person data erased)", ct);
                person.Name = ErasedName;
                person.Phone = "";
                person.Email = "";
                await store.UpsertAsync(VoucherStore.Memberships, person, ct);
                people++;
            }
        }

        return (documents, people);
    }

    /// <summary>The audit subject of a person's own record (escaped as the person's partition is).</summary>
    public static string PersonAuditSubject(string subject) => "person:" + MembershipKeys.PersonPartition(subject);

    static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    async Task<int> DeleteDocumentsAsync(ClaimEntity claim, DateTimeOffset now, CancellationToken ct)
    {
        var files = ClaimDocuments.All.Select(claim.File).Where(f => f.BlobName.Length > 0).ToList();
        if (files.Count == 0)
        {
            return 0;
        }

        var listed = string.Join("；", files.Select(f => $"{ClaimDocuments.Chinese(f.Document)} {f.FileName} {f.Size} 字节 SHA-256 {f.Sha256}"));
        await audit.AppendAsync(ClaimService.AuditSubject(claim.ClaimId), Actor, claim.DecidedAt!.Value, claim.StatusName, claim.StatusName, 0,
            $"认领材料保存期满，已于 {ChinaTime.DateOf(now.UtcDateTime):yyyy-MM-dd} 删除 (claim documents deleted)：{listed}", ct);
        foreach (var f in files)
        {
            var blob = store.EvidenceBlobs.GetBlobClient(f.BlobName);
            await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct);
            await foreach (var item in store.EvidenceBlobs.GetBlobsAsync(BlobTraits.None, BlobStates.Version, f.BlobName, ct))
            {
                if (item.Name == f.BlobName && item.VersionId is { Length: > 0 } version)
                {
                    await blob.WithVersion(version).DeleteIfExistsAsync(cancellationToken: ct);
                }
            }

            claim.SetFile(new ClaimFile(f.Document, "", f.ContentType, f.FileName, f.Size, f.Sha256));
        }

        await store.UpsertAsync(OnboardingTables.Claims, claim, ct);
        return files.Count;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Voucher.Workflows.Agencies;
using Voucher.Workflows.Audit;

namespace Voucher.Workflows.Enterprises;

/// <summary>
/// A copy of everything the system holds about one enterprise, for the enterprise itself (its right to a copy of its
/// personal data): the registration (profile and contacts), the bank account for pay-outs (whole: it is the enterprise's
/// own) and a change of it waiting for confirmation, applications, vouchers, redemptions with their evidence files (name, type, size, SHA-256 — the
/// files themselves are on each redemption's page), delegations to agencies, the credit file, the enterprise's people
/// (their person rows — name, phone — and memberships) and the claims on it with their documents' names, types, sizes
/// and SHA-256 (<see cref="Accounts.AccountPersonalData"/>), and the audit entries about the enterprise, its applications,
/// redemptions, delegations, memberships and claims. Rows are copied whole (every stored column), so a column
/// added later is in the copy without a change here. Only the enterprise signed in as itself may ask: an agency's
/// delegation groups name single acts, and a bulk copy of the party's personal data is none of them.
/// </summary>
public sealed partial class PersonalDataExport(VoucherStore store, AuditLog audit, TimeProvider time, ILogger<PersonalDataExport> log, Accounts.AccountPersonalData? people = null)
{
    public const string Format = "voucher-personal-data/1";

    public async Task<Outcome<byte[]>> ExportAsync(VoucherPrincipal caller, CancellationToken ct)
    {
        if (caller.Role != Role.Enterprise || caller.Agency is not null || string.IsNullOrEmpty(caller.Scope))
        {
            return new Failure.Forbidden("只有企业本身可以下载本企业的个人信息副本 (Only the enterprise itself may download its personal data)");
        }

        var uscc = caller.Scope;
        var own = await RowsAsync(VoucherStore.Enterprises, uscc, ct);
        var profile = own.Where(r => r.RowKey == EnterpriseEntity.ProfileRow).ToList();
        if (profile.Count == 0)
        {
            return new Failure.NotFound("企业尚未登记 (The enterprise is not registered)");
        }

        var applications = RowsAsync(VoucherStore.Applications, uscc, ct);
        var vouchers = RowsAsync(VoucherStore.Vouchers, uscc, ct);
        var redemptions = RowsAsync(VoucherStore.Redemptions, uscc, ct);
        var delegations = RowsAsync(VoucherStore.Delegations, DelegationStore.PartyPartition(Role.Enterprise, uscc), ct);
        var credit = RowsAsync(VoucherStore.CreditHistory, uscc, ct);
        var accounts = people is null ? Task.FromResult(new Accounts.PartyPeopleRows([], [], [], [])) : people.OfPartyAsync(Role.Enterprise, uscc, ct);
        await Task.WhenAll(applications, vouchers, redemptions, delegations, credit, accounts);

        var subjects = new List<string> { AuditSubjects.Enterprise(uscc), AuditSubjects.Delegations(DelegationStore.PartyPartition(Role.Enterprise, uscc)) };
        subjects.AddRange((await accounts).AuditSubjects);
        subjects.AddRange((await applications).Select(a => AuditSubjects.Application(a.RowKey)));
        var redemptionList = new JsonArray();
        var auditEntries = new JsonArray();
        foreach (var r in await redemptions)
        {
            var node = Node(r);
            var evidence = await RowsAsync(VoucherStore.Evidence, r.RowKey, ct);
            node["evidence"] = new JsonArray([.. evidence.Select(Node)]);
            redemptionList.Add(node);
            foreach (var entry in await audit.ReadRedemptionAsync(r.RowKey, r.GetString("BatchId"), ct))
            {
                auditEntries.Add(AuditNode(entry));
            }
        }

        foreach (var subject in subjects)
        {
            foreach (var entry in await audit.ReadAsync(subject, ct))
            {
                auditEntries.Add(AuditNode(entry));
            }
        }

        var p = profile[0];
        var document = new JsonObject
        {
            ["format"] = Format,
            ["exportedAt"] = time.GetUtcNow(),
            ["uscc"] = uscc,
            ["about"] = "本文件是山西省科技创新券管理系统保存的本企业信息和记录的完整副本（每条记录保存的全部字段）。",
            ["profile"] = Node(p),
            ["contacts"] = new JsonArray(new JsonObject
            {
                ["name"] = p.GetString("ContactName"),
                ["phone"] = p.GetString("ContactPhone"),
                ["address"] = p.GetString("Address"),
                ["source"] = "profile",
            }),
            ["bankAccount"] = own.FirstOrDefault(r => r.RowKey == BankAccountEntity.CurrentRow) is { } bank ? Node(bank) : null,
            ["bankAccountPendingChange"] = own.FirstOrDefault(r => r.RowKey == BankAccountEntity.PendingRow) is { } pending ? Node(pending) : null,
            ["bankAccountNote"] = "收款银行账户由企业在企业信息页填写，财政局拨付时使用；变更须企业再次确认后生效（见审计记录）。",
            ["applications"] = new JsonArray([.. (await applications).Select(Node)]),
            ["vouchers"] = new JsonArray([.. (await vouchers).Select(Node)]),
            ["redemptions"] = redemptionList,
            ["delegations"] = new JsonArray([.. (await delegations).Select(Node)]),
            ["creditHistory"] = new JsonArray([.. (await credit).Select(Node)]),
            ["people"] = new JsonArray([.. (await accounts).People.Select(Node)]),
            ["memberships"] = new JsonArray([.. (await accounts).Memberships.Select(Node)]),
            ["claims"] = new JsonArray([.. (await accounts).Claims.Select(Node)]),
            ["audit"] = auditEntries,
        };

        // The copy itself is recorded: who took what, when (no state change, so from and to are empty).
        var now = time.GetUtcNow();
        await audit.AppendAsync(AuditSubjects.Enterprise(uscc), caller.Actor, now, "", "", 0,
            $"企业下载了本企业的个人信息副本 (personal data exported)：{(await applications).Count} 件申请、{(await redemptions).Count} 件兑付、{auditEntries.Count} 条记录", ct);
        Log.Exported(log, uscc, auditEntries.Count);
        return JsonSerializer.SerializeToUtf8Bytes(document, Indented);
    }

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    async Task<List<TableEntity>> RowsAsync(string table, string partition, CancellationToken ct) =>
        await store.PartitionAsync<TableEntity>(table, partition, 1000, ct);

    /// <summary>A stored row as JSON: its keys and every column (the storage's own ETag left out).</summary>
    static JsonObject Node(TableEntity row)
    {
        var node = new JsonObject();
        foreach (var (key, value) in row.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (key is "odata.etag")
            {
                continue;
            }

            node[key] = value switch
            {
                null => null,
                byte[] bytes => Convert.ToBase64String(bytes),
                _ => JsonValue.Create(value),
            };
        }

        return node;
    }

    static JsonObject AuditNode(AuditEntry e) => new()
    {
        ["subject"] = e.Subject,
        ["at"] = e.At,
        ["actor"] = e.Actor,
        ["from"] = e.FromState,
        ["to"] = e.ToState,
        ["detail"] = e.Detail,
        ["agency"] = e.Agency,
        ["actedFor"] = e.ActedFor,
        ["policyVersion"] = e.PolicyVersion,
    };

    static partial class Log
    {
        [LoggerMessage(EventId = Hosting.LogEventIds.Operations + 20, Level = LogLevel.Information, Message = "Personal data of enterprise {Uscc} exported ({AuditEntries} audit entries)")]
        public static partial void Exported(ILogger logger, string uscc, int auditEntries);
    }
}

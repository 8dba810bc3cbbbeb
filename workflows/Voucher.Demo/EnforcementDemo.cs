using Voucher.Domain;
using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Ledger;
using Voucher.Workflows.Storage;

namespace Voucher.Demo;

/// <summary>
/// Demo data (<c>--demo</c>) for supervision: an expert pool (fields, affiliations, one declared tie) and a voucher
/// history for the Linfen demo enterprise (money granted in the two previous years), which makes it trusted for
/// pre-payment. Adds only what is missing.
/// </summary>
public static class EnforcementDemo
{
    public static async Task SeedAsync(VoucherStore store, DateTimeOffset now, CancellationToken ct = default)
    {
        (string Id, string Name, string Fields, string Institution, string Affiliation, string Ties)[] experts =
        [
            ("expert-001", "李检测", "testing,scientific-data", "inst-tyut", "太原理工大学", ""),
            ("expert-002", "王查新", "novelty-search,consulting", "inst-dtu", "山西大同大学", ""),
            ("expert-003", "赵农科", "germplasm,consulting,testing", "inst-sxau", "山西农业大学", DemoData.Enterprises[2].Uscc),
        ];
        foreach (var e in experts)
        {
            await store.TryAddAsync(VoucherStore.Experts, new ExpertEntity
            {
                PartitionKey = ExpertEntity.Pool, RowKey = e.Id, Name = e.Name, Fields = e.Fields, AffiliationInstitutionId = e.Institution,
                Affiliation = e.Affiliation, TiedUsccs = e.Ties, UpdatedBy = "demo", UpdatedAt = now,
            }, ct);
        }

        var trusted = DemoData.Enterprises[3].Uscc;
        var ledger = new CapLedger(store);
        var year = ChinaTime.DateOf(now.UtcDateTime).Year;
        foreach (var y in new[] { year - 2, year - 1 })
        {
            await ledger.ReserveAsync(trusted, y, $"demo-history-{y}", Cny.FromYuan(200_000m), _ => Cny.FromYuan(45_000m), ct);
            await ledger.GrantAsync(trusted, y, $"demo-history-{y}", ct);
        }
    }
}

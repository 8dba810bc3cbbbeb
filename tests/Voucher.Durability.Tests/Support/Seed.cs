using Voucher.Workflows.Marketplace;

namespace Voucher.Durability.Tests.Support;

/// <summary>Rows written straight into Azurite: catalogue, enterprises with vouchers, queued redemptions.</summary>
public static class Seed
{
    public const string Period = "2026Q4";

    /// <summary>The China date of now, as the product computes it.</summary>
    public static DateOnly ChinaToday => ChinaTime.DateOf(DateTime.UtcNow);

    /// <summary>The settlement period of today under the default quarterly cadence (e.g. 2026Q4).</summary>
    public static string CurrentPeriod => $"{ChinaToday.Year}Q{(ChinaToday.Month - 1) / 3 + 1}";

    public static TableClient Table(TableServiceClient tables, string name) => tables.GetTableClient(name);

    /// <summary>A verified institution of <paramref name="city"/> with one testing service; returns (institutionId, serviceId).</summary>
    public static async Task<(string InstitutionId, string ServiceId)> InstitutionAsync(TableServiceClient tables, string city)
    {
        var id = "inst-" + Guid.NewGuid().ToString("N")[..12];
        await Table(tables, VoucherStore.Institutions).CreateIfNotExistsAsync();
        await Table(tables, VoucherStore.Services).CreateIfNotExistsAsync();
        await Table(tables, VoucherStore.Institutions).UpsertEntityAsync(new InstitutionEntity
        {
            PartitionKey = id, Verified = true, CityCode = city, Name = "山西测试检测研究院 " + id, Type = "research-institute", Code = id,
        });
        await Table(tables, VoucherStore.Services).UpsertEntityAsync(new ServiceEntity
        {
            PartitionKey = id, RowKey = "svc-testing", Title = "材料检测 Materials testing", Category = "testing", CityCode = city,
            PriceFromFen = 100_000, PriceToFen = 10_000_000, TurnaroundDays = 10,
        });
        return (id, "svc-testing");
    }

    /// <summary>A registered enterprise of <paramref name="city"/> with one active 50,000-yuan voucher; returns (USCC, voucherId).</summary>
    public static async Task<(string Uscc, string VoucherId)> EnterpriseWithVoucherAsync(TableServiceClient tables, string city)
    {
        var uscc = TestUscc.New();
        await Table(tables, VoucherStore.Enterprises).CreateIfNotExistsAsync();
        await Table(tables, VoucherStore.Vouchers).CreateIfNotExistsAsync();
        await Table(tables, VoucherStore.Enterprises).UpsertEntityAsync(A.Enterprise().InCity(city).WithUscc(uscc).Named("持久性测试科技有限公司 " + uscc[8..12]).Build());
        var voucher = A.Voucher(uscc, city).Build();
        await Table(tables, VoucherStore.Vouchers).UpsertEntityAsync(voucher);
        return (uscc, voucher.RowKey);
    }

    /// <summary>
    /// <paramref name="count"/> redemptions of <paramref name="city"/> already queued for settlement, as the product leaves
    /// them: the row (Queued, pay-out computed), the queue row, and the annual-cap reservation. Spread over enterprises
    /// of 100 each (one entity-group transaction per enterprise). Returns the redemption ids.
    /// </summary>
    public static async Task<IReadOnlyList<string>> QueuedRedemptionsAsync(TableServiceClient tables, string city, int count, string institutionId)
    {
        foreach (var name in new[] { VoucherStore.Redemptions, VoucherStore.SettlementQueue, VoucherStore.Ledger })
        {
            await Table(tables, name).CreateIfNotExistsAsync();
        }

        var ids = new List<string>();
        var queueRows = new List<SettlementQueueEntity>();
        var baseTime = DateTimeOffset.UtcNow.AddMinutes(-30);
        var year = ChinaToday.Year;
        var paid = Cny.FromYuan(2_000m); // inside the face value, far below the annual cap.
        var computation = PayoutRules.Compute(paid, Cny.FromYuan(50_000m), 0.5m, Cny.FromYuan(200_000m));
        for (var first = 0; first < count; first += 100)
        {
            var uscc = TestUscc.New();
            var voucherId = VoucherEntity.IdFor($"{uscc}-{year}-01");
            var rows = new List<RedemptionEntity>();
            var reservations = new Dictionary<string, long>();
            for (var i = first; i < Math.Min(count, first + 100); i++)
            {
                var queuedAt = baseTime.AddTicks(i * 10_000L);
                var r = A.Redemption(uscc, voucherId, city).Numbered(i - first + 1).ByEnterprise("批量测试企业 " + uscc[8..12])
                    .AtInstitution(institutionId, "山西测试检测研究院").ForService("svc-testing", "材料检测 Materials testing", "testing")
                    .UnderContract($"HT-{i:D5}").Paying(paid).InStatus(RedemptionStatus.Queued).SubmittedAt(queuedAt.AddHours(-1))
                    .BoundWithEvidence(queuedAt.AddMinutes(-30), queuedAt.AddMinutes(-20), "dev:institution:" + institutionId)
                    .WithPayout(computation, year).With(row => row.QueuedAt = queuedAt).Build();
                rows.Add(r);
                reservations[r.RowKey] = r.PayoutFen;
                queueRows.Add(new SettlementQueueEntity
                {
                    PartitionKey = city, RowKey = RedemptionStore.QueueRowKey(r), RedemptionId = r.RowKey, PayoutFen = r.PayoutFen, QueuedAt = queuedAt,
                });
                ids.Add(r.RowKey);
            }

            await Table(tables, VoucherStore.Redemptions).SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)));
            await Table(tables, VoucherStore.Ledger).UpsertEntityAsync(new CapLedgerEntity
            {
                PartitionKey = uscc, RowKey = CapLedger.RowKey(year), ReservedFen = reservations.Values.Sum(), ReservationsJson = JsonSerializer.Serialize(reservations),
            });
        }

        foreach (var slice in queueRows.Chunk(100))
        {
            await Table(tables, VoucherStore.SettlementQueue).SubmitTransactionAsync(slice.Select(q => new TableTransactionAction(TableTransactionActionType.UpsertReplace, q)));
        }

        return ids;
    }
}

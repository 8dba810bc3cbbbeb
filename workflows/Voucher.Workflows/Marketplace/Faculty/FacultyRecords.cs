using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Marketplace;

/// <summary>One SME service a staff member delivered: an order taken, or a redemption paid out (evidence for title evaluation, §4.6).</summary>
public sealed record FacultyEntry(string Staff, string Kind, string Date, string Enterprise, string Service, Cny Amount, string Reference);

/// <summary>
/// The faculty service record: for each staff member named on an institution's services, the SME service orders
/// they deliver (staff copied onto the order when it was taken) and the paid redemptions of their services.
/// Read from the institution's own pointer partitions (orders, redemption index), never a table scan.
/// </summary>
public sealed class FacultyRecords(MarketStore market, CatalogueStore catalogue, RedemptionStore redemptions)
{
    public static IReadOnlyList<string> Split(string staff) =>
        staff.Split(['、', ',', '，', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>An institution's record (one staff member's, when named), read by the institution itself or the province centre.</summary>
    public async Task<Outcome<List<FacultyEntry>>> ReadAsync(VoucherPrincipal caller, string institutionId, string? staff, CancellationToken ct)
    {
        if (!MarketAccess.SeesAllOf(caller, institutionId))
        {
            return new Failure.Forbidden("只能查看本机构人员的服务记录 (Only your own institution's staff)");
        }

        return await ForInstitutionAsync(institutionId, string.IsNullOrEmpty(staff) ? null : staff, ct);
    }

    public async Task<List<FacultyEntry>> ForInstitutionAsync(string institutionId, string? staff, CancellationToken ct)
    {
        var services = (await catalogue.ServicesOfAsync(institutionId, ct)).ToDictionary(s => s.ServiceId, StringComparer.Ordinal);
        var entries = new List<FacultyEntry>();
        foreach (var o in await market.OrdersOfAsync(MarketStore.InstitutionOwner(institutionId), ct))
        {
            foreach (var name in Split(o.Staff))
            {
                entries.Add(new FacultyEntry(name, "服务订单 order", ChinaTime.DateOf(o.CreatedAt.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), o.EnterpriseName, o.ServiceTitle, Cny.FromFen(o.AgreedPriceFen), o.OrderId));
            }
        }

        foreach (var row in await redemptions.ForInstitutionAsync(institutionId, ct))
        {
            if (row.Status != RedemptionStatus.Paid || await redemptions.GetAsync(row.RowKey, ct) is not { ServiceId: { } serviceId } r
                || !services.TryGetValue(serviceId, out var service))
            {
                continue;
            }

            foreach (var name in Split(service.Staff))
            {
                entries.Add(new FacultyEntry(name, "创新券兑付 redemption paid", row.PaidOn ?? "", r.EnterpriseName, r.ServiceTitle, Cny.FromFen(r.AmountPaidFen), r.RedemptionId));
            }
        }

        return [.. entries.Where(e => string.IsNullOrEmpty(staff) || e.Staff == staff).OrderBy(e => e.Staff, StringComparer.Ordinal).ThenByDescending(e => e.Date, StringComparer.Ordinal)];
    }

    /// <summary>Every staff name on the institution's services.</summary>
    public async Task<List<string>> StaffAsync(string institutionId, CancellationToken ct)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var s in await catalogue.ServicesOfAsync(institutionId, ct))
        {
            names.UnionWith(Split(s.Staff));
        }

        return [.. names];
    }

    /// <summary>The kind in Chinese (entries keep "服务订单 order", "创新券兑付 redemption paid" for the API).</summary>
    public static string KindName(string kind) => MarketPages.ChangeName(kind);

    /// <summary>An order (not a paid redemption).</summary>
    public static bool IsOrder(FacultyEntry e) => e.Kind.StartsWith("服务订单", StringComparison.Ordinal);

    /// <summary>CSV (UTF-8 with BOM so spreadsheet programs read the Chinese), one line per entry; cells quoted, formulas defused.</summary>
    public static byte[] Csv(IEnumerable<FacultyEntry> entries)
    {
        static string Cell(string v)
        {
            if (v.Length > 0 && "=+-@".Contains(v[0], StringComparison.Ordinal))
            {
                v = "'" + v;
            }

            return "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        }

        var sb = new StringBuilder("人员,类型,日期,企业,服务,金额（元）,编号\r\n");
        foreach (var e in entries)
        {
            sb.Append(string.Join(',', Cell(e.Staff), Cell(KindName(e.Kind)), Cell(e.Date), Cell(e.Enterprise), Cell(e.Service), Cell(e.Amount.ToInvariantString()), Cell(e.Reference))).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }
}

using Voucher.Workflows.Enterprises;

namespace Voucher.Workflows.Enforcement;

/// <summary>An enterprise's credit file as it stands today: years of voucher use, trusted for pre-payment, a bar in force, the entries newest first.</summary>
public sealed record CreditView(string Uscc, string Name, bool Trusted, IReadOnlyList<int> YearsOfUse, string? BarredUntil, IReadOnlyList<CreditEntryEntity> Entries);

/// <summary>The enterprise's credit file (信用记录), read by the enterprise itself, the province or the bureau of its city.</summary>
public sealed class CreditService(EnforcementStore enforcement, VoucherStore store, TimeProvider time)
{
    public async Task<Outcome<CreditView>> CreditAsync(VoucherPrincipal caller, string uscc, CancellationToken ct)
    {
        var enterprise = Uscc.TryValidate(uscc, out var valid, out _)
            ? await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, valid, EnterpriseEntity.ProfileRow, ct)
            : null;
        if (enterprise is null || !(caller.IsEnterprise(enterprise.Uscc) || ViolationService.MaySupervise(caller, enterprise.CityCode)))
        {
            return Enterprises.EnterpriseService.NotFound(uscc.ToUpperInvariant());
        }

        var today = ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);
        var years = (await enforcement.YearsOfUseAsync(enterprise.Uscc, ct)).Order().ToList();
        var trusted = await enforcement.IsTrustedAsync(enterprise.Uscc, today.Year, ct);
        var bar = await enforcement.BarredUntilAsync(enterprise.Uscc, today, ct);
        var entries = (await enforcement.CreditAsync(enterprise.Uscc, ct)).OrderByDescending(e => e.At).ToList();
        return new CreditView(enterprise.Uscc, enterprise.Name, trusted, years, bar?.ToString("yyyy-MM-dd"), entries);
    }
}

using Voucher.Workflows.Agencies;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;

namespace Voucher.Demo;

/// <summary>
/// Demo agency: 晋科通代理服务 (<see cref="AgencyId"/>), acting for the first demo enterprise in every enterprise action
/// group for a year. Sign in as 代理机构 with this id to try it. Idempotent: an existing delegation is kept.
/// </summary>
public sealed class AgencyDemoData(VoucherStore store, TimeProvider time)
{
    public const string AgencyId = "demo-agency";

    public async Task SeedAsync(CancellationToken ct = default)
    {
        var delegations = new DelegationStore(store, new AuditLog(store), time);
        await delegations.TryRegisterAgencyAsync(new AgencyEntity
        {
            RowKey = AgencyId, Name = "晋科通科技服务代理有限公司", CityCode = "taiyuan", ContactName = "演示代理人", ContactPhone = "13903519999", RegisteredAt = time.GetUtcNow(),
        }, ct);
        var agency = (await delegations.GetAgencyAsync(AgencyId, ct))!;
        var enterprise = DemoData.Enterprises[0];
        if ((await delegations.BetweenAsync(AgencyId, enterprise.Uscc, ct)).Count > 0)
        {
            return;
        }

        var party = new VoucherPrincipal("demo:" + enterprise.Uscc, enterprise.Name, Role.Enterprise, enterprise.Uscc);
        var actions = DelegationActions.For(Role.Enterprise).Select(g => g.Name).ToList();
        await delegations.CreateAsync(party, agency, actions, delegations.Today.AddYears(1), ct);
    }
}

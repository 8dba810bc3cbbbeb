using Voucher.Workflows.Agencies;
using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Accounts;

/// <summary>The scope each role's party takes, checked in one place (development sign-in, invitations, token roles).</summary>
public static class PartyScopes
{
    /// <summary>
    /// The party's scope in its stored form: a valid USCC for an enterprise, a city code for a bureau, an id of at most
    /// 64 characters for an institution, agency or expert, none for the province. False with a Chinese
    /// message otherwise.
    /// </summary>
    public static bool TryNormalize(Role role, string? scope, out string? normalized, out string? error)
    {
        var value = scope?.Trim() ?? "";
        normalized = null;
        error = null;
        switch (role)
        {
            case Role.Enterprise:
                if (!Uscc.TryValidate(value, out var uscc, out var usccError))
                {
                    error = Glossary.ChineseOnly(usccError ?? "统一社会信用代码无效。");
                    return false;
                }

                normalized = uscc;
                return true;
            case Role.CityBureau or Role.FinanceBureau:
                if (!Cities.TryGet(value, out var city))
                {
                    error = "请填写地市代码，如 taiyuan（太原市）。";
                    return false;
                }

                normalized = city.Code;
                return true;
            case Role.Institution or Role.Agency or Role.Expert:
                if (value.Length is 0 or > 64 || value.Any(char.IsControl))
                {
                    error = "请填写机构、代理机构或专家的编号（不超过 64 个字符）。";
                    return false;
                }

                normalized = value;
                return true;
            default:
                return true;
        }
    }

    /// <summary>What the scope field asks for, per role (forms explain it).</summary>
    public static string Hint(Role role) => role switch
    {
        Role.Enterprise => "统一社会信用代码",
        Role.CityBureau or Role.FinanceBureau => "地市代码，如 taiyuan",
        Role.Institution => "服务机构编号，如 inst-czmc",
        Role.Agency => "代理机构编号，如 demo-agency",
        Role.Expert => "专家编号",
        _ => "无需填写",
    };
}

/// <summary>A party's name as people read it: 太原市科技局, the enterprise's or institution's registered name, 省科技厅.</summary>
public sealed class PartyNames(VoucherStore store)
{
    public async Task<string> NameAsync(Role role, string? scope, CancellationToken ct)
    {
        var id = scope ?? "";
        var name = role switch
        {
            Role.CityBureau or Role.FinanceBureau => Glossary.BureauUnit(role, scope),
            Role.Province => "山西省科技厅",
            Role.Enterprise when id.Length > 0 => (await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, id, EnterpriseEntity.ProfileRow, ct))?.Name,
            Role.Institution when id.Length > 0 => (await store.GetAsync<InstitutionEntity>(VoucherStore.Institutions, id, InstitutionEntity.ProfileRow, ct))?.Name,
            Role.Agency when id.Length > 0 => (await store.GetAsync<AgencyEntity>(VoucherStore.Agencies, AgencyEntity.RegistryPartition, id, ct))?.Name,
            Role.Expert when id.Length > 0 => (await store.GetAsync<ExpertEntity>(VoucherStore.Experts, ExpertEntity.Pool, id, ct))?.Name,
            _ => null,
        };

        return name is { Length: > 0 } ? name : Unregistered(role, scope);
    }

    /// <summary>A party not registered yet: an enterprise by its USCC (on its own licence), others by role.</summary>
    static string Unregistered(Role role, string? scope) => role == Role.Enterprise && scope is { Length: > 0 }
        ? $"统一社会信用代码 {scope} 的企业（尚未登记）"
        : $"尚未登记的{RoleNames.Chinese(role)}";
}

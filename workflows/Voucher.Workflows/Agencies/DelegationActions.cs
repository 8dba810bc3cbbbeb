namespace Voucher.Workflows.Agencies;

/// <summary>
/// A named group of actions a party can delegate to an agency, and the routes (by name) it opens. The groups are a
/// fixed list: a delegation names groups, never single routes, so what an agency may do reads the same to everyone.
/// </summary>
public sealed record ActionGroup(string Name, string Label, Role PartyRole, IReadOnlySet<string> Routes);

public static class DelegationActions
{
    public const string ApplyForVoucher = "apply-for-voucher";
    public const string RequestRedemption = "request-redemption";
    public const string ViewRecords = "view-records";
    public const string EditProfile = "edit-profile";
    public const string ConfirmBinding = "confirm-binding";
    public const string UseMarket = "use-market";
    public const string RespondToDemand = "respond-to-demand";
    public const string ManageServices = "manage-services";

    /// <summary>The landing page: any valid delegation from the party opens it (it shows what the agency acts on).</summary>
    public const string HomeRoute = "Home";

    public static IReadOnlyList<ActionGroup> All { get; } =
    [
        new(ApplyForVoucher, "申请创新券", Role.Enterprise, Set("SubmitApplication", "PortalApply")),
        new(RequestRedemption, "申请兑付并上传凭证", Role.Enterprise, Set(
            "CreateRedemption", "PortalRequestRedemption", "RequestEvidenceUpload", "CompleteEvidenceUpload", "UploadEvidence", "PortalUploadEvidence",
            "WithdrawRedemption", "PortalWithdraw")),
        new(ViewRecords, "查看申请、创新券和兑付记录", Role.Enterprise, Set(
            "GetEnterprise", "GetApplication", "PortalApplication", "GetVoucher", "GetRedemption", "PortalRedemption", "GetEvidence", "GetCreditHistory", "PortalCredit")),
        new(EditProfile, "登记和修改企业信息", Role.Enterprise, Set(
            "RegisterEnterprise", "PortalRegister", "UpdateEnterpriseProfile", "PortalEnterpriseProfile", "PortalSaveEnterpriseProfile")),
        new(UseMarket, "发布服务需求、接受报价", Role.Enterprise, Set(
            "PortalMarket", "PostDemand", "PortalPostDemand", "ListDemands", "GetDemand", "AcceptOffer", "PortalAcceptOffer", "GetOrder", "PortalOrder")),
        new(ConfirmBinding, "确认兑付申请（机构确认）", Role.Institution, Set("BindRedemption", "PortalBindRedemption")),
        new(RespondToDemand, "查看匹配需求并报价", Role.Institution, Set(
            "PortalMatchingDemand", "ListDemands", "GetDemand", "MakeOffer", "PortalMakeOffer", "GetOrder", "PortalOrder")),
        new(ManageServices, "发布和维护服务", Role.Institution, Set(
            "PortalInstitution", "PublishService", "UpdateService", "SetServiceStatus", "PortalServiceForm", "PortalServiceSave", "PortalServiceStatus")),
        new(ViewRecords, "查看兑付记录", Role.Institution, Set("GetRedemption", "PortalRedemption", "GetEvidence")),
    ];

    static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);

    /// <summary>The groups a party of this role may delegate.</summary>
    public static IEnumerable<ActionGroup> For(Role partyRole) => All.Where(g => g.PartyRole == partyRole);

    public static bool TryGet(Role partyRole, string name, out ActionGroup group)
    {
        group = All.FirstOrDefault(g => g.PartyRole == partyRole && g.Name == name)!;
        return group is not null;
    }

    /// <summary>Whether any delegation can ever open this route (otherwise an agency naming a party is refused).</summary>
    public static bool IsDelegable(string routeName) => routeName == HomeRoute || All.Any(g => g.Routes.Contains(routeName));

    /// <summary>The groups of this party role that open the route; empty when none does.</summary>
    public static IReadOnlyList<string> GroupsOpening(Role partyRole, string routeName) =>
        For(partyRole).Where(g => g.Routes.Contains(routeName)).Select(g => g.Name).ToList();

    public static string LabelOf(Role partyRole, string name) => TryGet(partyRole, name, out var g) ? g.Label : name;
}

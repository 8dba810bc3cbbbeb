using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Accounts;

/// <summary>One claim in its reviewer's list (the city bureau's enterprises, the province centre's institutions).</summary>
public sealed record ClaimWorkRow(string Id, string EnterpriseName, string Uscc, string ClaimantName, ClaimStatus Status, DateOnly SubmittedOn, DateOnly? DecidedOn, string DecidedBy, string Reason)
{
    public static ClaimWorkRow From(ClaimIndexEntity e) => new(
        e.RowKey, e.EnterpriseName, e.Uscc, e.ClaimantName, Enum.TryParse<ClaimStatus>(e.StatusName, out var s) ? s : ClaimStatus.Pending,
        ChinaTime.DateOf(e.SubmittedAt.UtcDateTime), e.DecidedAt is { } d ? ChinaTime.DateOf(d.UtcDateTime) : null, e.DecidedBy, e.Reason);

    public string StatusText => ClaimService.StatusText(Status);
}

/// <summary>
/// A reviewer's claims as a work list: 待审核 and 已审核, keyword over the party's name, code and claimant, sortable by
/// date (submitted on 待审核, oldest first; decided on 已审核) and name. Pure.
/// </summary>
public static class ClaimWorkList
{
    public const string Todo = "todo";
    public const string Done = "done";

    public static readonly string[] Tabs = [Todo, Done];
    public static readonly string[] Sorts = ["date", "name"];

    public static ListQuery Query(HttpRequest request) => ListQuery.From(request, Tabs, Sorts, "date", false, []);

    public static int Count(IEnumerable<ClaimWorkRow> rows, string tab) => rows.Count(r => (r.Status != ClaimStatus.Pending) == (tab == Done));

    public static IReadOnlyList<ClaimWorkRow> Apply(IEnumerable<ClaimWorkRow> rows, ListQuery query)
    {
        var done = query.Tab == Done;
        var k = query.Keyword;
        var matching = rows.Where(r => (r.Status != ClaimStatus.Pending) == done
            && (k.Length == 0
                || r.EnterpriseName.Contains(k, StringComparison.OrdinalIgnoreCase)
                || r.Uscc.Contains(k, StringComparison.OrdinalIgnoreCase)
                || r.ClaimantName.Contains(k, StringComparison.OrdinalIgnoreCase)));
        var ordered = query.Sort == "name"
            ? (query.Descending ? matching.OrderByDescending(r => r.EnterpriseName, StringComparer.Ordinal) : matching.OrderBy(r => r.EnterpriseName, StringComparer.Ordinal))
            : (query.Descending ? matching.OrderByDescending(r => done ? r.DecidedOn : r.SubmittedOn) : matching.OrderBy(r => done ? r.DecidedOn : r.SubmittedOn));
        return ordered.ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    public static ExportColumn<ClaimWorkRow>[] ColumnsFor(PartyKind kind) =>
    [
        new($"{ClaimParties.Noun(kind)}名称", r => r.EnterpriseName),
        new(ClaimParties.CodeLabel(kind), r => r.Uscc),
        new("认领人", r => r.ClaimantName),
        new("提交日期", r => Glossary.Date(r.SubmittedOn)),
        new("状态", r => r.StatusText),
        new("审核日期", r => r.DecidedOn is { } d ? Glossary.Date(d) : ""),
        new("审核人", r => r.DecidedBy),
        new("驳回理由", r => r.Reason),
    ];
}

/// <summary>A claim's 办件进度: submitted → the reviewer checks the documents → the person acts for the enterprise or institution.</summary>
public static class ClaimSteps
{
    public static IReadOnlyList<ProgressStep> Of(ClaimEntity c)
    {
        var reviewer = ClaimParties.Reviewer(c);
        var institution = c.Kind == PartyKind.Institution;
        var acting = institution ? "以服务机构身份办理" : "以企业身份办理";
        var submitted = ChinaTime.DateOf(c.SubmittedAt.UtcDateTime);
        DateOnly? decided = c.DecidedAt is { } d ? ChinaTime.DateOf(d.UtcDateTime) : null;
        return c.Status switch
        {
            ClaimStatus.Verified =>
            [
                new("提交认领材料", StepState.Done, submitted, "营业执照、授权委托书"),
                new($"{reviewer}审核", StepState.Done, decided, $"已通过（{c.DecidedBy}）"),
                new(acting, StepState.Current, decided, institution ? "可以发布服务、确认兑付" : "可以申请创新券、提交兑付申请",
                    Link: institution ? new ProgressLink("/portal/institution", "进入服务机构页面") : new ProgressLink("/", "进入企业首页")),
            ],
            ClaimStatus.Rejected =>
            [
                new("提交认领材料", StepState.Done, submitted, "营业执照、授权委托书"),
                new($"{reviewer}审核", StepState.Exception, decided, c.DecidedBy, "未通过", [$"理由：{c.Reason}"], new ProgressLink(ClaimPaths.Mine, "按理由准备材料后重新认领")),
                new(acting, StepState.Waiting),
            ],
            _ =>
            [
                new("提交认领材料", StepState.Done, submitted, "营业执照、授权委托书"),
                new($"{reviewer}审核", StepState.Current, null, $"核对营业执照上的{ClaimParties.Noun(c.Kind)}名称和{ClaimParties.CodeLabel(c.Kind)}，以及授权委托书上的被授权人；结果会发到您的通知中"),
                new(acting, StepState.Waiting, null, institution ? "审核通过后即可发布服务、确认兑付；审核期间可以先填写机构信息" : "审核通过后即可申请创新券；审核期间可以先填写企业信息"),
            ],
        };
    }
}

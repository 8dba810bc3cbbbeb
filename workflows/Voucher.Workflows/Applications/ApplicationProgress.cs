using Voucher.Workflows.Agencies;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Applications;

/// <summary>The voucher an approved application issued, as its progress page links it.</summary>
public sealed record IssuedVoucher(string VoucherId, long FaceValueFen, DateOnly IssuedOn, DateOnly ExpiresOn);

/// <summary>One line of the application's record (办理记录): when, who (by name and unit), the state reached, what was done.</summary>
public sealed record ApplicationRecord(DateTimeOffset At, string Who, string State, string What, int PolicyVersion);

/// <summary>
/// The application's 办件进度 page: the steps 已提交 → 资格核验 → 市科技局审核 → 发券 with dates, who acts now, the review
/// deadline, what comes next, the voucher it issued, the bureau's review link (for the bureau of its city while it
/// waits for a decision) and the record of every change.
/// </summary>
public sealed record ApplicationProgressModel(
    string ApplicationId,
    string EnterpriseName,
    string CityName,
    ApplicationStatus Status,
    string ActingNow,
    DateTimeOffset SubmittedAt,
    long RequestedFaceValueFen,
    DeadlineView? Deadline,
    string NextStep,
    IReadOnlyList<ProgressStep> Steps,
    IssuedVoucher? Voucher,
    string? ReviewHref,
    IReadOnlyList<ApplicationRecord> Records);

/// <summary>Builds the progress page's model from the application row, its view (deadline, history) and its voucher.</summary>
public static class ApplicationProgress
{
    public const string Submitted = "已提交";
    public const string Eligibility = "资格核验";
    public const string Review = "市科技局审核";
    public const string Issue = "发券";

    /// <param name="agencyNames">Agency id → name, for the entries an agency made for the enterprise.</param>
    /// <param name="reviewHref">The bureau's review page while the application waits for its decision (null for others).</param>
    public static ApplicationProgressModel Of(
        ApplicationEntity app, ApplicationView view, VoucherEntity? voucher, IReadOnlyDictionary<string, string> agencyNames, string? reviewHref)
    {
        var issued = voucher is null ? null : new IssuedVoucher(voucher.VoucherId, voucher.FaceValueFen, Day(voucher.IssuedOn), Day(voucher.ExpiresOn));
        return new ApplicationProgressModel(
            app.ApplicationId,
            app.EnterpriseName,
            CityName(app.CityCode),
            app.State,
            ActingNow(app),
            app.SubmittedAt,
            app.RequestedFaceValueFen,
            view.Deadline,
            NextStep(app, view.Deadline),
            Steps(app, view, issued, agencyNames),
            issued,
            reviewHref,
            view.History
                .Select(h => new ApplicationRecord(h.At, ActorName(h.Actor, app, agencyNames), Glossary.Of<ApplicationStatus>(h.To, Glossary.Of), ChineseText(h.Detail), h.PolicyVersion))
                .ToList());
    }

    /// <summary>Who acts now, e.g. 市科技局（太原市）审核中; 已办结 once decided.</summary>
    public static string ActingNow(ApplicationEntity app) => app.State switch
    {
        ApplicationStatus.Submitted => "系统资格核验中",
        ApplicationStatus.UnderReview => $"市科技局（{CityName(app.CityCode)}）审核中",
        ApplicationStatus.Escalated => $"市科技局（{CityName(app.CityCode)}）审核中，省科技厅督办",
        _ => "已办结",
    };

    /// <summary>What happens next and what the enterprise does, in one sentence.</summary>
    public static string NextStep(ApplicationEntity app, DeadlineView? deadline) => app.State switch
    {
        ApplicationStatus.Submitted => "系统正在核验申请资格，通常几分钟内完成，请稍后刷新本页。",
        ApplicationStatus.UnderReview when deadline is { Overdue: true } =>
            $"{Bureau(app)}已超过审核期限，系统将提请省科技厅督办；申请继续有效，企业无需操作。",
        ApplicationStatus.UnderReview when deadline is not null =>
            $"{Bureau(app)}将在 {Glossary.DateInSentence(deadline.Date)} 前完成审核，企业无需操作。",
        ApplicationStatus.UnderReview => $"{Bureau(app)}审核中，企业无需操作。",
        ApplicationStatus.Escalated => $"{Bureau(app)}已超过审核期限，省科技厅正在督办；申请继续有效，企业无需操作。",
        ApplicationStatus.Approved => "创新券已发放：向服务机构购买服务后，凭券提交兑付申请。",
        ApplicationStatus.Rejected => "申请未通过：可按驳回理由完善后重新申请。",
        ApplicationStatus.Ineligible => "不符合申请条件：原因见办理进度，条件满足后可重新申请。",
        ApplicationStatus.Withdrawn => "申请已撤回，可重新申请。",
        _ => "",
    };

    /// <summary>已提交 → 资格核验 → 市科技局审核 (with 省科技厅督办 beside it once escalated) → 发券.</summary>
    public static IReadOnlyList<ProgressStep> Steps(ApplicationEntity app, ApplicationView view, IssuedVoucher? voucher, IReadOnlyDictionary<string, string> agencyNames)
    {
        var history = view.History;
        var state = app.State;
        var submitter = history.FirstOrDefault(h => h.To == nameof(ApplicationStatus.Submitted))?.Actor ?? app.SubmittedBy;
        var submitted = new ProgressStep(Submitted, StepState.Done, Date(app.SubmittedAt), SubmittedNote(submitter, app, agencyNames));

        // The eligibility check ends with the first move out of Submitted (to UnderReview, or to Ineligible).
        var checkedAt = history.FirstOrDefault(h => h.From == nameof(ApplicationStatus.Submitted))?.At
            ?? (app.Round >= 1 ? app.NotifiedAt : null);
        var eligibility = state switch
        {
            ApplicationStatus.Submitted => new ProgressStep(Eligibility, StepState.Current, Note: "系统核验企业登记、科技型中小企业评价、有效创新券等条件。"),
            ApplicationStatus.Ineligible => new ProgressStep(Eligibility, StepState.Exception, Date(checkedAt), "不符合申请条件，原因如下：", "不符合申请条件",
                (app.IneligibleReasons ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Glossary.ChineseOnly).ToList()),
            ApplicationStatus.Withdrawn when checkedAt is null => new ProgressStep(Eligibility, StepState.Exception, Note: "申请已撤回。", Flag: "已撤回"),
            _ => new ProgressStep(Eligibility, StepState.Done, Date(checkedAt), "符合申请条件。"),
        };

        var review = ReviewStep(app, view, checkedAt);
        var issue = voucher is not null
            ? new ProgressStep(Issue, StepState.Done, voucher.IssuedOn,
                $"创新券面额 {Glossary.MoneyInProse(voucher.FaceValueFen)}，有效期至 {Glossary.DateInSentence(voucher.ExpiresOn)}。",
                Link: new ProgressLink($"/portal/vouchers/{voucher.VoucherId}", "查看创新券"))
            : state == ApplicationStatus.Approved
                ? new ProgressStep(Issue, StepState.Done, Date(app.DecidedAt), "创新券已发放。")
                : new ProgressStep(Issue, StepState.Waiting, Note: ApplicationTransitions.IsFinal(state) ? "本申请已办结，不发券。" : "审核通过后系统自动发放创新券。");
        return [submitted, eligibility, review, issue];
    }

    static ProgressStep ReviewStep(ApplicationEntity app, ApplicationView view, DateTimeOffset? openedAt)
    {
        var deadline = view.Deadline;
        var bureau = Bureau(app);
        var escalatedAt = app.EscalatedAt ?? view.History.FirstOrDefault(h => h.To == nameof(ApplicationStatus.Escalated))?.At;
        var deadlineNote = deadline is null ? null : $"审核期限 {Glossary.DateInSentence(deadline.Date)}";
        switch (app.State)
        {
            case ApplicationStatus.Submitted:
                return new ProgressStep(Review, StepState.Waiting, Note: "资格核验通过后进入审核。");
            case ApplicationStatus.Ineligible:
                return new ProgressStep(Review, StepState.Waiting, Note: "未进入此环节。");
            case ApplicationStatus.UnderReview when deadline is { Overdue: true }:
                return new ProgressStep(Review, StepState.Exception, Date(openedAt), $"{bureau}审核中，{deadlineNote}，已超期。", "超期");
            case ApplicationStatus.UnderReview:
                return new ProgressStep(Review, StepState.Current, Date(openedAt), deadlineNote is null ? $"{bureau}审核中。" : $"{bureau}审核中，{deadlineNote}。");
            case ApplicationStatus.Escalated:
                return new ProgressStep(Review, StepState.Exception, Date(openedAt), $"{bureau}未在期限内审核，省科技厅已督办。", "超期督办中",
                    Parallel:
                    [
                        new ProgressStep($"{bureau}审核（第 {app.Round} 轮）", StepState.Current, Date(app.NotifiedAt), deadlineNote is null ? null : deadlineNote + "。"),
                        new ProgressStep("省科技厅督办", StepState.Current, Date(escalatedAt), "督促市科技局尽快审核。"),
                    ]);
            case ApplicationStatus.Approved:
            case ApplicationStatus.Rejected:
                var approved = app.State == ApplicationStatus.Approved;
                var decided = approved ? $"{bureau}批准。" : $"{bureau}驳回。";
                IReadOnlyList<ProgressStep>? parallel = escalatedAt is null ? null :
                [
                    new ProgressStep($"{bureau}审核", StepState.Done, Date(app.DecidedAt), decided),
                    new ProgressStep("省科技厅督办", StepState.Done, Date(escalatedAt), "审核超期后督办。"),
                ];
                return approved
                    ? new ProgressStep(Review, StepState.Done, Date(app.DecidedAt), decided, Parallel: parallel)
                    : new ProgressStep(Review, StepState.Exception, Date(app.DecidedAt), "驳回理由：" + (app.DecisionReason ?? "未说明"), "未通过", Parallel: parallel);
            default:
                return new ProgressStep(Review, StepState.Exception, Note: "申请已撤回。", Flag: "已撤回");
        }
    }

    static string? SubmittedNote(string? submitter, ApplicationEntity app, IReadOnlyDictionary<string, string> agencyNames) =>
        submitter is null ? null : $"由{ActorName(submitter, app, agencyNames)}提交。";

    /// <summary>
    /// Who acted, by name and unit, never by a principal id: the enterprise by its name (an agency "受企业委托" by its
    /// name), the city bureau as 太原市科技局, the province, the system.
    /// </summary>
    public static string ActorName(string actor, ApplicationEntity app, IReadOnlyDictionary<string, string> agencyNames)
    {
        var (party, agency) = AgencyActor.Parse(actor);
        var name = PartyName(party, app);
        if (agency is null)
        {
            return name;
        }

        return $"{(agencyNames.TryGetValue(agency, out var agencyName) ? agencyName : "代理机构")}（受{name}委托）";
    }

    static string PartyName(string party, ApplicationEntity app)
    {
        if (party is "system" or "")
        {
            return "系统";
        }

        if (party == app.Uscc || party == Addresses.Enterprise(app.Uscc))
        {
            return app.EnterpriseName;
        }

        var parts = party.Split(':');
        if (RoleNames.TryParse(parts[0], out var role))
        {
            return role switch
            {
                Role.CityBureau or Role.FinanceBureau when parts.Length > 1 && Glossary.BureauUnit(role, parts[1]) is { } unit => unit,
                _ => RoleNames.Chinese(role),
            };
        }

        return "系统";
    }

    /// <summary>A recorded detail in Chinese: each "；"-separated part without its trailing English.</summary>
    public static string ChineseText(string detail) =>
        string.Join("；", detail.Split('；').Select(Glossary.ChineseOnly).Where(p => p.Length > 0));

    static string CityName(string cityCode) => Cities.TryGet(cityCode, out var city) ? city.NameZh : cityCode;

    static string Bureau(ApplicationEntity app) => Glossary.BureauUnit(Role.CityBureau, app.CityCode) ?? "市科技局";

    static DateOnly? Date(DateTimeOffset? at) => at is { } instant ? ChinaTime.DateOf(instant) : null;

    static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

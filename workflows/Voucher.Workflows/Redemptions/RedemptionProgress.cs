using Voucher.Workflows.Web;

namespace Voucher.Workflows.Redemptions;

/// <summary>Where a step of the 办件进度 stands.</summary>
public enum RedemptionProgressState
{
    /// <summary>Reached and finished (with its date).</summary>
    Done,

    /// <summary>The step being worked on now.</summary>
    Current,

    /// <summary>Stopped here: overdue, refused, under objection, not passed, withdrawn.</summary>
    Exception,

    /// <summary>Not reached yet (or never will be, once the redemption ended before it).</summary>
    Pending,
}

/// <summary>A working-day deadline as the page shows it: the date, the working days left (negative: overdue), 推定.</summary>
public sealed record DeadlineView(string Date, int WorkingDaysLeft, bool Provisional);

/// <summary>One step: its name, where it stands, the date it was reached or finished, a note (what is awaited, why it stopped).</summary>
public sealed record RedemptionProgressStep(string Name, RedemptionProgressState State, DateOnly? Date = null, string? Note = null, DeadlineView? Deadline = null);

/// <summary>A row of the step list: one step, or steps that run side by side (机构确认 ‖ 补充材料).</summary>
public sealed record RedemptionProgressRow(IReadOnlyList<RedemptionProgressStep> Steps);

/// <summary>A redemption's progress: the steps, who acts now, what happens next, the deadline that runs.</summary>
public sealed record RedemptionProgressView(IReadOnlyList<RedemptionProgressRow> Rows, string WhoActs, string Next, DeadlineView? Deadline);

/// <summary>
/// The 办件进度 of a redemption in plain Chinese: 兑付申请 → 机构确认 ‖ 补充材料 → 待结算 → 结算审核 → 公示 → 拨付, with
/// exceptions (机构确认超期, 机构不予确认, 异议处理中, 未通过, 已撤回, 已终止) shown at the step where they happened.
/// </summary>
public static class RedemptionProgress
{
    /// <summary>The next-step sentence while the institution is to confirm and no deadline is recorded yet (the round opens right after the request).</summary>
    public const string DeadlineComing = "正在通知服务机构，确认期限稍后显示";

    public static RedemptionProgressView Of(RedemptionEntity r, int? bindingDaysLeft, int missingEvidence)
    {
        var deadline = BindingDeadline(r, bindingDaysLeft);
        var rows = new List<RedemptionProgressRow>
        {
            new([new RedemptionProgressStep("兑付申请", RedemptionProgressState.Done, Day(r.SubmittedAt), $"{r.EnterpriseName}提交")]),
            new([Binding(r, deadline), Evidence(r, missingEvidence)]),
            new([Queue(r)]),
            new([Review(r)]),
            new([Publicity(r)]),
            new([Payment(r)]),
        };
        if (r.State is RedemptionStatus.Withdrawn or RedemptionStatus.Stopped)
        {
            // The steps not reached when it ended stay grey; the end is shown in place of the step it was at.
            var ended = r.State == RedemptionStatus.Withdrawn
                ? new RedemptionProgressStep("已撤回", RedemptionProgressState.Exception, r.WithdrawnAt is { } w ? Day(w) : null, "企业撤回了兑付申请，本申请办结")
                : new RedemptionProgressStep("已终止", RedemptionProgressState.Exception, r.StoppedAt is { } s ? Day(s) : null, r.RejectReason is { Length: > 0 } reason ? $"原因：{reason}" : null);
            var at = rows.FindIndex(row => row.Steps.All(step => step.State == RedemptionProgressState.Pending));
            rows.Insert(at < 0 ? rows.Count : at, new RedemptionProgressRow([ended]));
        }

        var (who, next) = NextStep(r, deadline, missingEvidence);
        return new RedemptionProgressView(rows, who, next, r.State == RedemptionStatus.AwaitingBinding ? deadline : null);
    }

    /// <summary>
    /// Who acts now and what happens next, in a sentence with no blank: the binding date when known.
    /// <paramref name="missingEvidence"/>: how many documents are missing, or null when not counted (lists).
    /// </summary>
    public static (string WhoActs, string Next) NextStep(RedemptionEntity r, DeadlineView? deadline, int? missingEvidence)
    {
        var upload = r.EvidenceComplete ? "" : missingEvidence switch
        {
            null => "；企业请补齐材料",
            0 => "",
            var n => $"；企业请补充上传{n}项材料",
        };
        return r.State switch
        {
            RedemptionStatus.AwaitingBinding when r.Binding == BindingMode.Seal => ($"企业（{r.EnterpriseName}）", "盖章确认方式：企业上传加盖服务机构公章的材料，齐全后进入待结算"),
            RedemptionStatus.AwaitingBinding when deadline is not null => ($"服务机构（{r.InstitutionName}）", $"服务机构须在 {DateInSentence(deadline.Date)} 前确认{upload}"),
            RedemptionStatus.AwaitingBinding => ($"服务机构（{r.InstitutionName}）", DeadlineComing + upload),
            RedemptionStatus.BindingOverdue => ("市科技局或企业", "服务机构未在期限内确认：市科技局可延长确认期限，企业也可撤回申请"),
            RedemptionStatus.Disputed => ("市科技局或企业", "服务机构不予确认：市科技局可重新发起确认，企业也可撤回申请"),
            RedemptionStatus.AwaitingEvidence => ($"企业（{r.EnterpriseName}）", missingEvidence switch
            {
                null => "服务机构已确认，请补齐材料，齐全后进入待结算",
                > 0 => $"服务机构已确认，请补充上传{missingEvidence}项材料（PDF、PNG 或 JPEG），齐全后进入待结算",
                _ => "材料已齐全，即将进入待结算",
            }),
            RedemptionStatus.Queued => ("市科技局", "等待纳入本市下一结算批次集中审核"),
            RedemptionStatus.InBatch => ("市科技局", "结算批次审核中，审核通过后公示"),
            RedemptionStatus.Approved => ("市科技局", "审核通过，即将公示"),
            RedemptionStatus.Published => ("公示期内任何单位和个人可提出异议", "公示期满无异议后交市财政局拨付"),
            RedemptionStatus.Objected => ("市科技局", "公示期收到异议，市科技局核查处理后决定是否拨付"),
            RedemptionStatus.Payable => ("市财政局", "市财政局拨付兑付资金"),
            RedemptionStatus.Paid => ("无（已办结）", "兑付资金已拨付，本申请办结"),
            RedemptionStatus.Rejected => ("无（已办结）", "兑付申请未通过，预留的年度补助额度已释放"),
            RedemptionStatus.Withdrawn => ("无（已办结）", "兑付申请已撤回"),
            RedemptionStatus.Stopped => ("无（已办结）", "兑付申请已终止"),
            _ => ("无", ""),
        };
    }

    /// <summary>The current binding round's deadline, when one is recorded.</summary>
    public static DeadlineView? BindingDeadline(RedemptionEntity r, int? daysLeft) =>
        BindingDeadlines.Of(r) is { } plan && daysLeft is { } left
            ? new DeadlineView(BindingDeadlines.Iso(plan.Deadline), left, plan.Basis.Provisional)
            : null;

    static RedemptionProgressStep Binding(RedemptionEntity r, DeadlineView? deadline)
    {
        const string Name = "机构确认";
        if (r.Bound)
        {
            return new(Name, RedemptionProgressState.Done, r.BoundAt is { } at ? Day(at) : null, $"{r.InstitutionName}已确认");
        }

        if (r.Binding == BindingMode.Seal)
        {
            return r.QueuedAt is { } queued
                ? new(Name, RedemptionProgressState.Done, Day(queued), "盖章确认，随材料提交")
                : new(Name, Active(r) ? RedemptionProgressState.Current : RedemptionProgressState.Pending, null, "盖章确认：随材料上传加盖服务机构公章的合同");
        }

        return r.State switch
        {
            RedemptionStatus.AwaitingBinding => new(Name, RedemptionProgressState.Current, null,
                deadline is null ? DeadlineComing : $"等待{r.InstitutionName}确认", deadline),
            RedemptionStatus.BindingOverdue => new("机构确认超期", RedemptionProgressState.Exception, r.BindingDeadline is { } d ? DateOnly.Parse(d, CultureInfo.InvariantCulture) : null,
                $"{r.InstitutionName}未在期限内确认；市科技局可延长确认期限"),
            RedemptionStatus.Disputed => new("机构不予确认", RedemptionProgressState.Exception, null,
                r.DisputeReason is { Length: > 0 } reason ? $"{r.InstitutionName}的理由：{reason}" : $"{r.InstitutionName}不予确认"),
            _ => new(Name, RedemptionProgressState.Pending),
        };
    }

    static RedemptionProgressStep Evidence(RedemptionEntity r, int missing)
    {
        const string Name = "补充材料";
        if (r.EvidenceComplete)
        {
            return new(Name, RedemptionProgressState.Done, r.EvidenceCompleteAt is { } at ? Day(at) : null, "三项材料齐全");
        }

        return RedemptionTransitions.TakesEvidence(r.State)
            ? new(Name, RedemptionProgressState.Current, null, missing > 0 ? $"企业还需上传{missing}项材料" : "材料已齐全，正在登记")
            : new(Name, RedemptionProgressState.Pending);
    }

    static RedemptionProgressStep Queue(RedemptionEntity r) =>
        r.InBatchAt is { } batched ? new("待结算", RedemptionProgressState.Done, Day(batched), "已纳入结算批次")
        : r.State == RedemptionStatus.Queued ? new("待结算", RedemptionProgressState.Current, r.QueuedAt is { } q ? Day(q) : null, "等待纳入本市下一结算批次")
        : new("待结算", RedemptionProgressState.Pending);

    static RedemptionProgressStep Review(RedemptionEntity r)
    {
        const string Name = "结算审核";
        if (r.State == RedemptionStatus.Rejected && r.PublishedAt is null)
        {
            return new("结算审核未通过", RedemptionProgressState.Exception, r.ReviewedAt is { } at ? Day(at) : null, Reason(r));
        }

        return r.ReviewedAt is { } reviewed ? new(Name, RedemptionProgressState.Done, Day(reviewed), "市科技局审核通过")
            : r.State == RedemptionStatus.InBatch ? new(Name, RedemptionProgressState.Current, r.InBatchAt is { } b ? Day(b) : null, "市科技局批次审核中")
            : new(Name, RedemptionProgressState.Pending);
    }

    static RedemptionProgressStep Publicity(RedemptionEntity r)
    {
        const string Name = "公示";
        return r.State switch
        {
            // Under objection the item stays at 公示 (not 待拨付) until the bureau resolves the objection.
            RedemptionStatus.Objected => new("异议处理中", RedemptionProgressState.Exception, r.PublishedAt is { } p ? Day(p) : null, "公示期收到异议，市科技局核查处理中"),
            RedemptionStatus.Rejected when r.PublishedAt is not null => new("异议成立，未通过", RedemptionProgressState.Exception,
                r.ObjectionResolvedAt is { } resolved ? Day(resolved) : null, Reason(r)),
            RedemptionStatus.Approved => new(Name, RedemptionProgressState.Current, null, "即将公示"),
            RedemptionStatus.Published => new(Name, RedemptionProgressState.Current, r.PublishedAt is { } p ? Day(p) : null, "公示中，公示期满无异议后拨付"),
            _ when r.PayableAt is { } payable => new(Name, RedemptionProgressState.Done, Day(payable), "公示期满"),
            _ => new(Name, RedemptionProgressState.Pending),
        };
    }

    static RedemptionProgressStep Payment(RedemptionEntity r) =>
        r.PaidAt is { } paid ? new("拨付", RedemptionProgressState.Done, r.PaidOn is { Length: > 0 } on && DateOnly.TryParse(on, CultureInfo.InvariantCulture, out var day) ? day : Day(paid),
                $"已拨付 {Glossary.MoneyInProse(r.PayoutFen)}")
        : r.State == RedemptionStatus.Payable ? new("拨付", RedemptionProgressState.Current, r.PayableAt is { } at ? Day(at) : null, "待市财政局拨付")
        : new("拨付", RedemptionProgressState.Pending);

    static string Reason(RedemptionEntity r) => r.RejectReason is { Length: > 0 } reason ? $"原因：{Glossary.ChineseOnly(reason)}" : "未通过";

    static bool Active(RedemptionEntity r) => !RedemptionTransitions.IsFinal(r.State);

    static DateOnly Day(DateTimeOffset at) => ChinaTime.DateOf(at);

    static string DateInSentence(string iso) => Glossary.DateInSentence(iso);
}

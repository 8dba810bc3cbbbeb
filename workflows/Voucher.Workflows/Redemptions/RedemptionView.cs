namespace Voucher.Workflows.Redemptions;

/// <summary>How a redemption's state reads to a person: the status, who it waits on, what comes next.</summary>
public static class RedemptionView
{
    public static string StatusText(RedemptionStatus s) => s switch
    {
        RedemptionStatus.AwaitingBinding => "等待服务机构确认 (Awaiting the institution's confirmation)",
        RedemptionStatus.BindingOverdue => "机构确认逾期 (Binding overdue)",
        RedemptionStatus.Disputed => "服务机构提出异议 (Disputed by the institution)",
        RedemptionStatus.AwaitingEvidence => "等待补齐兑付材料 (Awaiting evidence)",
        RedemptionStatus.Queued => "已进入结算队列，等待本市下一批次审核 (Queued for the next settlement batch)",
        RedemptionStatus.InBatch => "市科技局批次审核中 (In batch review)",
        RedemptionStatus.Approved => "审核通过 (Approved)",
        RedemptionStatus.Published => "公示中 (Published for objections)",
        RedemptionStatus.Objected => "公示期有异议，待处理 (Objection under review)",
        RedemptionStatus.Payable => "待财政局拨付 (Awaiting payment)",
        RedemptionStatus.Paid => "已拨付 (Paid)",
        RedemptionStatus.Rejected => "未通过 (Rejected)",
        RedemptionStatus.Withdrawn => "已撤回 (Withdrawn)",
        RedemptionStatus.Stopped => "已终止 (Stopped)",
        _ => s.ToString(),
    };

    /// <summary>The binding deadline in a sentence, "（推定）" when it was counted across a year without a published arrangement.</summary>
    static string BindingDue(RedemptionEntity r) =>
        BindingDeadlines.Of(r) is { } plan ? BindingDeadlines.Iso(plan.Deadline) + (plan.Basis.Provisional ? "（推定）" : "") : "";

    /// <summary>The annual cap's note when it reduced the pay-out (from the recorded computation), else null.</summary>
    public static string? CappedNote(RedemptionEntity r) =>
        Computation(r) is { } c ? AnnualCap.CappedNote(c, r.CapYear) : null;

    /// <summary>The recorded pay-out computation, or null before the pay-out was computed.</summary>
    public static PayoutComputation? Computation(RedemptionEntity r) =>
        r.PayoutJson is null ? null : System.Text.Json.JsonSerializer.Deserialize<PayoutComputation>(r.PayoutJson);

    public static (string WaitingOn, string Next) NextStep(RedemptionEntity r) => r.State switch
    {
        RedemptionStatus.AwaitingBinding when r.Binding == BindingMode.Seal => ("系统 (the system)", "盖章确认模式，补齐材料后进入结算队列"),
        // Right after the request the round is not open yet: no date to name, so no "须在 … 前" with a blank.
        RedemptionStatus.AwaitingBinding => ("服务机构 (the institution)", (BindingDeadlines.Of(r) is null
            ? RedemptionProgress.DeadlineComing
            : $"服务机构须在 {BindingDue(r)} 前确认") + (r.EvidenceComplete ? "" : "；企业请上传成果报告、合同和支付凭证")),
        RedemptionStatus.BindingOverdue => ("市科技局或企业 (the bureau or the enterprise)", "市科技局可延长确认期限，企业可撤回申请"),
        RedemptionStatus.Disputed => ("市科技局或企业 (the bureau or the enterprise)", "市科技局可重新发起确认，企业可撤回申请"),
        RedemptionStatus.AwaitingEvidence => ("企业 (the enterprise)", "请上传齐全成果报告、合同和支付凭证（PDF/PNG/JPEG）"),
        RedemptionStatus.Queued => ("市科技局 (the city bureau)", "等待本市下一结算批次集中审核"),
        RedemptionStatus.InBatch => ("市科技局 (the city bureau)", "批次审核中"),
        RedemptionStatus.Approved or RedemptionStatus.Published => ("公众 (the public)", "公示期结束且无异议后进入拨付"),
        RedemptionStatus.Objected => ("市科技局 (the city bureau)", "处理公示异议"),
        RedemptionStatus.Payable => ("市财政局 (the finance bureau)", "财政局确认拨付"),
        _ => ("无 (nobody: finished)", ""),
    };
}

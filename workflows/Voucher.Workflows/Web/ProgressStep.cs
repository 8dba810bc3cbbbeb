namespace Voucher.Workflows.Web;

/// <summary>Where a case stands at one step of its 办件进度.</summary>
public enum StepState
{
    /// <summary>Reached and finished (已完成).</summary>
    Done,

    /// <summary>The step the case is at now (办理中).</summary>
    Current,

    /// <summary>Not reached (yet, or ever when the case ended earlier).</summary>
    Waiting,

    /// <summary>Reached and off the normal path: 超期, 退回, 未通过, 异议 … (<see cref="ProgressStep.Flag"/> names it).</summary>
    Exception,
}

/// <summary>A link under a step (the voucher it issued, the page where the next act happens).</summary>
public sealed record ProgressLink(string Href, string Text);

/// <summary>
/// One step of a 办件进度 list (<c>ProgressSteps</c>): its name, state, the China date it was reached, a note (who acts,
/// the deadline, a reason), a short <paramref name="Flag"/> for an exception (超期, 未通过 …), details as a list (the
/// reasons of a refusal), a link, and steps that run side by side within it (<paramref name="Parallel"/>, shown in a row).
/// </summary>
public sealed record ProgressStep(
    string Name,
    StepState State,
    DateOnly? Date = null,
    string? Note = null,
    string? Flag = null,
    IReadOnlyList<string>? Details = null,
    ProgressLink? Link = null,
    IReadOnlyList<ProgressStep>? Parallel = null)
{
    /// <summary>The state in words, beside the colour (never colour alone).</summary>
    public string StateText => State switch
    {
        StepState.Done => "已完成",
        StepState.Current => "办理中",
        StepState.Waiting => "未开始",
        _ => Flag ?? "异常",
    };
}

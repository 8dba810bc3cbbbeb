using Voucher.Workflows.Evidence;
using Voucher.Workflows.Links;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// The bureau's batch review page (signed link): totals first, then one row per redemption with enterprise, institution,
/// service, amount paid, computed pay-out, evidence and binding; approve or reject (reason), or ask an expert; save part
/// of the work and come back; submit once every row is decided, after a confirmation naming counts and amounts.
/// </summary>
public sealed class BatchReviewPages(LinkSigner signer, SettlementStore settlements, SettlementService review, Enforcement.EnforcementStore enforcement, EvidenceStore evidence)
{
    const int PageSize = 200;

    const string Title = "结算批次审核";

    public async Task<IResult> ShowAsync(RequestContext ctx)
    {
        var (batch, problem) = await OpenAsync(ctx);
        return problem ?? await RenderAsync(ctx, batch!, [], null, null, StatusCodes.Status200OK);
    }

    public async Task<IResult> PostAsync(RequestContext ctx)
    {
        var (batch, problem) = await OpenAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync(ctx.Aborted) : null;
        if (form is null)
        {
            return Pages.Error(ctx.Principal, "表单内容缺失，请从批次审核页重新提交。", StatusCodes.Status400BadRequest);
        }

        var rows = new List<RowDecision>();
        for (var i = 0; i < PageSize && form.ContainsKey($"id_{i}"); i++)
        {
            rows.Add(new RowDecision(form[$"id_{i}"], form[$"decision_{i}"], form[$"reason_{i}"], form[$"expert_{i}"], form[$"override_{i}"] == "on"));
        }

        // The link names the batch and the city bureau; the bureau acts as itself.
        var actor = Addresses.CityBureau(batch!.CityCode);
        if (rows.Count > 0)
        {
            var saved = await review.SaveDecisionsAsync(batch, rows, actor, ctx.Aborted);
            if (saved.Failure is { } invalid)
            {
                var errors = invalid is Failure.Invalid fields ? fields.Errors : [];
                var message = errors.Count > 0 ? "有错误，出错的行未保存，请修改后重试。" : Glossary.ChineseOnly(invalid.Message);
                return await RenderAsync(ctx, batch, errors, rows, message, StatusCodes.Status400BadRequest);
            }
        }

        if (form["action"] != "submit")
        {
            return await RenderAsync(ctx, batch, [], null, "已保存。", StatusCodes.Status200OK);
        }

        var items = await settlements.ItemsAsync(batch.BatchId, ctx.Aborted);
        var undecided = items.Count(i => i.Verdict == RowVerdict.Undecided);
        if (undecided > 0 || batch.Stage != BatchStage.Reviewing)
        {
            var why = batch.Stage != BatchStage.Reviewing ? $"批次当前为“{Glossary.Of(batch.Stage)}”，不能再提交。" : $"已保存，不能提交：还有 {undecided} 笔未作决定。";
            return await RenderAsync(ctx, batch, [], null, why, StatusCodes.Status422UnprocessableEntity);
        }

        if (!ConfirmModel.IsConfirmed(form))
        {
            var approved = items.Where(i => i.Verdict == RowVerdict.Approve).ToList();
            var rejected = items.Count - approved.Count;
            var path = ctx.Request.Path.Value ?? "";
            return Pages.View<ConfirmPage>("确认提交批次", ctx.Principal, new ConfirmModel(
                $"确认提交{SettlementText.PeriodName(batch.PeriodId)}结算批次？",
                [
                    ("批次", $"{SettlementText.CityName(batch.CityCode)} {SettlementText.PeriodName(batch.PeriodId)}（{batch.BatchId}）"),
                    ("审核通过", $"{approved.Count} 笔，核定兑付合计 {Glossary.Money(approved.Sum(i => i.PayoutFen))}"),
                    ("驳回", $"{rejected} 笔"),
                    ("提交后", "通过的兑付申请进入公示，驳回的由系统通知企业（附驳回理由）；提交后不能再修改决定。"),
                ],
                path,
                [("action", "submit")],
                "确认提交批次",
                path));
        }

        var submitted = await review.SubmitAsync(batch, actor, ctx.Durable, ctx.Aborted);
        if (submitted.Failure is not { } refused)
        {
            return Pages.View<ResultCard>("批次已提交", ctx.Principal, new ResultModel(
                $"{SettlementText.CityName(batch.CityCode)} {SettlementText.PeriodName(batch.PeriodId)}结算批次（{batch.BatchId}）已提交。",
                "审核通过的兑付申请将进入公示，公示期满无异议的转财政局拨付；驳回的兑付申请已通知企业。",
                [("/", "返回工作台")]));
        }

        return await RenderAsync(ctx, batch, [], null, Glossary.ChineseOnly(refused.Message), PageStatus.Of(refused));
    }

    /// <summary>A row's evidence file through the batch link (the bureau checks it without signing in again).</summary>
    public async Task<IResult> EvidenceAsync(RequestContext ctx)
    {
        var (batch, problem) = await OpenAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        var redemptionId = ctx.RouteValue("redemptionId");
        if (await settlements.GetItemAsync(batch!.BatchId, redemptionId, ctx.Aborted) is null
            || !EvidenceRules.TryParseKind(ctx.RouteValue("kind"), out var kind)
            || await evidence.OpenAsync(redemptionId, kind, ctx.Aborted) is not { } opened)
        {
            return Pages.NotFound(ctx.Principal, "该材料不存在或不属于本批次。");
        }

        ctx.Http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return Results.Stream(opened.Content, opened.Evidence.ContentType);
    }

    async Task<(BatchEntity?, IResult?)> OpenAsync(RequestContext ctx)
    {
        var check = signer.Verify(ctx.RouteValue("token"), out var claims);
        if (check != LinkCheck.Valid || claims!.Action != BatchLinks.ReviewAction)
        {
            return (null, check == LinkCheck.Expired
                ? Pages.Error(ctx.Principal, "此批次审核链接已过期，请从工作台重新进入。", StatusCodes.Status410Gone)
                : Pages.Error(ctx.Principal, "链接无效或已被篡改，请从通知或工作台重新进入。", StatusCodes.Status400BadRequest));
        }

        var batch = await settlements.GetBatchAsync(BatchLinks.ReviewedBatch(claims), ctx.Aborted);
        return batch is null ? (null, Pages.NotFound(ctx.Principal, "该结算批次不存在。")) : (batch, null);
    }

    async Task<IResult> RenderAsync(RequestContext ctx, BatchEntity batch, IReadOnlyList<FieldError> errors, IReadOnlyList<RowDecision>? typed, string? message, int status)
    {
        var items = (await settlements.ItemsAsync(batch.BatchId, ctx.Aborted)).OrderBy(i => i.Chunk).ThenBy(i => i.RowKey, StringComparer.Ordinal).ToList();
        var page = int.TryParse(ctx.Request.Query["page"], out var p) && p > 0 ? p : 1;
        var shown = items.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        var pool = await enforcement.ExpertsForFieldAsync(null, ctx.Aborted);
        var token = ctx.RouteValue("token");
        var rows = shown.Select((item, i) =>
        {
            var row = typed?.ElementAtOrDefault(i);
            return new BatchReviewRow(
                i,
                (page - 1) * PageSize + i + 1,
                item,
                row?.Decision ?? item.Decision,
                row?.Reason ?? item.Reason,
                row?.ExpertId ?? item.ExpertId,
                item.ExpertId is null ? null : pool.FirstOrDefault(e => e.ExpertId == item.ExpertId) is { } expert ? Enforcement.ExpertPicker.Describe(expert, false) : "专家库中的专家",
                [.. errors.Where(e => e.Field.StartsWith($"decisions[{i}].", StringComparison.Ordinal)).Select(e => Glossary.ChineseOnly(e.Message))]);
        }).ToList();
        var model = new BatchReviewModel(
            batch,
            $"/batches/{token}",
            rows,
            items.Count,
            items.Count(i => i.Verdict != RowVerdict.Undecided),
            items.Count(i => i.Verdict == RowVerdict.Approve),
            items.Count(i => i.Verdict == RowVerdict.Reject),
            items.Sum(i => i.AmountPaidFen),
            items.Sum(i => i.PayoutFen),
            batch.Stage == BatchStage.Reviewing,
            pool,
            message,
            errors.Count > 0 || status >= 400,
            page,
            (items.Count + PageSize - 1) / PageSize);
        return Pages.View<BatchReviewPage>(Title, ctx.Principal, model, status);
    }
}

/// <summary>The batch review page: the batch, its totals, the rows shown (a page of them) and the message of the last post.</summary>
public sealed record BatchReviewModel(
    BatchEntity Batch,
    string Path,
    IReadOnlyList<BatchReviewRow> Rows,
    int Total,
    int Decided,
    int Approved,
    int Rejected,
    long PaidFen,
    long PayoutFen,
    bool Editable,
    IReadOnlyList<Enforcement.ExpertEntity> Pool,
    string? Message,
    bool MessageIsError,
    int Page,
    int PageCount);

/// <summary>One row: its form index, its number in the batch, the stored item, what was chosen or typed, the expert asked (by name) and the row's messages.</summary>
public sealed record BatchReviewRow(int Index, int Number, BatchItemEntity Item, string Decision, string? Reason, string? Expert, string? ExpertName, IReadOnlyList<string> Errors);

using Voucher.Workflows.Evidence;
using Voucher.Workflows.Links;
using System.Globalization;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// The bureau's batch review page (signed link): totals first, then one row per redemption with enterprise, institution,
/// service, amount paid, computed pay-out, evidence and binding; approve or reject (reason), or ask an expert; save part
/// of the work and come back; submit once every row is decided, after a confirmation naming counts and amounts.
/// </summary>
public sealed class BatchReviewPages(LinkSigner signer, SettlementStore settlements, SettlementService review, BatchReviewDecisions bulk, BatchReviewCache cache, Enforcement.EnforcementStore enforcement, EvidenceStore evidence, Redemptions.RedemptionStore redemptions, TimeProvider time)
{
    const int PageSize = 200;

    /// <summary>Rows a page step of a bulk decision saves before it shows the progress.</summary>
    public const int BulkStep = 2000;

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

        if (form["action"].ToString() is "approve-selected" or "reject-selected" or "approve-filtered")
        {
            return await ConfirmBulkAsync(ctx, batch!, form);
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
                return await RenderAsync(ctx, await settlements.GetBatchAsync(batch.BatchId, ctx.Aborted) ?? batch, errors, rows, message, StatusCodes.Status400BadRequest);
            }

            // The save moved the batch row (its totals, its ETag): the page shows it as saved.
            batch = await settlements.GetBatchAsync(batch.BatchId, ctx.Aborted) ?? batch;
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

        // The detail page shows the file in a frame of its own: only this site's pages may frame it.
        SecurityHeaders.FramedBySiteOnly(ctx.Http.Response);
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
        var query = ListQuery.From(ctx.Request, [], BatchReviewFilter.Sorts, "id", false, BatchReviewFilter.Names);
        var (filter, filterErrors) = BatchReviewFilter.From(query);
        var view = await ViewAsync(batch, query, filterErrors.Count > 0 ? BatchReviewFilter.None : filter, ctx.Aborted);
        var page = view.Page;
        var pool = await enforcement.ExpertsForFieldAsync(null, ctx.Aborted);
        var token = ctx.RouteValue("token");
        var rows = page.Items.Select((item, i) =>
        {
            var row = typed?.ElementAtOrDefault(i);
            return new BatchReviewRow(
                i,
                (page.Page - 1) * page.PageSize + i + 1,
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
            query,
            rows,
            page,
            view.Whole,
            view.Filtered,
            view.Institutions,
            view.Categories,
            filterErrors,
            batch.Stage == BatchStage.Reviewing,
            pool,
            message ?? (filterErrors.Count > 0 ? "筛选条件有误，请按提示修改。" : null),
            errors.Count > 0 || filterErrors.Count > 0 || status >= 400);
        return Pages.View<BatchReviewPage>(Title, ctx.Principal, model, filterErrors.Count > 0 && status < 400 ? StatusCodes.Status400BadRequest : status);
    }

    /// <summary>
    /// The page's rows, the whole batch's totals, the filtered set's and the filter choices. The unfiltered first page in
    /// redemption-id order (what the link opens) reads the totals kept on the batch row and one page of rows; any other
    /// view filters the batch's cached rows (<see cref="BatchReviewCache"/>), and counts the kept totals from them when
    /// they were never kept or a save died half way (<see cref="KeptTotals"/>).
    /// </summary>
    async Task<ReviewView> ViewAsync(BatchEntity batch, ListQuery query, BatchReviewFilter filter, CancellationToken ct)
    {
        if (filter.IsEmpty && query.Page == 1 && query.Sort is null or "id" && !query.Descending && KeptTotals.Kept(batch) is { } kept)
        {
            var first = await settlements.FirstItemsAsync(batch.BatchId, query.PageSize, ct);
            return new ReviewView(new ListPage<BatchItemEntity>(first, kept.Count, 1, query.PageSize), kept, kept, KeptTotals.KeptInstitutions(batch), KeptTotals.KeptCategories(batch));
        }

        var etag = batch.ETag.ToString();
        var all = await cache.ItemsAsync(batch, ct);
        if (KeptTotals.NeedsRecount(batch, time.GetUtcNow()) && await settlements.TryRecountAsync(batch, all, ct) is { } stored)
        {
            cache.Rekey(batch.BatchId, etag, stored.ToString());
        }

        var selected = BatchReview.Select(all, filter, query.Sort, query.Descending);
        return new ReviewView(query.PageOf(selected), BatchReviewTotals.Of(all), BatchReviewTotals.Of(selected), KeptTotals.Institutions(all), KeptTotals.Categories(all));
    }

    sealed record ReviewView(ListPage<BatchItemEntity> Page, BatchReviewTotals Whole, BatchReviewTotals Filtered, IReadOnlyList<(string Id, string Name)> Institutions, IReadOnlyList<string> Categories);

    /// <summary>
    /// A bulk decision asked on the list (the selected rows, or every row of the filter): checked, then a confirmation
    /// naming the count and the pay-out of exactly the rows it will decide; the confirmed post goes to the bulk route.
    /// </summary>
    async Task<IResult> ConfirmBulkAsync(RequestContext ctx, BatchEntity batch, IFormCollection form)
    {
        var action = form["action"].ToString();
        var query = ListQuery.From(ctx.Request, [], BatchReviewFilter.Sorts, "id", false, BatchReviewFilter.Names);
        var (filter, filterErrors) = BatchReviewFilter.From(query);
        var filtered = action == "approve-filtered";
        var decision = action == "reject-selected" ? RowVerdicts.Reject : RowVerdicts.Approve;
        var reason = action == "reject-selected" ? form["bulkReason"].ToString().Trim() : null;
        var selection = filtered ? null : form["sel"].Select(v => v ?? "").Where(v => v.Length > 0).ToList();
        var command = new BulkDecision(Guid.NewGuid().ToString("N"), decision, reason, selection, filtered ? filter : null, null, null);
        var errors = new List<FieldError>(filterErrors);
        if (BatchReviewDecisions.Check(command) is Failure.Invalid invalid)
        {
            errors.AddRange(invalid.Errors.Select(e => e.Field == "redemptionIds" ? e with { Message = "请先勾选要处理的兑付申请" } : e.Field == "reason" ? e with { Field = "bulkReason" } : e));
        }

        if (errors.Count > 0)
        {
            return await RenderAsync(ctx, batch, [], null, string.Join("；", errors.Select(e => Glossary.ChineseOnly(e.Message))), StatusCodes.Status400BadRequest);
        }

        var set = await bulk.SummaryAsync(batch, command, RowVerdicts.Parse(decision), ctx.Aborted);
        var payout = set.PayoutFen;
        var path = $"/batches/{ctx.RouteValue("token")}";
        var back = path + ctx.Request.QueryString;
        var verb = decision == RowVerdicts.Approve ? "通过" : "驳回";
        var fields = new List<(string, string)>
        {
            ("op", command.OperationId!), ("decision", decision), ("reason", reason ?? ""), ("scope", filtered ? "filtered" : "selected"),
            ("expectedCount", set.Count.ToString(CultureInfo.InvariantCulture)), ("expectedPayout", payout.ToString(CultureInfo.InvariantCulture)),
        };
        fields.AddRange((selection ?? []).Select(id => ("sel", id)));
        return Pages.View<ConfirmPage>($"确认批量{verb}", ctx.Principal, new ConfirmModel(
            $"确认批量{verb} {set.Count} 笔兑付申请？",
            [
                ("范围", filtered ? (filter.IsEmpty ? "本批次全部兑付申请" : "当前筛选结果的全部兑付申请") : "所勾选的兑付申请"),
                ("笔数", $"{set.Count} 笔"),
                ("核定兑付合计", Glossary.Money(payout)),
                ("将作出决定", $"{set.ToWrite} 笔（已有此决定的 {set.AlreadyDone} 笔、已作其他决定的 {set.DecidedOtherwise} 笔、等待专家意见的 {set.WaitingForExpert} 笔不变）"),
                ("理由", reason is { Length: > 0 } ? reason : "无"),
            ],
            $"{path}/bulk{ctx.Request.QueryString}",
            fields,
            $"确认批量{verb}",
            back,
            Danger: decision == RowVerdicts.Reject));
    }

    /// <summary>
    /// The confirmed bulk decision, one step of <see cref="BulkStep"/> rows a post: the page shows the progress and the
    /// next step posts itself (a script, or the officer's button without one); the last step shows the result.
    /// </summary>
    public async Task<IResult> BulkAsync(RequestContext ctx)
    {
        var (batch, problem) = await OpenAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync(ctx.Aborted) : null;
        if (form is null || !ConfirmModel.IsConfirmed(form))
        {
            return Pages.Error(ctx.Principal, "请从批次审核页选择后确认。", StatusCodes.Status400BadRequest);
        }

        var query = ListQuery.From(ctx.Request, [], BatchReviewFilter.Sorts, "id", false, BatchReviewFilter.Names);
        var (filter, filterErrors) = BatchReviewFilter.From(query);
        if (filterErrors.Count > 0)
        {
            return Pages.Error(ctx.Principal, "筛选条件有误，请从批次审核页重新选择。", StatusCodes.Status400BadRequest);
        }

        static int? Int(string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        static long? Long(string? text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var after = form["after"].ToString() is { Length: > 0 } a ? a : null;
        var selection = form["scope"] == "selected" ? form["sel"].Select(v => v ?? "").ToList() : null;
        var command = new BulkDecision(form["op"], form["decision"], form["reason"], selection, selection is null ? filter : null,
            Int(form["expectedCount"]), Long(form["expectedPayout"]), after, BulkStep);
        var outcome = await bulk.DecideAsync(batch!, command, Addresses.CityBureau(batch!.CityCode), ctx.Aborted);
        var back = $"/batches/{ctx.RouteValue("token")}{ctx.Request.QueryString}";
        if (outcome.Failure is { } failure)
        {
            return failure is Failure.Invalid
                ? Pages.Error(ctx.Principal, Glossary.ChineseOnly(failure.Message), StatusCodes.Status400BadRequest)
                : await RenderAsync(ctx, batch, [], null, Glossary.ChineseOnly(failure.Message), PageStatus.Of(failure));
        }

        var step = outcome.Value;
        var sofar = new BulkProgress(
            Int(form["doneDecided"]).GetValueOrDefault() + step.Decided,
            Int(form["doneAlready"]).GetValueOrDefault() + step.AlreadyDone,
            Int(form["doneOtherwise"]).GetValueOrDefault() + step.DecidedOtherwise.Count,
            Int(form["doneWaiting"]).GetValueOrDefault() + step.WaitingForExpert.Count,
            Int(form["doneProcessed"]).GetValueOrDefault() + step.Processed,
            [.. form["changed"].Select(v => v ?? "").Where(v => v.Length > 0).Concat(step.Changed).Take(200)],
            step.Matched > 0 ? step.Matched : Int(form["expectedCount"]).GetValueOrDefault(),
            RowVerdicts.Parse(form["decision"]),
            step.Replayed);
        var fields = new List<(string, string)>();
        if (step.Next is not null)
        {
            fields.AddRange(form.Where(f => f.Key is not ("after" or "changed" or "doneDecided" or "doneAlready" or "doneOtherwise" or "doneWaiting" or "doneProcessed" or "__RequestVerificationToken"))
                .SelectMany(f => f.Value.Select(v => (f.Key, v ?? ""))));
            fields.Add(("after", step.Next));
            fields.Add(("doneDecided", sofar.Decided.ToString(CultureInfo.InvariantCulture)));
            fields.Add(("doneAlready", sofar.Already.ToString(CultureInfo.InvariantCulture)));
            fields.Add(("doneOtherwise", sofar.Otherwise.ToString(CultureInfo.InvariantCulture)));
            fields.Add(("doneWaiting", sofar.Waiting.ToString(CultureInfo.InvariantCulture)));
            fields.Add(("doneProcessed", sofar.Processed.ToString(CultureInfo.InvariantCulture)));
            fields.AddRange(sofar.Changed.Select(c => ("changed", c)));
        }

        var title = step.Next is null ? "批量决定已保存" : "正在保存批量决定";
        return Pages.View<BatchProgressPage>(title, ctx.Principal, new BatchProgressModel(batch, sofar, step.Next is null ? null : $"/batches/{ctx.RouteValue("token")}/bulk{ctx.Request.QueryString}", fields, back));
    }

    /// <summary>One row in full: risk flags with their reasons, the eligibility checks, the binding, the enterprise's credit record and other redemptions, the three files previewed.</summary>
    public async Task<IResult> ItemAsync(RequestContext ctx)
    {
        var (batch, problem) = await OpenAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        var redemptionId = ctx.RouteValue("redemptionId");
        if (await settlements.GetItemAsync(batch!.BatchId, redemptionId, ctx.Aborted) is not { } item)
        {
            return Pages.NotFound(ctx.Principal, "该兑付申请不存在或不属于本批次。");
        }

        var redemption = redemptions.GetAsync(redemptionId, ctx.Aborted);
        var others = redemptions.ForEnterpriseAsync(item.Uscc, ctx.Aborted);
        var violations = enforcement.ViolationsOfAsync(item.Uscc, ctx.Aborted);
        var credit = enforcement.CreditAsync(item.Uscc, ctx.Aborted);
        var files = evidence.ListAsync(redemptionId, ctx.Aborted);
        var token = ctx.RouteValue("token");
        var model = new BatchItemModel(
            batch,
            item,
            await redemption,
            [.. (await others).Where(r => r.RedemptionId != redemptionId).OrderByDescending(r => r.SubmittedAt).Take(50)],
            await violations,
            await credit,
            await files,
            BatchReview.Reasons(item),
            $"/batches/{token}",
            $"/batches/{token}{ctx.Request.QueryString}");
        return Pages.View<BatchItemPage>("兑付申请详情", ctx.Principal, model);
    }
}

/// <summary>The batch review page: the batch, its totals and those of the filter, the rows of this page, the filter choices and the message of the last post.</summary>
public sealed record BatchReviewModel(
    BatchEntity Batch,
    string Path,
    ListQuery Query,
    IReadOnlyList<BatchReviewRow> Rows,
    ListPage<BatchItemEntity> Page,
    BatchReviewTotals Whole,
    BatchReviewTotals Filtered,
    IReadOnlyList<(string Id, string Name)> Institutions,
    IReadOnlyList<string> Categories,
    IReadOnlyList<FieldError> FilterErrors,
    bool Editable,
    IReadOnlyList<Enforcement.ExpertEntity> Pool,
    string? Message,
    bool MessageIsError)
{
    public string? ErrorOf(string field) => FilterErrors.FirstOrDefault(e => e.Field == field)?.Message;
}

/// <summary>One row: its form index, its number in the list, the stored item, what was chosen or typed, the expert asked (by name) and the row's messages.</summary>
public sealed record BatchReviewRow(int Index, int Number, BatchItemEntity Item, string Decision, string? Reason, string? Expert, string? ExpertName, IReadOnlyList<string> Errors);

/// <summary>A bulk decision so far: rows decided now, already so, decided otherwise, waiting for an expert, processed; rows changed by someone else; the set's size.</summary>
public sealed record BulkProgress(int Decided, int Already, int Otherwise, int Waiting, int Processed, IReadOnlyList<string> Changed, int Total, RowVerdict Verdict, bool Replayed);

/// <summary>The progress (or result) page of a bulk decision: the next step's post (null when done) with its fields, and the way back to the list.</summary>
public sealed record BatchProgressModel(BatchEntity Batch, BulkProgress Progress, string? NextAction, IReadOnlyList<(string Name, string Value)> Fields, string Back);

/// <summary>One row in full for the detail page.</summary>
public sealed record BatchItemModel(
    BatchEntity Batch,
    BatchItemEntity Item,
    Redemptions.RedemptionEntity? Redemption,
    IReadOnlyList<Redemptions.RedemptionEntity> Others,
    IReadOnlyList<Enforcement.ViolationIndexEntity> Violations,
    IReadOnlyList<Enforcement.CreditEntryEntity> Credit,
    IReadOnlyList<EvidenceEntity> Files,
    IReadOnlyList<(string Rule, string Reason)> Flags,
    string Path,
    string Back);

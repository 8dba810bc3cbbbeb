using Voucher.Workflows.Links;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// The bureau's batch review page (signed link): one row per redemption with enterprise, institution, service,
/// amount paid, computed pay-out, evidence and binding; approve or reject (reason), or ask an expert; save part
/// of the work and come back; submit once every row is decided.
/// </summary>
public sealed class BatchReviewPages(LinkSigner signer, SettlementStore settlements, SettlementService review, Enforcement.EnforcementStore enforcement)
{
    const int PageSize = 200;

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
            return Pages.Error(ctx.Principal, "表单内容缺失 (The form is missing)", StatusCodes.Status400BadRequest);
        }

        var rows = new List<RowDecision>();
        for (var i = 0; i < PageSize && form.ContainsKey($"id_{i}"); i++)
        {
            rows.Add(new RowDecision(form[$"id_{i}"], form[$"decision_{i}"], form[$"reason_{i}"], form[$"expert_{i}"], form[$"override_{i}"] == "on"));
        }

        // The link names the batch and the city bureau; the bureau acts as itself.
        var actor = Addresses.CityBureau(batch!.CityCode);
        var saved = await review.SaveDecisionsAsync(batch, rows, actor, ctx.Aborted);
        if (saved.Failure is { } invalid)
        {
            var errors = invalid is Failure.Invalid fields ? fields.Errors : [];
            return await RenderAsync(ctx, batch, errors, rows, "有错误，出错的行未保存，请修改后重试。Rows with errors were not saved.", StatusCodes.Status400BadRequest);
        }

        if (form["action"] == "submit")
        {
            var submitted = await review.SubmitAsync(batch, actor, ctx.Durable, ctx.Aborted);
            if (submitted.Failure is not { } refused)
            {
                return Pages.Page("批次已提交 Batch submitted",
                    $"<section class=\"card\"><p class=\"ok\" role=\"status\">批次 {E(batch.BatchId)} 已提交：通过的兑付申请将进入公示，驳回的将通知企业。Submitted.</p></section>", ctx.Principal);
            }

            // Saved either way: a submission refused for undecided rows says how many are left.
            var message = refused is Failure.Refused ? $"已保存，不能提交：{refused.Message}" : refused.Message;
            return await RenderAsync(ctx, batch, [], null, message, PageStatus.Of(refused));
        }

        return await RenderAsync(ctx, batch, [], null, "已保存 Saved.", StatusCodes.Status200OK);
    }

    async Task<(BatchEntity?, IResult?)> OpenAsync(RequestContext ctx)
    {
        var check = signer.Verify(ctx.RouteValue("token"), out var claims);
        if (check != LinkCheck.Valid || claims!.Action != BatchLinks.ReviewAction)
        {
            return (null, check == LinkCheck.Expired
                ? Pages.Page("链接已过期 Link expired", "<section class=\"card\"><p class=\"warn\" role=\"alert\">此批次审核链接已过期，请从工作台重新进入。This link expired; open the batch from your home page.</p></section>", ctx.Principal, StatusCodes.Status410Gone)
                : Pages.Error(ctx.Principal, "链接无效或已被篡改 (This link is not valid)", StatusCodes.Status400BadRequest));
        }

        var batch = await settlements.GetBatchAsync(BatchLinks.ReviewedBatch(claims), ctx.Aborted);
        return batch is null ? (null, Pages.NotFound(ctx.Principal, "批次不存在 (Batch not found)")) : (batch, null);
    }

    async Task<IResult> RenderAsync(RequestContext ctx, BatchEntity batch, IReadOnlyList<FieldError> errors, IReadOnlyList<RowDecision>? typed, string? message, int status)
    {
        var items = (await settlements.ItemsAsync(batch.BatchId, ctx.Aborted)).OrderBy(i => i.Chunk).ThenBy(i => i.RowKey, StringComparer.Ordinal).ToList();
        var page = int.TryParse(ctx.Request.Query["page"], out var p) && p > 0 ? p : 1;
        var shown = items.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        var decided = items.Count(i => i.Verdict != RowVerdict.Undecided);
        var editable = batch.Stage == BatchStage.Reviewing;
        var pool = editable ? await enforcement.ExpertsForFieldAsync(null, ctx.Aborted) : [];
        var sb = new StringBuilder();
        sb.Append($"<section class=\"card\"><dl class=\"facts\"><dt>批次 Batch</dt><dd>{E(batch.BatchId)}</dd><dt>地市 City</dt><dd>{E(Cities.Get(batch.CityCode).NameZh)}</dd>")
          .Append($"<dt>截止 Cut-off</dt><dd>{E(BatchLinks.ChinaDate(batch.CutoffUtc))}</dd><dt>笔数 Items</dt><dd>{batch.ItemCount}</dd><dt>已决定 Decided</dt><dd>{decided} / {items.Count}</dd>")
          .Append($"<dt>阶段 Stage</dt><dd>{E(StageText(batch.Stage))}</dd><dt>合计核定兑付 Total pay-out</dt><dd>{E(Cny.FromFen(items.Sum(i => i.PayoutFen)).ToString())}</dd></dl>");
        if (message is not null)
        {
            sb.Append($"<p class=\"{(errors.Count > 0 || status >= 400 ? "error" : "ok")}\" role=\"status\">{E(message)}</p>");
        }

        sb.Append("</section><section class=\"card\"><form method=\"post\"><div class=\"table-wrap\"><table><thead><tr>")
          .Append("<th scope=\"col\">企业 / 服务 Enterprise / service</th><th scope=\"col\">实付 / 核定 Paid / pay-out</th><th scope=\"col\">确认与材料 Binding &amp; evidence</th><th scope=\"col\">决定 Decision</th></tr></thead><tbody>");
        for (var i = 0; i < shown.Count; i++)
        {
            var item = shown[i];
            var row = typed?.ElementAtOrDefault(i);
            var decision = row?.Decision ?? item.Decision;
            var reason = row?.Reason ?? item.Reason;
            var expert = row?.ExpertId ?? item.ExpertId;
            var rowErrorList = errors.Where(e => e.Field.StartsWith($"decisions[{i}].", StringComparison.Ordinal)).ToList();
            var rowErrors = rowErrorList.Count == 0 ? "" : $"<div id=\"row-error-{i}\">" + string.Concat(rowErrorList.Select(e => $"<p class=\"error\" role=\"alert\">{E(e.Message)}</p>")) + "</div>";
            var aria = rowErrorList.Count == 0 ? "" : $" aria-invalid=\"true\" aria-describedby=\"row-error-{i}\"";
            var evidence = string.Join(" ", EvidenceRules.Required.Select(k => Link($"/api/redemptions/{item.RedemptionId}/evidence/{EvidenceRules.Slug(k)}", EvidenceRules.Chinese(k))));
            var binding = item.BindingMode == "seal" ? "盖章确认：请核验合同公章 (seal: check the contract)" : $"系统确认 {item.BoundBy}";
            var opinion = item.ExpertId is null ? "" : item.ExpertOpinion is null
                ? $"<p class=\"warn\">已请专家 {E(item.ExpertId)}，等待意见 (waiting for the expert)</p>"
                : $"<p>专家 {E(item.ExpertId)} 意见：{E(item.ExpertOpinion)}</p>";
            string Opt(string value, string text) => $"<option value=\"{value}\"{(decision == value ? " selected" : "")}>{text}</option>";
            sb.Append("<tr>")
              .Append($"<td><input type=\"hidden\" name=\"id_{i}\" value=\"{Attr(item.RedemptionId)}\">{E(item.EnterpriseName)}<br><span class=\"muted\">{E(item.InstitutionName)} · {E(item.ServiceTitle)}</span><br><span class=\"muted\">{E(item.RedemptionId)}</span></td>")
              .Append($"<td>{E(Cny.FromFen(item.AmountPaidFen).ToString())}<br><strong>{E(Cny.FromFen(item.PayoutFen).ToString())}</strong>{CapNote(item)}</td>")
              .Append($"<td>{E(binding)}<br>{evidence}{opinion}</td>")
              .Append("<td>").Append(rowErrors);
            if (editable)
            {
                sb.Append($"<label for=\"decision_{i}\">决定 Decision</label><select id=\"decision_{i}\" name=\"decision_{i}\"{aria}>{Opt("", "未定 Undecided")}{Opt(RowVerdicts.Approve, "通过 Approve")}{Opt(RowVerdicts.Reject, "驳回 Reject")}</select>")
                  .Append($"<label for=\"reason_{i}\">理由 Reason</label><input id=\"reason_{i}\" name=\"reason_{i}\" value=\"{Attr(reason)}\" maxlength=\"500\"{aria}>")
                  .Append(Enforcement.ExpertPicker.Select($"expert_{i}", expert, item, pool))
                  .Append($"<label><input type=\"checkbox\" name=\"override_{i}\" style=\"width:auto\"> 不等专家意见 Decide without the opinion</label>");
            }
            else
            {
                sb.Append(E(RowVerdicts.Parse(decision) switch { RowVerdict.Approve => "通过 Approved", RowVerdict.Reject => $"驳回 Rejected：{reason}", _ => "—" }));
            }

            sb.Append("</td></tr>");
        }

        sb.Append("</tbody></table></div>");
        if (editable)
        {
            sb.Append("<button type=\"submit\" name=\"action\" value=\"save\" class=\"secondary\">保存 Save</button>")
              .Append("<button type=\"submit\" name=\"action\" value=\"submit\" onclick=\"return confirm('提交后不可修改，确认提交整个批次？ Submit the whole batch? This cannot be undone.');\">提交批次 Submit batch</button>");
        }

        sb.Append("</form>");
        if (items.Count > PageSize)
        {
            sb.Append("<p>").Append(string.Join(" ", Enumerable.Range(1, (items.Count + PageSize - 1) / PageSize).Select(n => n == page ? $"<strong>{n}</strong>" : Link($"?page={n}", n.ToString())))).Append("</p>");
        }

        sb.Append("</section>");
        return Pages.Page("结算批次审核 Batch review", sb.ToString(), ctx.Principal, status);
    }

    /// <summary>Under a pay-out the annual cap reduced: "受年度限额影响，核定 ¥X（实付 ¥Y，年度限额剩余 ¥Z；…）".</summary>
    static string CapNote(BatchItemEntity item) => item.CappedFromFen <= item.PayoutFen ? ""
        : $"<br><span class=\"warn cap-note\">{E(AnnualCap.CappedNote(Cny.FromFen(item.PayoutFen), Cny.FromFen(item.AmountPaidFen), Cny.FromFen(item.PayoutFen), Cny.FromFen(item.CappedFromFen), item.CapYear))}</span>";

    public static string StageText(BatchStage stage) => stage switch
    {
        BatchStage.Forming => "组批中 (forming)",
        BatchStage.Reviewing => "审核中 (under review)",
        BatchStage.Deciding => "处理审核结果 (applying decisions)",
        BatchStage.Publicity => "公示中 (publicity)",
        BatchStage.Closed => "已结束 (closed)",
        _ => stage.ToString(),
    };
}

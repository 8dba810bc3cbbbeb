using Voucher.Workflows.Audit;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;
using static Voucher.Workflows.Web.PageParts;

namespace Voucher.Workflows.Redemptions;

/// <summary>One redemption as each party sees it: facts, timeline, evidence, and the viewer's actions (upload, withdraw, extend, resolve an objection).</summary>
public sealed class RedemptionPages(
    RedemptionService redemptionService,
    BindingService bindingService,
    EvidenceService evidenceService,
    BindingLinks bindingLinks,
    EvidenceStore evidence,
    SettlementStore settlements)
{
    /// <summary>One redemption: its timeline, what it waits on, and the actions of the viewer's role.</summary>
    public async Task<IResult> RedemptionPageAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var view = await redemptionService.ViewAsync(p, ctx.RouteValue("id"), ctx.Aborted);
        if (view.Failure is not null)
        {
            return Pages.NotFound(p, "兑付申请不存在或无权查看 (Not found or not yours)");
        }

        var (r, files, history, bindingDaysLeft) = view.Value;
        var (waitingOn, next) = RedemptionView.NextStep(r);
        var sb = new StringBuilder(Flash(ctx.Request));
        sb.Append($"<section class=\"card\"><dl class=\"facts\"><dt>状态 Status</dt><dd><strong>{E(RedemptionView.StatusText(r.State))}</strong></dd><dt>等待 Waiting on</dt><dd>{E(waitingOn)}</dd><dt>下一步 Next</dt><dd>{E(next)}</dd>")
          .Append($"<dt>企业 Enterprise</dt><dd>{E(r.EnterpriseName)}</dd><dt>服务机构 Institution</dt><dd>{E(r.InstitutionName)}</dd><dt>服务 Service</dt><dd>{E(r.ServiceTitle)}</dd><dt>合同 Contract</dt><dd>{E(r.ContractNumber)}</dd>")
          .Append($"<dt>实付 Paid</dt><dd>{Money(r.AmountPaidFen)}</dd><dt>核定兑付 Pay-out</dt><dd>{(r.PayoutFen > 0 ? Money(r.PayoutFen) : r.PayoutJson is null ? "待核定 pending" : Money(0))}{AdvanceText(r)}</dd>");
        if (RedemptionView.CappedNote(r) is { } capped)
        {
            sb.Append($"<dt>年度限额 Annual cap</dt><dd class=\"warn\" id=\"cap-note\">{E(capped)}</dd>");
        }

        if (r.RejectReason is not null && r.State is RedemptionStatus.Rejected or RedemptionStatus.Stopped)
        {
            sb.Append($"<dt>原因 Reason</dt><dd class=\"warn\">{E(r.RejectReason)}</dd>");
        }

        if (r.State == RedemptionStatus.AwaitingBinding && BindingDeadlines.Of(r) is { } binding && bindingDaysLeft is { } left)
        {
            sb.Append($"<dt>确认期限 Binding deadline</dt><dd>{Deadline(r.BindingDeadline!, left, binding.Basis.Provisional)}</dd>");
        }

        sb.Append("</dl></section>");
        sb.Append(Timeline(r, history));
        sb.Append(EvidenceSection(r, files, p));
        var opinions = await Enforcement.ExpertOpinionsSection.OpinionsSectionAsync(ctx, r.RedemptionId);
        var actions = await ActionsAsync(r, p, ctx.Aborted);
        return Pages.View<Parts>($"兑付申请 Redemption {r.RedemptionId}", p, new List<Microsoft.AspNetCore.Components.RenderFragment> { Fragments.Markup(sb.ToString()), opinions, Fragments.Markup(actions) });
    }

    /// <summary>An approved advance and whether it was paid: it counts as paid only once the finance bureau confirmed it.</summary>
    static string AdvanceText(RedemptionEntity r) => r.PrepaidFen <= 0 ? "" : r.AdvancePaidAt is not null
        ? $"（事前兑付 {Money(r.PrepaidFen)}，财政局已于 {E(r.AdvancePaidOn)} 拨付 advance paid）"
        : AdvancePayments.IsDue(r.State)
            ? $"（核定事前兑付 {Money(r.PrepaidFen)}，待财政局拨付 advance not paid yet）"
            : $"（核定事前兑付 {Money(r.PrepaidFen)} 未拨付 advance not paid）";

    static string Timeline(RedemptionEntity r, IReadOnlyList<AuditEntry> history)
    {
        (string Stage, DateTimeOffset? At)[] stages =
        [
            ("提交 Submitted", r.SubmittedAt), ("机构确认 Bound", r.BoundAt), ("材料齐全 Evidence complete", r.EvidenceCompleteAt), ("进入结算队列 Queued", r.QueuedAt),
            ("纳入批次 Batched", r.InBatchAt), ("审核 Reviewed", r.ReviewedAt), ("公示 Published", r.PublishedAt), ("待拨付 Payable", r.PayableAt), ("已拨付 Paid", r.PaidAt),
        ];
        // The stage the redemption is in now: the first one not reached yet (none once it is final).
        var current = RedemptionTransitions.IsFinal(r.State) ? -1 : Array.FindIndex(stages, s => s.At is null);
        var waitingOn = RedemptionView.NextStep(r).WaitingOn;
        var items = string.Concat(stages.Select((s, i) => i == current
            ? $"<li aria-current=\"step\"><strong>{E(s.Stage)}：当前阶段，等待{E(waitingOn)} (current)</strong></li>"
            : $"<li>{E(s.Stage)}：{(s.At is { } at ? E(BatchLinks.ChinaDate(at)) : "<span class=\"muted\">—</span>")}</li>"));
        var log = string.Concat(history.Select(h => $"<li>{E(BatchLinks.ChinaDate(h.At))} · {E(h.Actor)} · {E(h.FromState)} → {E(h.ToState)} · {E(h.Detail)}（政策版本 v{h.PolicyVersion}）</li>"));
        return $"<section class=\"card\"><h2>进度 Timeline</h2><ol>{items}</ol><details><summary>操作记录 Audit trail</summary><ul>{log}</ul></details></section>";
    }

    string EvidenceSection(RedemptionEntity r, IReadOnlyList<EvidenceEntity> files, VoucherPrincipal p)
    {
        var canUpload = p.IsEnterprise(r.Uscc) && RedemptionTransitions.TakesEvidence(r.State);
        var limit = SizeText(evidence.MaxBytes);
        var missing = EvidenceRules.Required.Count(k => files.All(f => f.RowKey != EvidenceRules.Slug(k)));
        var sb = new StringBuilder($"<section class=\"card\"><h2>兑付材料 Evidence</h2><p class=\"muted\">PDF、PNG 或 JPEG，单个文件不超过 {E(limit)}（按文件内容判断类型）。PDF, PNG or JPEG, at most {E(limit)} each.</p>");
        if (canUpload && missing > 0)
        {
            sb.Append($"<p class=\"warn\" id=\"evidence-missing\" data-missing=\"{missing}\" role=\"status\">还需上传 {missing} 项材料，齐全后才能进入结算。{missing} document(s) still missing.</p>");
        }

        foreach (var kind in EvidenceRules.Required)
        {
            var slug = EvidenceRules.Slug(kind);
            var file = files.FirstOrDefault(f => f.RowKey == slug);
            var status = file is null ? "<span class=\"warn\">未上传 missing</span>" :
                RedemptionService.CanReadEvidence(p, r) ? $"{Link($"/api/redemptions/{r.RedemptionId}/evidence/{slug}", "已上传 uploaded")} · {file.Size:N0} B · SHA-256 {E(file.Sha256[..12])}…" : "已上传 uploaded";
            sb.Append($"<div class=\"evidence\" data-kind=\"{slug}\"><h3>{E(EvidenceRules.Chinese(kind))} {E(kind.ToString())}</h3><p class=\"evidence-status\">{status}</p>");
            if (canUpload)
            {
                // The message sits right under the file field and is tied to it (aria-describedby); the bar shows the upload.
                sb.Append($"""
                    <form method="post" action="/portal/redemptions/{Attr(r.RedemptionId)}/evidence/{slug}" enctype="multipart/form-data" data-upload="/api/redemptions/{Attr(r.RedemptionId)}/evidence/{slug}" data-was-missing="{(file is null ? "1" : "0")}" data-max-bytes="{evidence.MaxBytes}" data-limit="{Attr(limit)}">
                    <label for="file-{slug}">{(file is null ? "选择文件 Choose file" : "重新上传 Replace file")}（{E(EvidenceRules.Chinese(kind))}）</label><input id="file-{slug}" type="file" name="file" accept="application/pdf,image/png,image/jpeg" aria-describedby="upload-message-{slug}">
                    <p class="upload-message" id="upload-message-{slug}" role="status"></p>
                    <progress max="100" value="0" hidden aria-label="{E(EvidenceRules.Chinese(kind))}上传进度 Upload progress"></progress>
                    <div><button type="submit">上传 Upload</button></div></form>
                    """);
            }

            sb.Append("</div>");
        }

        if (canUpload)
        {
            // Progressive enhancement: upload with a progress bar; without script the form posts and the page reloads.
            sb.Append("""
                <script>
                document.querySelectorAll('form[data-upload]').forEach(function (form) {
                  var input = form.querySelector('input[type=file]'), bar = form.querySelector('progress'), msg = form.querySelector('.upload-message');
                  function say(kind, text) { msg.className = 'upload-message ' + kind; msg.textContent = text; if (kind === 'error') { input.setAttribute('aria-invalid', 'true'); } else { input.removeAttribute('aria-invalid'); } }
                  form.addEventListener('submit', function (e) {
                    e.preventDefault();
                    if (!input.files.length) { say('error', '请先选择文件 (Choose a file first)'); input.focus(); return; }
                    var file = input.files[0];
                    if (file.size > Number(form.dataset.maxBytes)) { say('error', '文件过大：' + (file.size / 1048576).toFixed(1) + ' MB，单个文件不超过 ' + form.dataset.limit + ' (The file is larger than ' + form.dataset.limit + ')'); input.focus(); return; }
                    var data = new FormData(); data.append('file', file);
                    var xhr = new XMLHttpRequest(); xhr.open('POST', form.dataset.upload);
                    bar.hidden = false; bar.value = 0; say('muted', '正在上传 Uploading…');
                    xhr.upload.onprogress = function (ev) { if (ev.lengthComputable) { bar.value = Math.round(ev.loaded * 100 / ev.total); } };
                    xhr.onload = function () {
                      if (xhr.status === 201) {
                        bar.value = 100; form.dataset.state = 'done';
                        say('ok', '上传成功：' + file.name + ' (Uploaded)');
                        form.parentNode.querySelector('.evidence-status').textContent = '已上传 uploaded · ' + file.name;
                        var missing = document.getElementById('evidence-missing');
                        if (missing && form.dataset.wasMissing === '1') {
                          form.dataset.wasMissing = '0';
                          var left = Number(missing.dataset.missing) - 1; missing.dataset.missing = left;
                          if (left > 0) { missing.textContent = '还需上传 ' + left + ' 项材料，齐全后才能进入结算。' + left + ' document(s) still missing.'; }
                          else { missing.className = 'ok'; missing.innerHTML = '三项材料已齐全，等待服务机构确认。All three documents are in. <a href="">刷新查看最新状态 Refresh</a>'; }
                        }
                        return;
                      }
                      bar.hidden = true;
                      var text = '上传失败 Upload failed';
                      try { var p = JSON.parse(xhr.responseText); text = p.errors ? Object.values(p.errors).flat().join('；') : (p.detail || p.title || text); } catch (x) { }
                      say('error', text); input.focus();
                    };
                    xhr.onerror = function () { bar.hidden = true; say('error', '网络错误，请重试 (Network error: try again)'); };
                    xhr.send(data);
                  });
                });
                </script>
                """);
        }

        return sb.Append("</section>").ToString();
    }

    static string SizeText(long bytes) => bytes % 1_048_576 == 0 ? $"{bytes / 1_048_576} MB" : $"{bytes / 1024.0 / 1024.0:0.#} MB";

    async Task<string> ActionsAsync(RedemptionEntity r, VoucherPrincipal p, CancellationToken ct)
    {
        var sb = new StringBuilder();
        if (p.IsEnterprise(r.Uscc) && RedemptionTransitions.CanWithdraw(r.State))
        {
            sb.Append($"<form method=\"post\" action=\"/portal/redemptions/{Attr(r.RedemptionId)}/withdraw\" onsubmit=\"return confirm('撤回后不可恢复，确认撤回？ Withdraw? This cannot be undone.');\"><button type=\"submit\" class=\"danger\">撤回兑付申请 Withdraw</button></form>");
        }

        if (p.Role == Role.Institution && p.Scope == r.InstitutionId && r.State == RedemptionStatus.AwaitingBinding && r.BindingDeadline is not null && !r.Bound)
        {
            sb.Append(p.Agency is not null ? Agencies.AgencyBindingForm.Render(r.RedemptionId, r.BindingRound) : $"<p>{Link($"/binding/{bindingLinks.TokenFor(r, r.BindingRound, DateOnly.Parse(r.BindingDeadline))}", "确认或提出异议 Confirm or dispute")}</p>");
        }

        if (p.IsBureauOf(r.CityCode) && RedemptionTransitions.CanReopenBinding(r.State))
        {
            sb.Append($"<form method=\"post\" action=\"/portal/redemptions/{Attr(r.RedemptionId)}/extend\" onsubmit=\"return confirm('重新发起机构确认（新的 5 个工作日期限）？ Re-open binding?');\"><input type=\"hidden\" name=\"round\" value=\"{r.BindingRound}\"><button type=\"submit\">延长确认期限 Extend binding</button></form>");
        }

        if (p.IsBureauOf(r.CityCode) && r.State == RedemptionStatus.Objected)
        {
            var objections = await settlements.ObjectionsAsync(r.RedemptionId, ct);
            sb.Append("<h3>公示异议 Objections</h3><ul>").Append(string.Concat(objections.Select(o => $"<li>{E(BatchLinks.ChinaDate(o.FiledAt))}：{E(o.Grounds)}（{E(o.Status.ToString())}）</li>"))).Append("</ul>")
              .Append(ObjectionForm(r.RedemptionId));
        }

        return sb.Length == 0 ? "" : $"<section class=\"card\"><h2>操作 Actions</h2>{sb}</section>";
    }

    static string ObjectionForm(string redemptionId) => $"""
        <form method="post" action="/portal/objections/{Attr(redemptionId)}" onsubmit="return confirm('确认提交处理结果？ Submit the resolution?');">
        <label for="resolution-{Attr(redemptionId)}">处理理由 Reason</label><input id="resolution-{Attr(redemptionId)}" name="reason" maxlength="500" required>
        <button type="submit" name="uphold" value="false">驳回异议，继续兑付 Dismiss</button>
        <button type="submit" name="uphold" value="true" class="danger">异议成立，驳回兑付 Uphold</button></form>
        """;

    public async Task<IResult> UploadEvidenceFormAsync(RequestContext ctx)
    {
        var outcome = await RedemptionApi.UploadFileAsync(evidenceService, ctx);
        return Back($"/portal/redemptions/{ctx.RouteValue("id")}", outcome.Failure, "上传成功 Uploaded");
    }

    public async Task<IResult> WithdrawFormAsync(RequestContext ctx)
    {
        var outcome = await redemptionService.WithdrawAsync(ctx.Principal!, ctx.RouteValue("id"), ctx.Durable, ctx.Aborted);
        return Back($"/portal/redemptions/{ctx.RouteValue("id")}", outcome.Failure, "已提交撤回，预留额度将释放 (Withdrawal sent)");
    }

    public async Task<IResult> ExtendFormAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        int? round = int.TryParse(form["round"], out var parsed) ? parsed : null;
        var outcome = await bindingService.ReopenAsync(ctx.Principal!, new ReopenBinding(ctx.RouteValue("id"), round), ctx.Durable, ctx.Aborted);
        if (outcome.Failure is Failure.NotFound or Failure.Forbidden)
        {
            // Another city's redemption is not shown to exist.
            return Pages.NotFound(ctx.Principal, "兑付申请不存在或不属于本市 (Not found)");
        }

        return Back($"/portal/redemptions/{ctx.RouteValue("id")}", outcome.Failure, "已重新发起机构确认 (Binding re-opened)");
    }

    /// <summary>Back to the redemption's page with the act's message: what was done, or why not (each field's message named).</summary>
    static IResult Back(string path, Failure? failure, string done) =>
        failure is null
            ? PageParts.Back(path, done: done)
            : PageParts.Back(path, error: string.Join("；", Problems.FieldMessages(failure).SelectMany(f => f.Value.Select(m => f.Key.Length == 0 ? m : $"{f.Key}：{m}"))));
}

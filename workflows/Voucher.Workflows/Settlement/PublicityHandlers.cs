using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Voucher.Domain;
using Voucher.Workflows.Http;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Settlement;

public sealed record PublicityEntry(string RedemptionId, string CityCode, string EnterpriseName, string InstitutionName, string ServiceCategory, string ServiceTitle, Cny Payout, string Start, string End, bool Objected, bool EndProvisional = false);

public sealed record ObjectionRequest(string? Contact, string? Grounds);

public sealed record ResolveObjectionRequest(bool? Uphold, string? Reason);

/// <summary>
/// Publicity (公示): the public list of approved redemptions in their objection window (no personal data), the
/// objection form (rate-limited), and the bureau's resolution of objections.
/// </summary>
public sealed partial class PublicityHandlers(
    SettlementStore settlements,
    RedemptionStore redemptions,
    Outbox outbox,
    PublicRateLimiter limiter,
    TimeProvider time,
    Voucher.Workflows.Audit.AuditLog audit,
    Enforcement.PrepaymentAudit prepayment,
    Supervision.StatsAggregator stats)
{
    public async Task<IReadOnlyList<PublicityEntry>> ListAsync(CancellationToken ct)
    {
        var result = new List<PublicityEntry>();
        foreach (var open in await settlements.OpenPublicityAsync(ct))
        {
            foreach (var item in await settlements.ItemsAsync(open.RowKey, ct))
            {
                var state = item.Decision == "approve" ? (await redemptions.GetAsync(item.RedemptionId, ct))?.State : null;
                if (state is RedemptionStatus.Published or RedemptionStatus.Objected)
                {
                    var objected = state == RedemptionStatus.Objected;
                    result.Add(new PublicityEntry(item.RedemptionId, open.CityCode, item.EnterpriseName, item.InstitutionName, item.ServiceCategory, item.ServiceTitle,
                        Cny.FromFen(item.PayoutFen), open.PublicityStart, open.PublicityEnd, objected, open.PublicityProvisional));
                }
            }
        }

        return result;
    }

    public async Task<IResult> ApiListAsync(RequestContext ctx) => Results.Json(await ListAsync(ctx.Aborted), JsonBody.Response);

    public async Task<IResult> PageAsync(RequestContext ctx) =>
        Page(ctx, await ListAsync(ctx.Aborted), null, null,
            ctx.Request.Query.ContainsKey("objected") ? "异议已提交，市科技局将核查处理。Your objection was received." : null, StatusCodes.Status200OK);

    public async Task<IResult> ApiObjectAsync(RequestContext ctx)
    {
        if (!limiter.TryAcquire(ctx.Request, "objection"))
        {
            return PublicRateLimiter.TooMany();
        }

        var (body, error) = await JsonBody.ReadAsync<ObjectionRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var (ok, problem) = await FileAsync(ctx.RouteValue("redemptionId"), body!.Contact, body.Grounds, ctx.Aborted);
        return ok ? Results.Json(new { redemptionId = ctx.RouteValue("redemptionId"), received = true }, JsonBody.Response, statusCode: StatusCodes.Status201Created) : problem!;
    }

    public async Task<IResult> FormObjectAsync(RequestContext ctx)
    {
        if (!limiter.TryAcquire(ctx.Request, "objection"))
        {
            return Page(ctx, await ListAsync(ctx.Aborted), null, null, "提交过于频繁，请一分钟后再试 (Too many objections; try again in a minute)", StatusCodes.Status429TooManyRequests);
        }

        var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync(ctx.Aborted) : null;
        var contact = form?["contact"].ToString();
        var grounds = form?["grounds"].ToString();
        var id = ctx.RouteValue("redemptionId");
        var (ok, problem) = await FileAsync(id, contact, grounds, ctx.Aborted);
        if (ok)
        {
            // Post-redirect-get: a refresh does not file the objection again.
            return Results.Redirect($"/publicity?objected={Uri.EscapeDataString(id)}");
        }

        var status = problem is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status400BadRequest;
        var fields = Problems.FieldMessages(problem!);
        var general = fields.TryGetValue("", out var g) ? string.Join("；", g) : "异议未提交，请按提示修改。The objection was not filed: see the fields below.";
        return Page(ctx, await ListAsync(ctx.Aborted), id, (contact, grounds), general, status, fields);
    }

    async Task<(bool Ok, IResult? Problem)> FileAsync(string redemptionId, string? contact, string? grounds, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var c = JsonBody.Required(contact, "contact", 100, errors);
        var g = JsonBody.Required(grounds, "grounds", 2000, errors);
        if (errors.Count > 0)
        {
            return (false, Problems.Validation(errors));
        }

        var r = await redemptions.GetAsync(redemptionId, ct);
        var batch = r?.BatchId is null ? null : await settlements.GetBatchAsync(r.BatchId, ct);
        if (r is null || batch?.PublicityEnd is null || r.State is not (RedemptionStatus.Published or RedemptionStatus.Objected))
        {
            return (false, Problems.NotFound("该兑付申请不在公示中 (This redemption is not under publicity)"));
        }

        if (batch.Stage != "Publicity" || time.GetUtcNow() > batch.PublicityEndsAt)
        {
            return (false, Problems.Unprocessable($"公示期已于 {batch.PublicityEnd} 结束 (The objection window closed on {batch.PublicityEnd})"));
        }

        var now = time.GetUtcNow();
        await settlements.Tables.UpsertAsync(VoucherStore.Objections, new ObjectionEntity
        {
            PartitionKey = r.RedemptionId, RowKey = $"{now.UtcTicks:D19}-{Guid.NewGuid():N}"[..40], BatchId = batch.BatchId, Contact = c!, Grounds = g!, FiledAt = now,
        }, ct);
        string? from = null;
        r = await redemptions.UpdateAsync(r.RedemptionId, e =>
        {
            from = RedemptionSteps.Move(e, RedemptionStatus.Objected);
            return from is not null;
        }, ct);
        if (from is not null)
        {
            await audit.AppendAsync(Voucher.Workflows.Audit.AuditSubjects.Redemption(r.RedemptionId), "public", now, from, r.Status.ToString(), r.PolicyVersion, "公示期内收到异议 (objection filed)", ct);
        }

        await outbox.EnqueueAndTryDeliverAsync(new Notification(
            $"objection-{r.RedemptionId}-{now.UtcTicks}",
            Addresses.CityBureau(r.CityCode),
            $"公示异议：{r.EnterpriseName}",
            $"兑付申请 {r.RedemptionId} 收到公示异议，请核查处理（维持异议则驳回，驳回异议则继续）。An objection holds this redemption.",
            [],
            now,
            r.RedemptionId), ct);
        return (true, null);
    }

    /// <summary>The bureau's answer to the objections of one redemption: uphold (rejected, with a reason) or dismiss (continues).</summary>
    public async Task<IResult> ResolveAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ResolveObjectionRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var reason = body!.Reason?.Trim();
        if (body.Uphold is null || string.IsNullOrEmpty(reason) || reason.Length > 500)
        {
            return Problems.Validation(body.Uphold is null ? "uphold" : "reason", body.Uphold is null ? "必填：true 维持异议，false 驳回异议 (Required)" : "须填写处理理由，不超过 500 字 (A reason of at most 500 characters is required)");
        }

        var r = await redemptions.GetAsync(ctx.RouteValue("redemptionId"), ctx.Aborted);
        if (r is null)
        {
            return Problems.NotFound("兑付申请不存在 (Redemption not found)");
        }

        if (!ctx.Principal!.IsBureauOf(r.CityCode))
        {
            return Problems.Forbidden("只有本市科技局可以处理异议 (Only the city's bureau resolves objections)");
        }

        var resolved = await ResolveForAsync(r, body.Uphold.Value, reason, ctx.Principal.Address, ctx.Durable, ctx.Aborted);
        return resolved is null
            ? Problems.Conflict("该申请没有待处理的异议 (No open objection)")
            : Results.Json(new { redemptionId = resolved.RedemptionId, status = resolved.Status }, JsonBody.Response);
    }

    IResult Page(RequestContext ctx, IReadOnlyList<PublicityEntry> list, string? formFor, (string? Contact, string? Grounds)? typed, string? message, int status, IReadOnlyDictionary<string, string[]>? fieldErrors = null)
    {
        string Err(string field, string id) => fieldErrors is not null && fieldErrors.TryGetValue(field, out var m)
            ? $"<p class=\"error\" id=\"{id}-error\" role=\"alert\">{E(string.Join("；", m))}</p>" : "";
        string Aria(string error, string id) => error.Length == 0 ? "" : $" aria-invalid=\"true\" aria-describedby=\"{id}-error\"";
        var sb = new StringBuilder("<section class=\"card\"><p>以下创新券兑付拟予拨付，现予公示。公示期内任何单位和个人均可实名提出异议。The redemptions below are published for objections.</p>");
        if (message is not null)
        {
            sb.Append($"<p class=\"{(status >= 400 ? "error" : "ok")}\" role=\"status\">{E(message)}</p>");
        }

        sb.Append("</section>");
        if (list.Count == 0)
        {
            sb.Append("<p class=\"muted\">当前没有公示中的兑付。Nothing is under publicity now.</p>");
        }

        foreach (var e in list)
        {
            var isForm = e.RedemptionId == formFor;
            var contactId = $"contact-{Attr(e.RedemptionId)}";
            var groundsId = $"grounds-{Attr(e.RedemptionId)}";
            var contactError = isForm ? Err("contact", contactId) : "";
            var groundsError = isForm ? Err("grounds", groundsId) : "";
            sb.Append($"<section class=\"card\" data-redemption=\"{Attr(e.RedemptionId)}\"><h2>{E(e.EnterpriseName)}</h2><dl class=\"facts\">")
              .Append($"<dt>地市 City</dt><dd>{E(Cities.Get(e.CityCode).NameZh)}</dd><dt>服务机构 Institution</dt><dd>{E(e.InstitutionName)}</dd>")
              .Append($"<dt>服务类别 Category</dt><dd>{E(CategoryName(e.ServiceCategory))} · {E(e.ServiceTitle)}</dd><dt>拟兑付金额 Pay-out</dt><dd>{E(e.Payout.ToString())}</dd>")
              .Append($"<dt>公示期 Window</dt><dd>{E(e.Start)} 至 {E(e.End)}{(e.EndProvisional ? " " + Provisional : "")}</dd>{(e.Objected ? "<dt>状态</dt><dd class=\"warn\">有异议待核查 (objection under review)</dd>" : "")}</dl>")
              .Append($"<details{(isForm ? " open" : "")}><summary>提出异议 Object</summary><form method=\"post\" action=\"/publicity/{Attr(e.RedemptionId)}/objection\" onsubmit=\"return confirm('提交后该兑付将暂停拨付，由市科技局核查，确认提交异议？ File the objection?');\">")
              .Append($"<label for=\"{contactId}\">联系方式（姓名、电话或邮箱）Contact</label>{contactError}<input id=\"{contactId}\" name=\"contact\" maxlength=\"100\" value=\"{Attr(isForm ? typed?.Contact : "")}\"{Aria(contactError, contactId)}>")
              .Append($"<label for=\"{groundsId}\">异议理由 Grounds</label>{groundsError}<textarea id=\"{groundsId}\" name=\"grounds\" rows=\"3\" maxlength=\"2000\"{Aria(groundsError, groundsId)}>{E(isForm ? typed?.Grounds : "")}</textarea>")
              .Append("<div><button type=\"submit\">提交异议 Submit objection</button></div></form></details></section>");
        }

        return Pages.Page("创新券兑付公示 Publicity", sb.ToString(), ctx.Principal, status);
    }

    public static string CategoryName(string category) => category switch
    {
        "scientific-data" => "科学数据",
        "germplasm" => "生物种质资源",
        "testing" => "检验检测",
        "novelty-search" => "科技查新",
        "consulting" => "技术咨询",
        "cooperative-rd" => "合作研发",
        _ => category,
    };
}

using Voucher.Workflows.Web;

namespace Voucher.Workflows.Enforcement;

/// <summary>
/// The violations pages (province, city bureau): record a violation, the list, and one violation with its claw-backs
/// and evidence files. Recording cannot be undone (a three-year bar, claw-backs, open redemptions stopped, the
/// enterprise told), so the form's first post answers with the shared confirmation naming the enterprise, the amount
/// and the consequence, and the confirming post records it. Evidence files are added on the violation's own page,
/// since a confirmation step cannot carry files.
/// </summary>
public sealed class ViolationPages(ViolationService violations, ViolationEvidenceService evidence, EnforcementStore enforcement)
{
    const string ListPath = "/portal/violations";

    ViolationForm Blank => new("", violations.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "", "");

    public Task<IResult> ViolationsAsync(RequestContext ctx) => ListAsync(ctx, Blank, [], StatusCodes.Status200OK);

    public async Task<IResult> RecordViolationFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = new ViolationForm(form["uscc"].ToString().Trim(), form["decidedOn"].ToString().Trim(), form["reason"].ToString(), form["redemptionIds"].ToString());
        var command = new RecordViolation(typed.Uscc, typed.Reason, typed.DecidedOn, typed.RedemptionIdList);
        var preview = await violations.PreviewAsync(p, command, ctx.Aborted);
        switch (preview.Failure)
        {
            case Failure.Forbidden forbidden:
                return Pages.Forbidden(p, forbidden.Message);
            case Failure.Invalid invalid:
                return await ListAsync(ctx, typed, invalid.Errors, StatusCodes.Status400BadRequest);
            case Failure.NotFound:
                return await ListAsync(ctx, typed, [new FieldError("uscc", "该统一社会信用代码的企业尚未在本系统登记。")], StatusCodes.Status400BadRequest);
            case { } failure:
                return await ListAsync(ctx, typed, [new FieldError("uscc", failure.Message)], StatusCodes.Status400BadRequest);
        }

        var plan = preview.Value;
        if (plan.Existing is { } existing)
        {
            return PageParts.Back(DetailPath(existing), error: $"相同的违规已于 {Glossary.Time(existing.RecordedAt)} 记录，未重复记录（限制申请与追回不变）。");
        }

        if (!ConfirmModel.IsConfirmed(form))
        {
            var enterprise = plan.Plan.Enterprise;
            return Pages.View<ConfirmPage>("确认记录违规", p, new ConfirmModel(
                $"确认对 {enterprise.Name} 记录违规？",
                [
                    ("企业", $"{enterprise.Name}（{enterprise.Uscc}）"),
                    ("处理决定日期", Glossary.DateInSentence(plan.Plan.DecidedOn)),
                    ("违规事实与依据", plan.Plan.Reason),
                    ("限制申请", $"自处理决定之日起三年内不得申请创新券，至 {Glossary.DateInSentence(plan.BarredUntil)}（含）"),
                    ("追回资金", plan.Plan.ClawBacks.Count == 0 ? "不追回（未列出已拨付的兑付申请）" : $"{Glossary.MoneyInProse(plan.ClawBackFen)}（{plan.Plan.ClawBacks.Count} 笔兑付申请，由市财政局追回）"),
                    ("终止在办兑付", plan.OpenToStop == 0 ? "无" : $"{plan.OpenToStop} 笔尚未进入结算的兑付申请将终止"),
                    ("通知", "企业将收到违规处理决定通知；有追回时市财政局同时收到追回通知"),
                ],
                ListPath, ConfirmModel.Carry(form), "确认记录违规", ListPath, Danger: true));
        }

        var outcome = await violations.RecordViolationAsync(p, command, [], ctx.Durable, ctx.Aborted);
        if (outcome.Failure is { } late)
        {
            return PageParts.Back(ListPath, error: late.Message);
        }

        var recorded = outcome.Value;
        var v = recorded.Violation;
        var done = new StringBuilder($"已记录违规：{v.EnterpriseName} 至 {Glossary.DateInSentence(DateOnly.ParseExact(v.BarredUntil, "yyyy-MM-dd", CultureInfo.InvariantCulture))} 不得申请");
        done.Append(recorded.ClawBacks.Count > 0 ? $"；追回 {Glossary.MoneyInProse(v.ClawBackFen)}（{recorded.ClawBacks.Count} 笔）" : "");
        done.Append(recorded.Stopped.Count > 0 ? $"；终止在办兑付 {recorded.Stopped.Count} 笔" : "");
        done.Append(recorded.Existing.Count > 0 ? $"；{string.Join("、", recorded.Existing.Select(c => c.RedemptionId))} 的资金已由此前的追回处理，不重复追回" : "");
        done.Append(recorded.InReview.Count > 0 ? $"；批次审核中的 {recorded.InReview.Count} 笔请在审核中驳回" : "");
        done.Append("。可在下方上传证据文件。");
        return PageParts.Back(DetailPath(v), done: done.ToString());
    }

    public async Task<IResult> ViolationAsync(RequestContext ctx) => await DetailAsync(ctx, [], StatusCodes.Status200OK);

    public async Task<IResult> AddEvidenceFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var found = await evidence.ViolationForAsync(p, ctx.RouteValue("city"), ctx.RouteValue("id"), ctx.Aborted);
        switch (found.Failure)
        {
            case Failure.Forbidden forbidden:
                return Pages.Forbidden(p, forbidden.Message);
            case { }:
                return Pages.NotFound(p, "没有这项违规记录。");
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var files = form.Files.GetFiles("files").Where(f => f.Length > 0).Select(f => new EvidenceUpload(f.FileName, f.Length, f.OpenReadStream)).ToList();
        var errors = files.Count == 0 ? [new FieldError("files", "请选择要上传的证据文件。")] : await evidence.CheckAsync(files, ctx.Aborted);
        var held = (await enforcement.EvidenceOfAsync(found.Value.ViolationId, ctx.Aborted)).Count;
        if (errors.Count == 0 && held + files.Count > ViolationEvidenceService.MaxEvidenceFiles)
        {
            errors.Add(new FieldError("files", $"每项违规最多 {ViolationEvidenceService.MaxEvidenceFiles} 个证据文件，已有 {held} 个。"));
        }

        if (errors.Count > 0)
        {
            return await DetailAsync(ctx, errors, StatusCodes.Status400BadRequest);
        }

        await evidence.AddFilesAsync(found.Value, files, p.Address, skipHeld: true, ctx.Aborted);
        return PageParts.Back(DetailPath(found.Value), done: $"已上传证据文件 {files.Count} 个（与已有文件相同的不重复保存）。");
    }

    public async Task<IResult> EvidenceFileAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var opened = await evidence.OpenAsync(p, ctx.RouteValue("city"), ctx.RouteValue("id"), ctx.RouteValue("file"), ctx.Aborted);
        switch (opened.Failure)
        {
            case Failure.Forbidden forbidden:
                return Pages.Forbidden(p, forbidden.Message);
            case { }:
                return Pages.NotFound(p, "没有这个证据文件。");
        }

        var (file, content) = opened.Value;
        ctx.Http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        var name = file.OriginalFileName.Length > 0 ? file.OriginalFileName : file.RowKey;
        return Results.Stream(content, file.ContentType, fileDownloadName: name);
    }

    async Task<IResult> DetailAsync(RequestContext ctx, IReadOnlyList<FieldError> errors, int status)
    {
        var p = ctx.Principal!;
        var outcome = await violations.ViolationAsync(p, ctx.RouteValue("city"), ctx.RouteValue("id"), ctx.Aborted);
        switch (outcome.Failure)
        {
            case Failure.Forbidden forbidden:
                return Pages.Forbidden(p, forbidden.Message);
            case { }:
                return Pages.NotFound(p, "没有这项违规记录。");
        }

        var detail = outcome.Value;
        return Pages.View<ViolationPage>($"违规处理 · {detail.Violation.EnterpriseName}", p, new ViolationDetailModel(detail, DetailPath(detail.Violation), errors), status);
    }

    async Task<IResult> ListAsync(RequestContext ctx, ViolationForm typed, IReadOnlyList<FieldError> errors, int status)
    {
        var p = ctx.Principal!;
        var cities = p.Role == Role.CityBureau ? [Cities.Get(p.Scope ?? "")] : Cities.All.ToList();
        var rows = new List<(City City, ViolationEntity Violation)>();
        foreach (var city in cities)
        {
            var listed = await violations.ViolationsAsync(p, city.Code, ctx.Aborted);
            rows.AddRange((listed.Succeeded ? listed.Value : []).Select(v => (city, v)));
        }

        return Pages.View<ViolationsPage>("违规处理", p, new ViolationsModel(typed, errors, rows, p.Role == Role.Province), status);
    }

    /// <summary>The portal page of one violation.</summary>
    public static string DetailPath(ViolationEntity v) => $"{ListPath}/{Uri.EscapeDataString(v.CityCode)}/{Uri.EscapeDataString(v.ViolationId)}";
}

/// <summary>The violation form as typed.</summary>
public sealed record ViolationForm(string Uscc, string DecidedOn, string Reason, string RedemptionIds)
{
    public IReadOnlyList<string> RedemptionIdList =>
        RedemptionIds.Split([',', '，', '、', ' ', '\n', '\r', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The violations page: the form as typed with its messages, and the violations of the cities the caller supervises.</summary>
public sealed record ViolationsModel(ViolationForm Typed, IReadOnlyList<FieldError> Errors, IReadOnlyList<(City City, ViolationEntity Violation)> Violations, bool AllCities);

/// <summary>One violation's page: the violation, its files and claw-backs, its path, and the messages of a refused upload.</summary>
public sealed record ViolationDetailModel(ViolationDetail Detail, string Path, IReadOnlyList<FieldError> Errors);

using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Accounts;

/// <summary>
/// The onboarding pages over <see cref="ClaimService"/> and <see cref="OnboardingMembers"/>: the person's claims and 账号编号
/// with the claim form (<c>/portal/claims</c>), one claim's progress, the pending enterprise's home (待审核: what happens
/// next; the profile may be filled in, applying waits), the city bureau's claims work list and a claim's review page
/// (both documents shown in the page; verify, or reject with a reason by its field), and the enterprise's page for adding
/// people by 账号编号 (removal links to the one members page, <see cref="AccountPages"/>).
/// </summary>
public sealed class OnboardingPages(ClaimService claims, OnboardingMembers members, EnterpriseService enterprises, InstitutionService institutions, TimeProvider time)
{
    static readonly string[] FormFields = ["uscc", "enterpriseName", "cityCode"];

    DateOnly Today => ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);

    /// <summary>The signed-in person (a claim needs no membership).</summary>
    static Claimant? Who(RequestContext ctx) =>
        SignedIn.Of(ctx.Http)?.Identity is { } person ? new Claimant(person.Subject, person.Name) : ctx.Principal is { } p ? Claimant.Of(p) : null;

    public async Task<IResult> MineAsync(RequestContext ctx)
    {
        var p = ctx.Principal;
        var typed = new Dictionary<string, string?>();
        var kind = ClaimParties.Parse(ctx.Request.Query["kind"]);
        if (kind == PartyKind.Enterprise && p is { Role: Role.Enterprise, Verified: false, Scope: { Length: > 0 } scope })
        {
            // A person signed in with a pending claim: the form starts from that enterprise.
            typed["uscc"] = scope;
            if (await enterprises.OwnAsync(p, ctx.Aborted) is { } e)
            {
                (typed["enterpriseName"], typed["cityCode"]) = (e.Name, e.CityCode);
            }
        }

        return await RenderMineAsync(ctx, kind, new FormState(typed, []), null, StatusCodes.Status200OK);
    }

    async Task<IResult> RenderMineAsync(RequestContext ctx, PartyKind kind, FormState form, string? error, int status)
    {
        var who = Who(ctx)!;
        var number = await claims.AccountNumberAsync(who.Subject, ctx.Aborted);
        var mine = await claims.MineAsync(who.Subject, ctx.Aborted);
        return Pages.View<ClaimsPage>(kind == PartyKind.Institution ? "登记或认领服务机构" : "认领企业", ctx.Principal, new ClaimsPageModel(number, mine, kind, form, error), status);
    }

    /// <summary>The claim form's post (multipart): refused fields by the field with what was typed kept; done → the claim's page.</summary>
    public async Task<IResult> SubmitAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = MarketForms.Typed(form, FormFields);
        var documents = ClaimDocuments.All.ToDictionary(d => d, d => form.Files.GetFile(ClaimDocuments.Field(d)) is { } f && (f.Length > 0 || f.FileName.Length > 0)
            ? new EvidenceFile(f.OpenReadStream(), f.Length, f.FileName)
            : null);
        var kind = ClaimParties.Parse(form["kind"]);
        var outcome = await claims.SubmitAsync(Who(ctx)!, new ClaimRequest(typed["uscc"], typed["enterpriseName"], typed["cityCode"], kind), documents, ctx.Aborted);
        return outcome.Failure switch
        {
            null => Results.Redirect(ClaimPaths.Own(outcome.Value.ClaimId) + "?done=" + Uri.EscapeDataString(
                $"认领已提交，{ClaimParties.Reviewer(outcome.Value)}将核对营业执照和授权委托书，结果会发到您的通知中。")),
            Failure.Invalid invalid => await RenderMineAsync(ctx, kind, new FormState(typed, invalid.Errors), null, StatusCodes.Status400BadRequest),
            var failure => await RenderMineAsync(ctx, kind, new FormState(typed, []), Glossary.ChineseOnly(failure.Message), Settlement.PageStatus.Of(failure)),
        };
    }

    public async Task<IResult> OwnAsync(RequestContext ctx)
    {
        var outcome = await claims.OwnAsync(Who(ctx)!.Subject, ctx.RouteValue("claimId"), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Pages.NotFound(ctx.Principal, Glossary.ChineseOnly(failure.Message))
            : Pages.View<ClaimStatusPage>("认领进度", ctx.Principal, outcome.Value);
    }

    /// <summary>
    /// The home of an enterprise's or an institution's person whose membership waits (HomePages sends them here): 待审核
    /// and what comes next. An institution's person fills in the institution's profile meanwhile on its own page.
    /// </summary>
    public async Task<IResult> PendingHomeAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        if (p.Role == Role.Institution)
        {
            var claim = await claims.OwnForAsync(p, p.Scope ?? "", ctx.Aborted);
            var registered = await institutions.OwnAsync(p, ctx.Aborted);
            return Pages.View<PendingHome>("服务机构首页 · 待审核", p, new PendingHomeModel(PartyKind.Institution, p.Scope ?? "", claim, registered?.Name));
        }

        var uscc = p.Scope ?? "";
        var claimRead = claims.OwnForAsync(p, uscc, ctx.Aborted);
        var enterpriseRead = enterprises.OwnAsync(p, ctx.Aborted);
        await Task.WhenAll(claimRead, enterpriseRead);
        var enterprise = await enterpriseRead;
        var parts = new List<RenderFragment> { Component<PendingHome>(new PendingHomeModel(PartyKind.Enterprise, uscc, await claimRead, enterprise?.Name)) };
        if (enterprise is null)
        {
            parts.Add(Component<RegistrationForm>(new RegistrationModel(uscc, null, [])));
        }

        return Pages.View<Parts>("企业首页 · 待审核", p, parts);
    }

    public async Task<IResult> WorkListAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var outcome = await claims.ReviewListAsync(p, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.Forbidden(p, Glossary.ChineseOnly(failure.Message));
        }

        // A bureau reviews its city's enterprises, the province centre the institutions.
        var kind = p.Role == Role.Province ? PartyKind.Institution : PartyKind.Enterprise;
        var unit = kind == PartyKind.Institution ? "省科技厅" : Cities.Get(p.Scope!).NameZh + "科技局";
        var noun = ClaimParties.Noun(kind);
        var all = outcome.Value.Select(ClaimWorkRow.From).ToList();
        var query = ClaimWorkList.Query(ctx.Request);
        var rows = ClaimWorkList.Apply(all, query);
        var tabName = query.Tab == ClaimWorkList.Done ? "已审核" : "待审核";
        if (TableExport.ParseFormat(ctx.Request.Query["format"]) is { } format)
        {
            return TableExport.File(format, $"{unit}{noun}认领-{tabName}-{Glossary.Date(Today)}", tabName, ClaimWorkList.ColumnsFor(kind), rows);
        }

        var tabs = new List<ListTab>
        {
            new(ClaimWorkList.Todo, "待审核", ClaimWorkList.Count(all, ClaimWorkList.Todo)),
            new(ClaimWorkList.Done, "已审核", ClaimWorkList.Count(all, ClaimWorkList.Done)),
        };
        return Pages.View<ClaimWorkListPage>($"{unit} · {noun}认领审核", p, new ClaimWorkModel(kind, query, tabs, query.PageOf(rows)));
    }

    public async Task<IResult> ReviewAsync(RequestContext ctx) =>
        await RenderReviewAsync(ctx, [], null, StatusCodes.Status200OK);

    async Task<IResult> RenderReviewAsync(RequestContext ctx, IReadOnlyList<FieldError> errors, string? typedReason, int status, string? message = null)
    {
        var p = ctx.Principal!;
        var outcome = await claims.ForReviewerAsync(p, ctx.RouteValue("claimId"), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Pages.NotFound(p, Glossary.ChineseOnly(failure.Message))
            : Pages.View<ClaimReviewPage>($"审核{ClaimParties.Noun(outcome.Value.Kind)}认领", p, new ClaimReviewModel(outcome.Value, errors, typedReason, message), status);
    }

    /// <summary>A claim's document for its frame or image in the review page (or opened on its own): only this site's pages may frame it.</summary>
    public async Task<IResult> DocumentAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var outcome = await claims.OpenDocumentAsync(p, ctx.RouteValue("claimId"), ctx.RouteValue("document"), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.NotFound(p, Glossary.ChineseOnly(failure.Message));
        }

        SecurityHeaders.FramedBySiteOnly(ctx.Http.Response);
        var (file, content) = outcome.Value;
        return Results.Stream(content, file.ContentType);
    }

    /// <summary>通过 / 驳回: a missing reason is shown by its field (400) with the page as it was; done → the list with the result line.</summary>
    public async Task<IResult> DecideAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        bool? approve = form["decision"].ToString() switch { "verify" => true, "reject" => false, _ => null };
        var reason = form["reason"].ToString();
        var outcome = await claims.DecideAsync(p, ctx.RouteValue("claimId"), approve, reason, ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back(ClaimPaths.WorkList, done: outcome.Value.Status == ClaimStatus.Verified
                ? $"已通过“{outcome.Value.EnterpriseName}”的认领。{outcome.Value.ClaimantName}已收到通知，" + (outcome.Value.Kind == PartyKind.Institution ? "现在可以以服务机构身份办理。" : "现在可以申请创新券。")
                : $"已驳回“{outcome.Value.EnterpriseName}”的认领，理由已通知{outcome.Value.ClaimantName}。"),
            Failure.NotFound missing => Pages.NotFound(p, Glossary.ChineseOnly(missing.Message)),
            Failure.Invalid invalid => await RenderReviewAsync(ctx, invalid.Errors, reason, StatusCodes.Status400BadRequest),
            var failure => await RenderReviewAsync(ctx, [], reason, Settlement.PageStatus.Of(failure), Glossary.ChineseOnly(failure.Message)),
        };
    }

    public async Task<IResult> MembersAsync(RequestContext ctx) => await RenderMembersAsync(ctx, null, [], StatusCodes.Status200OK);

    async Task<IResult> RenderMembersAsync(RequestContext ctx, string? typed, IReadOnlyList<FieldError> errors, int status)
    {
        var p = ctx.Principal!;
        var list = await members.ListAsync(p, ctx.Aborted);
        if (list.Failure is { } failure)
        {
            return Pages.Forbidden(p, Glossary.ChineseOnly(failure.Message));
        }

        var partyName = list.Value.Kind == PartyKind.Institution
            ? (await institutions.OwnAsync(p, ctx.Aborted))?.Name
            : (await enterprises.OwnAsync(p, ctx.Aborted))?.Name;
        return Pages.View<OnboardingMembersPage>($"本{list.Value.Noun}人员", p, new OnboardingMembersModel(list.Value, partyName, typed, errors), status);
    }

    public async Task<IResult> AddMemberAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = form["accountNumber"].ToString();
        var outcome = await members.AddAsync(p, typed, ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back(ClaimPaths.Members, done: $"已添加，对方下次打开页面即可以本{ClaimParties.Noun(ClaimParties.KindOf(p.Role))}身份办理。"),
            Failure.Invalid invalid => await RenderMembersAsync(ctx, typed, invalid.Errors, StatusCodes.Status400BadRequest),
            var failure => await RenderMembersAsync(ctx, typed, [new FieldError("accountNumber", failure.Message)], Settlement.PageStatus.Of(failure)),
        };
    }

    /// <summary>
    /// The old removal form's target (<c>POST /portal/members/{id}/removal</c>): removal has one place, the members page
    /// of the caller's enterprise (<c>/account/members</c>, with a reason), so this only sends the browser there (303)
    /// and changes nothing.
    /// </summary>
    public Task<IResult> RemovalMovedAsync(RequestContext ctx) =>
        Task.FromResult(Results.Redirect(MembersModel.MembersPath(ctx.Principal!.Role, ctx.Principal!.Scope), preserveMethod: false));

    static RenderFragment Component<TComponent>(object model) where TComponent : IComponent => builder =>
    {
        builder.OpenComponent<TComponent>(0);
        builder.AddComponentParameter(1, "Model", model);
        builder.CloseComponent();
    };
}

public sealed record ClaimsPageModel(string AccountNumber, IReadOnlyList<ClaimEntity> Claims, PartyKind Kind, FormState Form, string? Error);

public sealed record PendingHomeModel(PartyKind Kind, string Scope, ClaimEntity? Claim, string? PartyName);

public sealed record ClaimWorkModel(PartyKind Kind, ListQuery Query, IReadOnlyList<ListTab> Tabs, ListPage<ClaimWorkRow> Page);

public sealed record ClaimReviewModel(ClaimEntity Claim, IReadOnlyList<FieldError> Errors, string? TypedReason, string? Message);

public sealed record OnboardingMembersModel(OnboardingMemberList List, string? PartyName, string? TypedNumber, IReadOnlyList<FieldError> Errors)
{
    /// <summary>Where members are removed (the one place for every party).</summary>
    public string RemovePath => MembersModel.MembersPath(ClaimParties.RoleOf(List.Kind), List.Scope);
}

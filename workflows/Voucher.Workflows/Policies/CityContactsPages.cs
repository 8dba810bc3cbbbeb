using Voucher.Workflows.Web;

namespace Voucher.Workflows.Policies;

/// <summary>The bureau's city settings page: the city's policy in force, the objection contacts form, and the versions with their contacts.</summary>
public sealed record CityContactsModel(City City, CityPolicy Current, IReadOnlyList<CityPolicy> History, PolicyForm Form);

/// <summary>
/// A city bureau's settings of its own city (<c>/portal/city-policy</c>): where objections to its publicity notices go
/// (受理单位, 联系电话, 地址, 邮箱). A change is a new version of the city's policy through <see cref="PolicyService"/>
/// (checked by the city policy's rules, audited), after a confirmation naming what changes; the next notice shows it,
/// published notices keep their batch's version.
/// </summary>
public sealed class CityContactsPages(PolicyService policies, TimeProvider time)
{
    public const string Path = "/portal/city-policy";

    public const string ContactsPath = "/portal/city-policy/contacts";

    /// <summary>The form's fields and their labels (the city policy names its messages by these).</summary>
    public static readonly IReadOnlyList<(string Name, string Label, Func<NoticeContacts, string> Read)> Fields =
    [
        ("objectionUnit", "受理单位", c => c.Unit),
        ("objectionPhone", "联系电话", c => c.Phone),
        ("objectionAddress", "地址", c => c.Address),
        ("objectionEmail", "邮箱", c => c.Email),
    ];

    public Task<IResult> PageAsync(RequestContext ctx) => RenderAsync(ctx, null, StatusCodes.Status200OK);

    public async Task<IResult> PublishContactsAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        if (!Cities.TryGet(p.Scope, out var city))
        {
            return Pages.Forbidden(p, "只有市科技局可以修改本市的公示异议受理方式。");
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var change = new ObjectionContactsChange(
            int.TryParse(form["expectedVersion"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null,
            form["objectionUnit"].ToString(), form["objectionPhone"].ToString(), form["objectionAddress"].ToString(), form["objectionEmail"].ToString(),
            form["reason"].ToString());
        Failure failure;
        if (!ConfirmModel.IsConfirmed(form))
        {
            var preview = await policies.PreviewObjectionContactsAsync(p, city.Code, change, ctx.Aborted);
            if (preview.Succeeded)
            {
                return Pages.View<ConfirmPage>("确认修改公示异议受理方式", p, Confirm(city, preview.Value, form));
            }

            failure = preview.Failure!;
        }
        else
        {
            var outcome = await policies.PublishObjectionContactsAsync(p, city.Code, change, ctx.Aborted);
            if (outcome.Succeeded)
            {
                return Results.Redirect(Path + "?done=" + Uri.EscapeDataString($"公示异议受理方式已发布为{city.NameZh}政策第{outcome.Value.Version}版，此后发布的公示公告载明新的受理方式。"));
            }

            failure = outcome.Failure!;
        }

        if (failure is Failure.Forbidden or Failure.NotFound)
        {
            return Pages.Forbidden(p, failure.Message);
        }

        var errors = failure is Failure.Invalid invalid
            ? invalid.Errors.Select(e => Fields.Any(f => f.Name == e.Field) || e.Field == "reason" ? e : e with { Field = "contacts-form" }).ToList()
            : [new FieldError("contacts-form", failure.Message)];
        var typed = new PolicyForm(Fields.Select(f => f.Name).Append("reason").ToDictionary(n => n, n => form[n].ToString()), [], false, errors);
        return await RenderAsync(ctx, typed, StatusCodes.Status400BadRequest);
    }

    /// <summary>The confirmation: the city, the version, from when, each contact that changes, the reason.</summary>
    ConfirmModel Confirm(City city, PolicyPreview<CityPolicy> preview, IFormCollection form)
    {
        var (before, after) = (preview.Current.Contacts, preview.Next.Contacts);
        var changes = Fields.Where(f => f.Read(before) != f.Read(after)).Select(f => $"{f.Label}：{f.Read(before)} → {f.Read(after)}").ToList();
        return new ConfirmModel(
            $"发布{city.NameZh}政策第{preview.Next.Version}版（公示异议受理方式）？",
            [
                ("地市", city.NameZh),
                ("版本", $"第{preview.Next.Version}版（现行为第{preview.Current.Version}版）"),
                ("生效", $"发布即生效（{Glossary.DateInSentence(ChinaTime.Today(time))}起）；此后形成的结算批次的公示公告载明新的受理方式，已发布的公告不变"),
                ("修改内容", changes.Count == 0 ? "受理方式不变，仅记录新版本" : string.Join("；", changes)),
                ("修改原因", preview.Next.Reason),
            ],
            ContactsPath, ConfirmModel.Carry(form), "确认发布", Path);
    }

    async Task<IResult> RenderAsync(RequestContext ctx, PolicyForm? typed, int status)
    {
        var p = ctx.Principal!;
        if (!Cities.TryGet(p.Scope, out var city))
        {
            return Pages.Forbidden(p, "只有市科技局可以查看本市的政策设置。");
        }

        var read = await policies.CityHistoryAsync(p, city.Code, ctx.Aborted);
        if (read.Failure is { } failure)
        {
            return Pages.Forbidden(p, failure.Message);
        }

        var current = read.Value.Current;
        var form = typed ?? new PolicyForm(Fields.ToDictionary(f => f.Name, f => f.Read(current.Contacts)), [], false, []);
        return Pages.View<CityContactsPage>($"{city.NameZh}科技局 · 本市政策设置", p, new CityContactsModel(city, current, read.Value.Versions, form), status);
    }
}

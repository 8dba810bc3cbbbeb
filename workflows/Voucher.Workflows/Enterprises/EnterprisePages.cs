using Voucher.Workflows.Web;

namespace Voucher.Workflows.Enterprises;

/// <summary>The enterprise's profile page (<c>/portal/profile</c>): read and edit, over <see cref="EnterpriseService"/>.</summary>
public sealed class EnterprisePages(EnterpriseService enterprises)
{
    const string Title = "企业信息";

    public async Task<IResult> PageAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var current = await enterprises.OwnAsync(p, ctx.Aborted);
        if (current is null)
        {
            return Pages.View<ProfileMissing>(Title, p);
        }

        var typed = new UpdateEnterpriseProfileRequest(current.Name, current.CityCode, current.SizeClass, current.TechSmeNumber, current.ContactName, current.ContactPhone, current.Address);
        return Pages.View<ProfilePage>(Title, p, new ProfileModel(current, typed, []) { Bank = await BankAsync(p, current, null, [], []) });
    }

    public async Task<IResult> SaveFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = new UpdateEnterpriseProfileRequest(form["name"], form["cityCode"], form["sizeClass"], form["techSmeNumber"], form["contactName"], form["contactPhone"], form["address"]);
        var outcome = await enterprises.EditProfileAsync(p, p.Scope ?? "", typed, ctx.Aborted);
        switch (outcome.Failure)
        {
            case null:
                return PageParts.Back("/portal/profile", done: outcome.Value.Changed.Count > 0 ? "企业信息已保存。" : "没有修改。");
            case Failure.Invalid invalid:
                var current = await enterprises.OwnAsync(p, ctx.Aborted);
                return Pages.View<ProfilePage>(Title, p, new ProfileModel(current!, typed, invalid.Errors) { Bank = await BankAsync(p, current!, null, [], []) }, StatusCodes.Status400BadRequest);
            case Failure.Conflict:
                return PageParts.Back("/portal/profile", error: "企业信息刚被他人修改，请核对后重新填写。");
            case Failure.Forbidden forbidden:
                return Pages.Forbidden(p, forbidden.Message);
            default:
                return Pages.Error(p, "企业尚未登记。", StatusCodes.Status404NotFound);
        }
    }

    /// <summary>The enterprise enters its bank account: in force at once the first time, a change waits for its confirmation.</summary>
    public async Task<IResult> SaveBankAccountFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = new BankAccountRequest(form["bankName"], form["accountName"], form["accountNumber"], form["nameNote"]);
        var outcome = await enterprises.SaveBankAccountAsync(p, p.Scope ?? "", typed, ctx.Aborted);
        return outcome.Failure switch
        {
            null when !outcome.Value.Changed => PageParts.Back("/portal/profile", done: "银行账户没有变化。"),
            null when outcome.Value.Pending is not null => PageParts.Back("/portal/profile", done: "账户变更已记录，尚未生效：请在下方再次输入新账号确认变更。确认前，拨付仍使用原账户。"),
            null => PageParts.Back("/portal/profile", done: "银行账户已保存，财政局拨付时使用此账户。"),
            Failure.Invalid invalid => await ShowAgainAsync(ctx, typed, invalid.Errors, []),
            Failure.Forbidden forbidden => Pages.Forbidden(p, Glossary.ChineseOnly(forbidden.Message)),
            Failure.Conflict conflict => PageParts.Back("/portal/profile", error: Glossary.ChineseOnly(conflict.Message)),
            _ => Pages.Error(p, "企业尚未登记。", StatusCodes.Status404NotFound),
        };
    }

    /// <summary>The enterprise confirms its pending account change by typing the new number again.</summary>
    public async Task<IResult> ConfirmBankAccountFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var outcome = await enterprises.ConfirmBankAccountChangeAsync(p, p.Scope ?? "", new ConfirmBankAccountRequest(form["accountNumber"]), ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back("/portal/profile", done: $"银行账户已变更为 {BankAccounts.Describe(outcome.Value)}，此后的拨付使用新账户。"),
            Failure.Invalid invalid => await ShowAgainAsync(ctx, null, [], invalid.Errors),
            Failure.Forbidden forbidden => Pages.Forbidden(p, Glossary.ChineseOnly(forbidden.Message)),
            Failure.Conflict conflict => PageParts.Back("/portal/profile", error: Glossary.ChineseOnly(conflict.Message)),
            _ => Pages.Error(p, "企业尚未登记。", StatusCodes.Status404NotFound),
        };
    }

    async Task<IResult> ShowAgainAsync(RequestContext ctx, BankAccountRequest? typed, IReadOnlyList<FieldError> errors, IReadOnlyList<FieldError> confirmErrors)
    {
        var p = ctx.Principal!;
        var current = await enterprises.OwnAsync(p, ctx.Aborted);
        if (current is null)
        {
            return Pages.Error(p, "企业尚未登记。", StatusCodes.Status404NotFound);
        }

        var profile = new UpdateEnterpriseProfileRequest(current.Name, current.CityCode, current.SizeClass, current.TechSmeNumber, current.ContactName, current.ContactPhone, current.Address);
        return Pages.View<ProfilePage>(Title, p, new ProfileModel(current, profile, []) { Bank = await BankAsync(p, current, typed, errors, confirmErrors) }, StatusCodes.Status400BadRequest);
    }

    async Task<BankAccountModel> BankAsync(VoucherPrincipal p, EnterpriseEntity current, BankAccountRequest? typed, IReadOnlyList<FieldError> errors, IReadOnlyList<FieldError> confirmErrors)
    {
        var answer = await enterprises.BankAccountAsync(p, current.Uscc, CancellationToken.None);
        var account = answer.Succeeded ? answer.Value.Account : null;
        return new BankAccountModel(account, typed ?? new BankAccountRequest(account?.BankName, account?.AccountName ?? current.Name, "", account?.NameNote), errors, confirmErrors);
    }
}

/// <summary>The bank account part of the profile page: the account in force (the number masked on the page), what was typed, the messages.</summary>
public sealed record BankAccountModel(BankAccountView? Account, BankAccountRequest Typed, IReadOnlyList<FieldError> Errors, IReadOnlyList<FieldError> ConfirmErrors);

/// <summary>The profile page: the stored enterprise, what was typed, and the messages of a refused save.</summary>
public sealed record ProfileModel(EnterpriseEntity Current, UpdateEnterpriseProfileRequest Typed, IReadOnlyList<FieldError> Errors)
{
    public BankAccountModel? Bank { get; init; }
}

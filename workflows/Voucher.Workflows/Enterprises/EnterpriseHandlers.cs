using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Http;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Enterprises;

public sealed record RegisterEnterpriseRequest(
    string? Uscc,
    string? Name,
    string? CityCode,
    string? SizeClass,
    string? TechSmeNumber,
    string? ContactName,
    string? ContactPhone);

public sealed record EnterpriseView(string Uscc, string Name, string CityCode, string CityName, string SizeClass, string TechSmeNumber, string ContactName, string ContactPhone, DateTimeOffset RegisteredAt, string Address = "");

public sealed partial class EnterpriseHandlers(VoucherStore store, PublicRateLimiter limiter, TimeProvider time)
{
    public async Task<IResult> RegisterAsync(RequestContext ctx)
    {
        if (!limiter.TryAcquire(ctx.Request, "register"))
        {
            return PublicRateLimiter.TooMany();
        }

        var (body, error) = await JsonBody.ReadAsync<RegisterEnterpriseRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var (entity, errors) = Validate(body!);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (!CanActFor(ctx.Principal!, entity!.Uscc))
        {
            return Problems.Forbidden("只能为本企业登记 (An enterprise registers only itself)");
        }

        entity.RegisteredAt = time.GetUtcNow();
        if (!await store.TryAddAsync(VoucherStore.Enterprises, entity, ctx.Aborted))
        {
            return Problems.Conflict($"统一社会信用代码 {entity.Uscc} 已登记 (This USCC is already registered)");
        }

        return Results.Json(ToView(entity, ctx.Principal!), JsonBody.Response, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> GetAsync(RequestContext ctx)
    {
        var uscc = ctx.RouteValue("uscc").ToUpperInvariant();
        var entity = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, uscc, EnterpriseEntity.ProfileRow, ctx.Aborted);
        if (entity is null)
        {
            return Problems.NotFound($"企业 {uscc} 未登记 (Enterprise not registered)");
        }

        if (!CanRead(ctx.Principal!, entity))
        {
            return Problems.Forbidden("无权查看此企业 (Not your enterprise or city)");
        }

        return Results.Json(ToView(entity, ctx.Principal!), JsonBody.Response);
    }

    public static bool CanActFor(VoucherPrincipal principal, string uscc) =>
        principal.IsEnterprise(uscc) || principal.Role == Role.Province;

    public static bool CanRead(VoucherPrincipal principal, EnterpriseEntity entity) =>
        principal.IsEnterprise(entity.Uscc)
        || principal.Role == Role.Province
        || ((principal.Role is Role.CityBureau or Role.FinanceBureau) && string.Equals(principal.Scope, entity.CityCode, StringComparison.OrdinalIgnoreCase));

    public static (EnterpriseEntity? Entity, List<FieldError> Errors) Validate(RegisterEnterpriseRequest body)
    {
        var errors = new List<FieldError>();
        string uscc = "";
        if (!Uscc.TryValidate(body.Uscc, out var normalized, out var usccError))
        {
            errors.Add(new FieldError("uscc", usccError ?? "统一社会信用代码无效 (Invalid USCC)"));
        }
        else
        {
            uscc = normalized;
        }

        var name = JsonBody.Required(body.Name, "name", 100, errors);
        City? city = null;
        if (string.IsNullOrWhiteSpace(body.CityCode))
        {
            errors.Add(new FieldError("cityCode", "必填 (Required)"));
        }
        else if (!Cities.TryGet(body.CityCode, out var found))
        {
            errors.Add(new FieldError("cityCode", "须为山西省 11 个地市之一 (Must be one of the 11 Shanxi cities)"));
        }
        else
        {
            city = found;
        }

        if (city is not null && uscc.Length == 18 && !Uscc.IsShanxi(uscc))
        {
            errors.Add(new FieldError("uscc", "须为山西省登记的企业（行政区划码以 14 开头）(Must be registered in Shanxi: division code 14xxxx)"));
        }

        if (!Enum.TryParse<SizeClass>(body.SizeClass, ignoreCase: true, out var size) || !Enum.IsDefined(size) || int.TryParse(body.SizeClass, out _))
        {
            errors.Add(new FieldError("sizeClass", "须为 micro、small 或 medium (Must be micro, small or medium)"));
        }

        var techSme = JsonBody.Required(body.TechSmeNumber, "techSmeNumber", 40, errors);
        if (techSme is not null && !TechSmeNumberPattern().IsMatch(techSme))
        {
            errors.Add(new FieldError("techSmeNumber", "科技型中小企业评价入库编号只能包含字母和数字 (Letters and digits only)"));
        }

        var contactName = JsonBody.Required(body.ContactName, "contactName", 50, errors);
        var phone = JsonBody.Required(body.ContactPhone, "contactPhone", 20, errors);
        if (phone is not null && !PhonePattern().IsMatch(phone))
        {
            errors.Add(new FieldError("contactPhone", "须为 11 位手机号或带区号的固定电话 (A mobile number or a landline with area code)"));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new EnterpriseEntity
        {
            PartitionKey = uscc,
            Name = name!,
            CityCode = city!.Code,
            SizeClass = size.ToString().ToLowerInvariant(),
            TechSmeNumber = techSme!,
            ContactName = contactName!,
            ContactPhone = phone!,
        }, errors);
    }

    /// <summary>Phone numbers are personal data: shown whole only to the enterprise itself.</summary>
    public static EnterpriseView ToView(EnterpriseEntity e, VoucherPrincipal viewer) => new(
        e.Uscc,
        e.Name,
        e.CityCode,
        Cities.TryGet(e.CityCode, out var c) ? c.NameZh : e.CityCode,
        e.SizeClass,
        e.TechSmeNumber,
        e.ContactName,
        viewer.IsEnterprise(e.Uscc) ? e.ContactPhone : Mask(e.ContactPhone),
        e.RegisteredAt,
        e.Address);

    public static string Mask(string phone) => phone.Length <= 4 ? "****" : new string('*', phone.Length - 4) + phone[^4..];

    [GeneratedRegex("^[A-Za-z0-9-]{4,40}$")]
    private static partial Regex TechSmeNumberPattern();

    [GeneratedRegex(@"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")]
    private static partial Regex PhonePattern();
}

using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Vouchers;
using RequestFailedException = Azure.RequestFailedException;

namespace Voucher.Workflows.Enterprises;

/// <summary>An enterprise's registration as entered.</summary>
public sealed record RegisterEnterpriseRequest(
    string? Uscc,
    string? Name,
    string? CityCode,
    string? SizeClass,
    string? TechSmeNumber,
    string? ContactName,
    string? ContactPhone);

/// <summary>The profile as the enterprise edits it (the USCC never changes).</summary>
public sealed record UpdateEnterpriseProfileRequest(
    string? Name,
    string? CityCode,
    string? SizeClass,
    string? TechSmeNumber,
    string? ContactName,
    string? ContactPhone,
    string? Address);

/// <summary>A profile after an edit, and the names of the fields it changed (none: nothing to save).</summary>
public sealed record ProfileEdited(EnterpriseEntity Enterprise, IReadOnlyList<string> Changed);

/// <summary>
/// Enterprises: registration (by the enterprise itself or the province), reading a registration (the enterprise, the
/// province, the bureaus of its city), and profile editing. The USCC never changes; the city is fixed once the enterprise
/// has an application or a voucher (they were decided under that city's policy). Every edit is audited with the names of
/// the fields changed (not their values: phone numbers are personal data). The API, the home page and the profile page call these.
/// </summary>
public sealed partial class EnterpriseService(VoucherStore store, ApplicationStore applications, VoucherRepository vouchers, AuditLog audit, TimeProvider time, ILogger<EnterpriseService> log)
{
    public const int MaxAddressLength = 200;

    public async Task<Outcome<EnterpriseEntity>> RegisterAsync(VoucherPrincipal caller, RegisterEnterpriseRequest command, CancellationToken ct)
    {
        var (entity, errors) = Validate(command);
        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        if (!EnterpriseAccess.CanActFor(caller, entity!.Uscc))
        {
            return new Failure.Forbidden("只能为本企业登记 (An enterprise registers only itself)");
        }

        entity.RegisteredAt = time.GetUtcNow();
        if (!await store.TryAddAsync(VoucherStore.Enterprises, entity, ct))
        {
            return new Failure.Conflict($"统一社会信用代码 {entity.Uscc} 已登记 (This USCC is already registered)");
        }

        EnterpriseLog.Registered(log, entity.Uscc, entity.CityCode, caller.Actor);
        return entity;
    }

    public async Task<Outcome<EnterpriseEntity>> ViewAsync(VoucherPrincipal caller, string uscc, CancellationToken ct)
    {
        var key = uscc.ToUpperInvariant();
        var entity = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, key, EnterpriseEntity.ProfileRow, ct);
        return entity is not null && EnterpriseAccess.CanRead(caller, entity) ? entity : NotFound(key);
    }

    /// <summary>The answer for an enterprise that is not registered or that the caller may not see (one message: no existence oracle).</summary>
    public static Failure.NotFound NotFound(string uscc) => new($"企业 {uscc} 未登记 (Enterprise not registered)");

    /// <summary>The signed-in enterprise's own registration, or null before it registered.</summary>
    public Task<EnterpriseEntity?> OwnAsync(VoucherPrincipal caller, CancellationToken ct) =>
        store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, caller.Scope ?? "", EnterpriseEntity.ProfileRow, ct);

    /// <summary>The enterprise (or the province) edits its profile; only changed fields are written, under the row's ETag.</summary>
    public async Task<Outcome<ProfileEdited>> EditProfileAsync(VoucherPrincipal caller, string uscc, UpdateEnterpriseProfileRequest body, CancellationToken ct)
    {
        var key = uscc.ToUpperInvariant();
        if (!EnterpriseAccess.CanActFor(caller, key))
        {
            return new Failure.Forbidden("只能修改本企业的信息 (An enterprise edits only its own profile)");
        }

        var current = Uscc.TryValidate(key, out var normalized, out _)
            ? await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, normalized, EnterpriseEntity.ProfileRow, ct)
            : null;
        if (current is null)
        {
            return NotFound(key);
        }

        var (candidate, errors) = Validate(new RegisterEnterpriseRequest(current.Uscc, body.Name, body.CityCode, body.SizeClass, body.TechSmeNumber, body.ContactName, body.ContactPhone));
        var address = body.Address?.Trim() ?? "";
        if (address.Length > MaxAddressLength)
        {
            errors.Add(new FieldError("address", $"不能超过 {MaxAddressLength} 个字符 (At most {MaxAddressLength} characters)"));
        }

        if (candidate is not null && !string.Equals(candidate.CityCode, current.CityCode, StringComparison.Ordinal)
            && ((await applications.ForEnterpriseAsync(current.Uscc, ct)).Count > 0 || (await vouchers.ForEnterpriseAsync(current.Uscc, ct)).Count > 0))
        {
            errors.Add(new FieldError("cityCode", "已有创新券申请或创新券，所在地市不能修改 (The city is fixed once there is an application or a voucher)"));
        }

        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var changed = new List<string>();
        void Set(string field, string before, string after, Action<string> apply)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                changed.Add(field);
                apply(after);
            }
        }

        Set("name", current.Name, candidate!.Name, v => current.Name = v);
        Set("cityCode", current.CityCode, candidate.CityCode, v => current.CityCode = v);
        Set("sizeClass", current.SizeClass, candidate.SizeClass, v => current.SizeClass = v);
        Set("techSmeNumber", current.TechSmeNumber, candidate.TechSmeNumber, v => current.TechSmeNumber = v);
        Set("contactName", current.ContactName, candidate.ContactName, v => current.ContactName = v);
        Set("contactPhone", current.ContactPhone, candidate.ContactPhone, v => current.ContactPhone = v);
        Set("address", current.Address, address, v => current.Address = v);
        if (changed.Count == 0)
        {
            return new ProfileEdited(current, changed);
        }

        try
        {
            await store.Table(VoucherStore.Enterprises).UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return new Failure.Conflict("企业信息刚被修改，请刷新后重试 (Changed meanwhile; reload and retry)");
        }

        await audit.AppendAsync(AuditSubjects.Enterprise(current.Uscc), caller.Actor, time.GetUtcNow(), "profile", "profile", 0,
            $"修改企业信息：{string.Join(", ", changed)} (profile fields changed)", ct);
        EnterpriseLog.ProfileEdited(log, current.Uscc, caller.Actor, string.Join(", ", changed));
        return new ProfileEdited(current, changed);
    }

    /// <summary>The registration's field rules (also a profile edit's, with the USCC kept).</summary>
    static (EnterpriseEntity? Entity, List<FieldError> Errors) Validate(RegisterEnterpriseRequest body)
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

        var name = Http.JsonBody.Required(body.Name, "name", 100, errors);
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

        var techSme = Http.JsonBody.Required(body.TechSmeNumber, "techSmeNumber", 40, errors);
        if (techSme is not null && !TechSmeNumberPattern().IsMatch(techSme))
        {
            errors.Add(new FieldError("techSmeNumber", "科技型中小企业评价入库编号只能包含字母和数字 (Letters and digits only)"));
        }

        var contactName = Http.JsonBody.Required(body.ContactName, "contactName", 50, errors);
        var phone = Http.JsonBody.Required(body.ContactPhone, "contactPhone", 20, errors);
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

    [GeneratedRegex("^[A-Za-z0-9-]{4,40}$")]
    private static partial Regex TechSmeNumberPattern();

    [GeneratedRegex(@"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")]
    private static partial Regex PhonePattern();
}

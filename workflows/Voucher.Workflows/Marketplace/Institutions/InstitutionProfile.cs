using System.Text.RegularExpressions;
using Voucher.Domain.Catalogue;

namespace Voucher.Workflows.Marketplace;

/// <summary>What an institution registers and edits (the JSON body of register and edit, and the profile form's fields).</summary>
public sealed record InstitutionProfile(string? Name, string? Type, string? CityCode, string? Code, string? SharingPlatformId, string? ContactName, string? ContactPhone, string? Introduction);

/// <summary>An institution edits its own profile.</summary>
public sealed record EditInstitutionProfile(string InstitutionId, InstitutionProfile Profile);

/// <summary>The province centre's decision on an institution: verify (after checking the platform id) or reject with a reason.</summary>
public sealed record DecideVerification(string InstitutionId, bool? Approve, string? Reason);

/// <summary>The field rules of an institution's profile.</summary>
public static partial class InstitutionProfileRules
{
    [GeneratedRegex("^[0-9A-Za-z-]{4,40}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^1[3-9][0-9]{9}$|^0[0-9]{2,3}-?[0-9]{7,8}$")]
    private static partial Regex PhonePattern();

    /// <summary>
    /// An institution's code as stored: an 18-character USCC (checked) or an institution code of 4–40 letters, digits and
    /// dashes, upper-cased. The profile and an institution claim (<see cref="Accounts.ClaimService"/>) both check it here.
    /// </summary>
    public static bool TryCode(string? typed, out string code, out string? error)
    {
        code = typed?.Trim().ToUpperInvariant() ?? "";
        error = null;
        if (code.Length == 18)
        {
            if (!Uscc.TryValidate(code, out code, out error))
            {
                return false;
            }
        }
        else if (!CodePattern().IsMatch(code))
        {
            error = "请填写 18 位统一社会信用代码或机构代码（4–40 位字母、数字） (USCC or institution code)";
            return false;
        }

        return true;
    }

    /// <summary>The profile as a new (unsaved, keyless) row, or the errors of each field.</summary>
    public static (InstitutionEntity? Entity, List<FieldError> Errors) Validate(InstitutionProfile r)
    {
        var errors = new List<FieldError>();
        var name = JsonBody.Required(r.Name, "name", 100, errors);
        var type = r.Type?.Trim();
        if (!InstitutionTypes.IsKnown(type))
        {
            errors.Add(new FieldError("type", "请选择机构类型：高等院校、科研院所或创新平台 (university | research-institute | platform)"));
        }

        var city = MarketInput.City(r.CityCode, "cityCode", errors);
        if (!TryCode(r.Code, out var code, out var codeError))
        {
            errors.Add(new FieldError("code", codeError!));
        }

        var platform = JsonBody.Required(r.SharingPlatformId, "sharingPlatformId", 40, errors);
        var contact = JsonBody.Required(r.ContactName, "contactName", 40, errors);
        var phone = r.ContactPhone?.Trim() ?? "";
        if (!PhonePattern().IsMatch(phone))
        {
            errors.Add(new FieldError("contactPhone", "请填写 11 位手机号或带区号的固定电话 (A mobile or landline number)"));
        }

        var intro = MarketInput.Optional(r.Introduction, "introduction", 1000, errors);
        return errors.Count > 0 ? (null, errors) : (new InstitutionEntity
        {
            Name = name!, Type = type!, CityCode = city, Code = code, SharingPlatformId = platform!, ContactName = contact!, ContactPhone = phone, Introduction = intro,
        }, errors);
    }
}

using Voucher.Domain.Catalogue;

namespace Voucher.Workflows.Marketplace;

/// <summary>What an institution publishes about a service (the JSON body of publish and edit, and the service form's fields).</summary>
public sealed record ServiceContent(string? Title, string? Category, string? Description, string? Specifications, string? Equipment, decimal? PriceFrom, decimal? PriceTo, int? TurnaroundDays, string? Contact, string? Staff);

/// <summary>The institution edits one of its services: the new content becomes the next version.</summary>
public sealed record EditService(string InstitutionId, string ServiceId, ServiceContent Content);

/// <summary>The institution pauses, resumes (published) or retires one of its services; <paramref name="Status"/> by its stored name.</summary>
public sealed record ChangeServiceStatus(string InstitutionId, string ServiceId, string? Status);

/// <summary>The field rules of a service's content.</summary>
public static class ServiceContentRules
{
    /// <summary>The content as a new (unsaved, keyless) row, or the errors of each field.</summary>
    public static (ServiceEntity? Entity, List<FieldError> Errors) Validate(ServiceContent r)
    {
        var errors = new List<FieldError>();
        var title = JsonBody.Required(r.Title, "title", 100, errors);
        if (!ServiceCategories.TryGet(r.Category?.Trim(), out var category))
        {
            errors.Add(new FieldError("category", "请选择服务类别 (Choose a service category)"));
        }

        var description = JsonBody.Required(r.Description, "description", 2000, errors);
        var specs = MarketInput.Optional(r.Specifications, "specifications", 1000, errors);
        var equipment = MarketInput.Optional(r.Equipment, "equipment", 500, errors);
        var contact = JsonBody.Required(r.Contact, "contact", 100, errors);
        var staff = JsonBody.Required(r.Staff, "staff", 200, errors);
        var from = MarketInput.Amount(r.PriceFrom, "priceFrom", errors);
        var to = Cny.Zero;
        if (r.PriceTo is { } upper)
        {
            if (!Cny.TryParseAmount(upper, out to, out var error))
            {
                errors.Add(new FieldError("priceTo", error!));
            }
            else if (to < from)
            {
                errors.Add(new FieldError("priceTo", "最高价不能低于起价 (The upper price must not be below the lower)"));
            }
        }

        var days = MarketInput.TurnaroundDays(r.TurnaroundDays, errors);
        return errors.Count > 0 ? (null, errors) : (new ServiceEntity
        {
            Title = title!, Category = category.Code, Description = description!, Specifications = specs, Equipment = equipment, Contact = contact!, Staff = staff!,
            PriceFromFen = from.Fen, PriceToFen = to.Fen == from.Fen ? 0 : to.Fen, TurnaroundDays = days,
        }, errors);
    }
}

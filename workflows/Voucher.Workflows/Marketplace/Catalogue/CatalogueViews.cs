using Voucher.Domain.Catalogue;

namespace Voucher.Workflows.Marketplace;

/// <summary>The catalogue's JSON shapes: a service, a search hit, a past version.</summary>
public static class CatalogueViews
{
    /// <summary>A service; <paramref name="eligible"/> is the current province policy's eligible categories.</summary>
    public static object Service(ServiceEntity s, IReadOnlySet<string> eligible) => new
    {
        institutionId = s.InstitutionId,
        serviceId = s.ServiceId,
        title = s.Title,
        category = s.Category,
        categoryName = ServiceCategories.NameOf(s.Category),
        voucherEligible = eligible.Contains(s.Category),
        description = s.Description,
        specifications = s.Specifications,
        equipment = s.Equipment,
        priceFrom = Cny.FromFen(s.PriceFromFen),
        priceTo = s.PriceToFen > 0 ? Cny.FromFen(s.PriceToFen) : (Cny?)null,
        turnaroundDays = s.TurnaroundDays,
        contact = s.Contact,
        staff = FacultyRecords.Split(s.Staff),
        cityCode = s.CityCode,
        institutionName = s.InstitutionName,
        status = s.Status,
        version = s.Version,
        usedCount = s.UsedCount,
    };

    /// <summary>A search hit; <paramref name="voucherEligible"/> is judged by the current province policy.</summary>
    public static object Doc(CatalogueDoc d, bool voucherEligible) => new
    {
        institutionId = d.InstitutionId,
        serviceId = d.ServiceId,
        title = d.Title,
        category = d.Category,
        categoryName = ServiceCategories.NameOf(d.Category),
        voucherEligible,
        cityCode = d.CityCode,
        institutionName = d.InstitutionName,
        institutionType = d.InstitutionType,
        priceFrom = Cny.FromFen(d.PriceFromFen),
        priceTo = d.PriceToFen > 0 ? Cny.FromFen(d.PriceToFen) : (Cny?)null,
        turnaroundDays = d.TurnaroundDays,
        usedCount = d.UsedCount,
        description = d.Description,
    };

    public static object Version(ServiceVersionEntity v) => new
    {
        version = v.Version, change = v.Change, changedBy = v.ChangedBy, changedAt = v.ChangedAt, title = v.Title, category = v.Category, description = v.Description,
        specifications = v.Specifications, equipment = v.Equipment, priceFrom = Cny.FromFen(v.PriceFromFen), priceTo = v.PriceToFen > 0 ? Cny.FromFen(v.PriceToFen) : (Cny?)null,
        turnaroundDays = v.TurnaroundDays, staff = v.Staff, status = v.Status,
    };
}

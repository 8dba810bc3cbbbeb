using Voucher.Domain.Catalogue;

namespace Voucher.Workflows.Marketplace;

/// <summary>The JSON shapes of SME demand, offers and service orders.</summary>
public static class DemandViews
{
    public static object Demand(DemandEntity d, IReadOnlyList<OfferEntity>? offers) => new
    {
        demandId = d.DemandId, category = d.Category, categoryName = ServiceCategories.NameOf(d.Category), description = d.Description, budget = Cny.FromFen(d.BudgetFen),
        cityCode = d.CityCode, deadline = d.Deadline, status = d.Status, enterpriseName = d.EnterpriseName, orderId = d.OrderId,
        offers = offers?.Select(Offer),
    };

    public static object Offer(OfferEntity o) => new
    {
        demandId = o.DemandId, institutionId = o.InstitutionId, institutionName = o.InstitutionName, serviceId = o.ServiceId, serviceTitle = o.ServiceTitle,
        price = Cny.FromFen(o.PriceFen), turnaroundDays = o.TurnaroundDays, message = o.Message, status = o.Status,
    };

    public static object Order(OrderEntity o) => new
    {
        orderId = o.OrderId, demandId = o.DemandId, uscc = o.Uscc, enterpriseName = o.EnterpriseName, institutionId = o.InstitutionId, institutionName = o.InstitutionName,
        serviceId = o.ServiceId, serviceTitle = o.ServiceTitle, category = o.Category, agreedPrice = Cny.FromFen(o.AgreedPriceFen), contractNumber = o.ContractNumber,
        staff = FacultyRecords.Split(o.Staff), createdAt = o.CreatedAt,
    };
}

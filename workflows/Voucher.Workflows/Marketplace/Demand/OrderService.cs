namespace Voucher.Workflows.Marketplace;

/// <summary>Service orders (made by <see cref="OfferService.AcceptAsync"/>) as their enterprise, their institution and the province centre read them.</summary>
public sealed class OrderService(MarketStore market)
{
    public static bool CanRead(VoucherPrincipal p, OrderEntity o) =>
        p.IsEnterprise(o.Uscc) || MarketAccess.SeesAllOf(p, o.InstitutionId);

    /// <summary>One order; someone else's is not found.</summary>
    public async Task<Outcome<OrderEntity>> ViewAsync(VoucherPrincipal caller, string orderId, CancellationToken ct)
    {
        var order = await market.GetOrderAsync(orderId, ct);
        return order is not null && CanRead(caller, order) ? order : new Failure.NotFound("订单不存在或无权查看 (Not found or not yours)");
    }

    /// <summary>The orders of the caller's enterprise or institution, newest first.</summary>
    public async Task<IReadOnlyList<OrderEntity>> ForCallerAsync(VoucherPrincipal caller, CancellationToken ct) => caller.Role switch
    {
        Role.Enterprise => await market.OrdersOfAsync(MarketStore.EnterpriseOwner(caller.Scope ?? ""), ct),
        Role.Institution => await market.OrdersOfAsync(MarketStore.InstitutionOwner(caller.Scope ?? ""), ct),
        _ => [],
    };
}

using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// A redemption request that names a service order takes the order's institution, service, contract number and
/// agreed price for every field it leaves empty; fields it gives win (the amount actually paid may differ).
/// </summary>
public static class OrderPrefill
{
    public static async Task<(CreateRedemptionRequest Request, IResult? Problem)> ApplyAsync(VoucherStore store, VoucherPrincipal principal, CreateRedemptionRequest body, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.OrderId))
        {
            return (body, null);
        }

        var orderId = body.OrderId.Trim();
        var order = orderId.Length > 40 ? null : await store.GetAsync<OrderEntity>(VoucherStore.Orders, orderId, OrderEntity.Row, ct);
        if (order is null || !principal.IsEnterprise(order.Uscc))
        {
            return (body, Problems.Validation("orderId", "服务订单不存在或不属于本企业 (Unknown order, or not this enterprise's)"));
        }

        return (body with
        {
            InstitutionId = string.IsNullOrWhiteSpace(body.InstitutionId) ? order.InstitutionId : body.InstitutionId,
            ServiceId = string.IsNullOrWhiteSpace(body.ServiceId) && body.CooperativeRd != true ? order.ServiceId : body.ServiceId,
            ContractNumber = string.IsNullOrWhiteSpace(body.ContractNumber) ? order.ContractNumber : body.ContractNumber,
            AmountPaid = body.AmountPaid ?? Cny.FromFen(order.AgreedPriceFen).Yuan,
        }, null);
    }
}

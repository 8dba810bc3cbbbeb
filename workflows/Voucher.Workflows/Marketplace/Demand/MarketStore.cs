using Azure;
using Azure.Data.Tables;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// The rows of SME demand, offers and service orders, with the pointers (<see cref="MarketIndexEntity"/>) that let the
/// pages list an enterprise's demands and orders, an institution's orders and the open demand of a category without
/// scanning a table.
/// </summary>
public sealed class MarketStore(VoucherStore store)
{
    public static string EnterpriseOwner(string uscc) => "ent:" + uscc;

    public static string InstitutionOwner(string institutionId) => "inst:" + institutionId;

    static string CategoryOwner(string category) => "cat:" + category;

    public Task<DemandEntity?> GetDemandAsync(string demandId, CancellationToken ct) =>
        store.GetAsync<DemandEntity>(VoucherStore.Demands, demandId, DemandEntity.Row, ct);

    /// <summary>Adds a new demand, listed under its enterprise and, while open, under its category.</summary>
    public async Task AddDemandAsync(DemandEntity demand, CancellationToken ct)
    {
        await store.Table(VoucherStore.Demands).AddEntityAsync(demand, ct);
        foreach (var owner in new[] { EnterpriseOwner(demand.Uscc), CategoryOwner(demand.Category) })
        {
            await store.UpsertAsync(VoucherStore.MarketIndex, new MarketIndexEntity
            {
                PartitionKey = owner, RowKey = MarketIndexEntity.DemandKind + ":" + demand.DemandId, Kind = MarketIndexEntity.DemandKind, RefId = demand.DemandId,
                Title = MarketInput.Shorten(demand.Description), CityCode = demand.CityCode, Category = demand.Category, AmountFen = demand.BudgetFen,
                Deadline = demand.Deadline, At = demand.PostedAt,
            }, ct);
        }
    }

    /// <summary>Replaces the demand under the ETag it was read with; false when it changed meanwhile.</summary>
    public async Task<bool> TryReplaceDemandAsync(DemandEntity demand, CancellationToken ct)
    {
        try
        {
            await store.Table(VoucherStore.Demands).UpdateEntityAsync(demand, demand.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Takes a demand that is no longer open off its category's list.</summary>
    public Task UnlistDemandAsync(DemandEntity demand, CancellationToken ct) =>
        store.Table(VoucherStore.MarketIndex).DeleteEntityAsync(CategoryOwner(demand.Category), MarketIndexEntity.DemandKind + ":" + demand.DemandId, ETag.All, ct);

    /// <summary>The demands of an enterprise (pointers; the caller reads each row).</summary>
    public async Task<IReadOnlyList<string>> DemandIdsOfEnterpriseAsync(string uscc, CancellationToken ct) =>
        [.. (await store.PartitionAsync<MarketIndexEntity>(VoucherStore.MarketIndex, EnterpriseOwner(uscc), 500, ct)).Where(r => r.Kind == MarketIndexEntity.DemandKind).Select(r => r.RefId)];

    /// <summary>The pointers of the open demand in a category (each with its deadline, to skip the past ones unread).</summary>
    public Task<List<MarketIndexEntity>> OpenDemandInAsync(string category, CancellationToken ct) =>
        store.PartitionAsync<MarketIndexEntity>(VoucherStore.MarketIndex, CategoryOwner(category), 500, ct);

    public Task<List<OfferEntity>> OffersAsync(string demandId, CancellationToken ct) =>
        store.PartitionAsync<OfferEntity>(VoucherStore.Offers, demandId, 200, ct);

    public Task<OfferEntity?> GetOfferAsync(string demandId, string institutionId, CancellationToken ct) =>
        store.GetAsync<OfferEntity>(VoucherStore.Offers, demandId, institutionId, ct);

    /// <summary>Writes an offer (a revision replaces it), listed under its institution.</summary>
    public async Task SaveOfferAsync(OfferEntity offer, DemandEntity demand, CancellationToken ct)
    {
        await store.UpsertAsync(VoucherStore.Offers, offer, ct);
        await store.UpsertAsync(VoucherStore.MarketIndex, new MarketIndexEntity
        {
            PartitionKey = InstitutionOwner(offer.InstitutionId), RowKey = MarketIndexEntity.OfferKind + ":" + demand.DemandId, Kind = MarketIndexEntity.OfferKind,
            RefId = demand.DemandId, Title = MarketInput.Shorten(demand.Description), CityCode = demand.CityCode, Category = demand.Category, AmountFen = offer.PriceFen,
            Deadline = demand.Deadline, At = offer.OfferedAt,
        }, ct);
    }

    /// <summary>Writes a change of an offer's status (its content and listing stay).</summary>
    public Task UpdateOfferAsync(OfferEntity offer, CancellationToken ct) => store.UpsertAsync(VoucherStore.Offers, offer, ct);

    public Task<OrderEntity?> GetOrderAsync(string orderId, CancellationToken ct) =>
        store.GetAsync<OrderEntity>(VoucherStore.Orders, orderId, OrderEntity.Row, ct);

    /// <summary>Adds the order once (a retry finds it there), listed under its enterprise and its institution.</summary>
    public async Task AddOrderAsync(OrderEntity order, CancellationToken ct)
    {
        await store.TryAddAsync(VoucherStore.Orders, order, ct);
        foreach (var owner in new[] { EnterpriseOwner(order.Uscc), InstitutionOwner(order.InstitutionId) })
        {
            await store.UpsertAsync(VoucherStore.MarketIndex, new MarketIndexEntity
            {
                PartitionKey = owner, RowKey = MarketIndexEntity.OrderKind + ":" + order.OrderId, Kind = MarketIndexEntity.OrderKind, RefId = order.OrderId,
                Title = order.ServiceTitle, CityCode = order.CityCode, Category = order.Category, AmountFen = order.AgreedPriceFen, At = order.CreatedAt,
            }, ct);
        }
    }

    /// <summary>Orders of an owner (<see cref="EnterpriseOwner"/> or <see cref="InstitutionOwner"/>), newest first.</summary>
    public async Task<List<OrderEntity>> OrdersOfAsync(string owner, CancellationToken ct)
    {
        var list = new List<OrderEntity>();
        foreach (var row in await store.PartitionAsync<MarketIndexEntity>(VoucherStore.MarketIndex, owner, 1000, ct))
        {
            if (row.Kind == MarketIndexEntity.OrderKind && await GetOrderAsync(row.RefId, ct) is { } o)
            {
                list.Add(o);
            }
        }

        return [.. list.OrderByDescending(o => o.CreatedAt)];
    }
}

using Voucher.Domain.Catalogue;

namespace Voucher.Workflows.Marketplace;

/// <summary>What an institution offers on a demand (the JSON body and the offer form's fields).</summary>
public sealed record OfferTerms(string? ServiceId, decimal? Price, int? TurnaroundDays, string? Message);

/// <summary>The institution makes (or revises) its offer on a demand.</summary>
public sealed record MakeOffer(string DemandId, OfferTerms Terms);

/// <summary>The institution takes its offer on a demand back.</summary>
public sealed record WithdrawOffer(string DemandId, string InstitutionId);

/// <summary>The enterprise accepts one institution's offer on its demand.</summary>
public sealed record AcceptOffer(string DemandId, string InstitutionId, string? ContractNumber);

/// <summary>The order an accepted offer made; <paramref name="Existing"/>: the same acceptance again, answered with the same order.</summary>
public sealed record OrderTaken(OrderEntity Order, bool Existing);

/// <summary>
/// Offers on SME demand: a verified institution offers one of its published services of the demand's category (one
/// offer per institution, revisable, withdrawable while the demand is open); the enterprise accepts one, which closes
/// the demand and makes the service order.
/// </summary>
public sealed class OfferService(MarketStore market, CatalogueStore catalogue, CatalogueIndex index, TimeProvider time, ILogger<OfferService> log)
{
    const string DemandEnded = "需求已结束，不再接受响应 (The demand is closed)";

    public static string OrderIdFor(string demandId) => "SO" + demandId[2..];

    public async Task<Outcome<OfferEntity>> MakeAsync(VoucherPrincipal caller, MakeOffer command, CancellationToken ct)
    {
        if (caller.Role != Role.Institution || string.IsNullOrEmpty(caller.Scope))
        {
            return new Failure.Forbidden("只有服务机构可以响应需求 (Only institutions respond to demand)");
        }

        var errors = new List<FieldError>();
        var terms = command.Terms;
        var price = MarketInput.Amount(terms.Price, "price", errors);
        var days = MarketInput.TurnaroundDays(terms.TurnaroundDays, errors);
        var message = MarketInput.Optional(terms.Message, "message", 500, errors);
        var serviceId = JsonBody.Required(terms.ServiceId, "serviceId", 64, errors);
        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var institution = await catalogue.GetInstitutionAsync(caller.Scope, ct);
        if (institution is not { Verified: true })
        {
            return new Failure.Refused("机构须经省中心核验 (The institution must be verified first)");
        }

        var demand = await market.GetDemandAsync(command.DemandId, ct);
        if (demand is null)
        {
            return new Failure.NotFound("需求不存在 (No such demand)");
        }

        if (demand.Status != DemandStatus.Open || string.CompareOrdinal(demand.Deadline, MarketInput.Date(ChinaTime.DateOf(time.GetUtcNow().UtcDateTime))) < 0)
        {
            return new Failure.Conflict(DemandEnded);
        }

        var service = await catalogue.GetServiceAsync(institution.InstitutionId, serviceId!, ct);
        if (service is null || service.Status != ServiceStatus.Published)
        {
            return new Failure.Invalid("serviceId", "请选择本机构在架的服务 (One of your published services)");
        }

        if (service.Category != demand.Category)
        {
            return new Failure.Invalid("serviceId", $"服务类别须与需求一致：{ServiceCategories.NameOf(demand.Category)} (The service must be of the demand's category)");
        }

        var offer = await market.GetOfferAsync(demand.DemandId, institution.InstitutionId, ct)
            ?? new OfferEntity { PartitionKey = demand.DemandId, RowKey = institution.InstitutionId, Status = OfferStatus.Open };
        if (offer.Status == OfferStatus.Accepted)
        {
            return new Failure.Conflict(DemandEnded); // accepted since the demand was read
        }

        if (offer.Status == OfferStatus.Withdrawn)
        {
            offer.MoveTo(OfferStatus.Open);
        }

        offer.InstitutionName = institution.Name;
        offer.ServiceId = service.ServiceId;
        offer.ServiceTitle = service.Title;
        offer.PriceFen = price.Fen;
        offer.TurnaroundDays = days;
        offer.Message = message;
        offer.OfferedAt = time.GetUtcNow();
        offer.OfferedBy = caller.Address;
        await market.SaveOfferAsync(offer, demand, ct);
        MarketplaceLog.OfferMade(log, demand.DemandId, institution.InstitutionId, service.ServiceId);
        return offer;
    }

    /// <summary>The institution takes its offer back while the demand is open; withdrawing it again changes nothing.</summary>
    public async Task<Outcome<OfferEntity>> WithdrawAsync(VoucherPrincipal caller, WithdrawOffer command, CancellationToken ct)
    {
        if (!MarketAccess.IsInstitution(caller, command.InstitutionId))
        {
            return new Failure.Forbidden("只能撤回本机构的报价 (An institution withdraws only its own offer)");
        }

        var demand = await market.GetDemandAsync(command.DemandId, ct);
        var offer = demand is null ? null : await market.GetOfferAsync(demand.DemandId, command.InstitutionId, ct);
        if (offer is null)
        {
            return new Failure.NotFound("本机构没有响应此需求 (No offer of yours on this demand)");
        }

        if (offer.Status == OfferStatus.Withdrawn)
        {
            return offer;
        }

        if (demand!.Status != DemandStatus.Open || offer.Status != OfferStatus.Open)
        {
            return new Failure.Conflict("需求已结束，报价不能撤回 (The demand is closed: the offer stays)");
        }

        offer.MoveTo(OfferStatus.Withdrawn);
        await market.UpdateOfferAsync(offer, ct);
        MarketplaceLog.OfferWithdrawn(log, offer.DemandId, offer.InstitutionId);
        return offer;
    }

    /// <summary>
    /// The enterprise accepts one offer: the demand closes and a service order records enterprise, institution,
    /// service, agreed price and contract number. Accepting the same offer again answers the same order.
    /// </summary>
    public async Task<Outcome<OrderTaken>> AcceptAsync(VoucherPrincipal caller, AcceptOffer command, CancellationToken ct)
    {
        var demand = await market.GetDemandAsync(command.DemandId, ct);
        if (DemandService.OwnerFailure(caller, demand, "由发布需求的企业选择响应 (The enterprise that posted the demand accepts)") is { } failure)
        {
            return failure;
        }

        var contract = command.ContractNumber?.Trim() ?? "";
        if (contract.Length > 64)
        {
            return new Failure.Invalid("contractNumber", "不能超过 64 个字符 (At most 64 characters)");
        }

        var orderId = OrderIdFor(demand!.DemandId);
        if (demand.Status == DemandStatus.Accepted)
        {
            var existing = await market.GetOrderAsync(orderId, ct);
            return existing is not null && demand.AcceptedInstitutionId == command.InstitutionId
                ? new OrderTaken(existing, Existing: true)
                : new Failure.Conflict("该需求已选定其他机构 (Another offer was accepted)");
        }

        if (demand.Status != DemandStatus.Open)
        {
            return new Failure.Conflict("需求已关闭 (The demand is closed)");
        }

        var offer = await market.GetOfferAsync(demand.DemandId, command.InstitutionId, ct);
        if (offer is null)
        {
            return new Failure.Invalid("institutionId", "该机构没有响应此需求 (No offer from this institution)");
        }

        if (offer.Status != OfferStatus.Open)
        {
            return new Failure.Conflict("该机构已撤回报价 (The institution withdrew its offer)");
        }

        var service = await catalogue.GetServiceAsync(offer.InstitutionId, offer.ServiceId, ct);
        demand.MoveTo(DemandStatus.Accepted);
        demand.AcceptedInstitutionId = offer.InstitutionId;
        demand.OrderId = orderId;
        if (!await market.TryReplaceDemandAsync(demand, ct))
        {
            return new Failure.Conflict("需求刚被修改，请刷新后重试 (Changed meanwhile; reload and retry)");
        }

        var order = new OrderEntity
        {
            PartitionKey = orderId, RowKey = OrderEntity.Row, DemandId = demand.DemandId, Uscc = demand.Uscc, EnterpriseName = demand.EnterpriseName,
            InstitutionId = offer.InstitutionId, InstitutionName = offer.InstitutionName, ServiceId = offer.ServiceId, ServiceTitle = offer.ServiceTitle,
            Category = demand.Category, AgreedPriceFen = offer.PriceFen, ContractNumber = contract.Length > 0 ? contract : "HT-" + orderId,
            Staff = service?.Staff ?? "", CityCode = demand.CityCode, CreatedAt = time.GetUtcNow(), CreatedBy = caller.Address,
        };
        await market.AddOrderAsync(order, ct);
        offer.MoveTo(OfferStatus.Accepted);
        await market.UpdateOfferAsync(offer, ct);
        await market.UnlistDemandAsync(demand, ct);
        await catalogue.CountUseAsync(offer.InstitutionId, offer.ServiceId, ct);
        await index.ApplyServiceChangeAsync(offer.InstitutionId, offer.ServiceId, ct);
        MarketplaceLog.OfferAccepted(log, demand.DemandId, offer.InstitutionId, orderId, caller.Actor);
        return new OrderTaken(order, Existing: false);
    }
}

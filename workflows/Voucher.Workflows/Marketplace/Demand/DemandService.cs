using Voucher.Domain.Catalogue;
using Voucher.Workflows.Enterprises;

namespace Voucher.Workflows.Marketplace;

/// <summary>What an SME posts (the JSON body and the demand form's fields).</summary>
public sealed record DemandDetails(string? Category, string? Description, decimal? Budget, string? CityCode, string? Deadline);

/// <summary>The enterprise closes its open demand without accepting an offer.</summary>
public sealed record CloseDemand(string DemandId);

/// <summary>A demand with the offers the caller may see on it.</summary>
public sealed record DemandWithOffers(DemandEntity Demand, IReadOnlyList<OfferEntity> Offers);

/// <summary>
/// SME demand: an enterprise posts what it needs; institutions publishing services in its category see it (their own
/// city first) until its deadline and make offers (<see cref="OfferService"/>); the enterprise accepts one or closes it.
/// An enterprise acts only on its own demands (another's → 404, as if absent).
/// </summary>
public sealed class DemandService(MarketStore market, CatalogueStore catalogue, VoucherStore store, TimeProvider time, ILogger<DemandService> log)
{
    DateOnly Today => ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);

    public async Task<Outcome<DemandEntity>> PostAsync(VoucherPrincipal caller, DemandDetails details, CancellationToken ct)
    {
        if (caller.Role != Role.Enterprise || string.IsNullOrEmpty(caller.Scope))
        {
            return new Failure.Forbidden("只有企业可以发布需求 (Only an enterprise posts a demand)");
        }

        var errors = new List<FieldError>();
        if (!ServiceCategories.TryGet(details.Category?.Trim(), out var category))
        {
            errors.Add(new FieldError("category", "请选择服务类别 (Choose a service category)"));
        }

        var description = JsonBody.Required(details.Description, "description", 1000, errors);
        var budget = MarketInput.Amount(details.Budget, "budget", errors);
        var city = MarketInput.City(details.CityCode, "cityCode", errors);
        if (!DateOnly.TryParseExact(details.Deadline?.Trim(), MarketInput.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var deadline))
        {
            errors.Add(new FieldError("deadline", "日期格式为 yyyy-MM-dd (Date as yyyy-MM-dd)"));
        }
        else if (deadline < Today || deadline > Today.AddDays(366))
        {
            errors.Add(new FieldError("deadline", "截止日期须在今天到一年之内 (From today to one year ahead)"));
        }

        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, caller.Scope, EnterpriseEntity.ProfileRow, ct);
        if (enterprise is null)
        {
            return new Failure.Refused("请先登记企业信息 (Register the enterprise first)");
        }

        var now = time.GetUtcNow();
        var demand = new DemandEntity
        {
            PartitionKey = "DM" + ChinaTime.DateOf(now.UtcDateTime).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(),
            RowKey = DemandEntity.Row,
            Uscc = enterprise.Uscc,
            EnterpriseName = enterprise.Name,
            Category = category.Code,
            Description = description!,
            BudgetFen = budget.Fen,
            CityCode = city,
            Deadline = MarketInput.Date(deadline),
            Status = DemandStatus.Open,
            PostedAt = now,
            PostedBy = caller.Address,
        };
        await market.AddDemandAsync(demand, ct);
        MarketplaceLog.DemandPosted(log, demand.DemandId, demand.Uscc, demand.Category);
        return demand;
    }

    /// <summary>The enterprise closes its open demand: institutions no longer see it; closing it again changes nothing.</summary>
    public async Task<Outcome<DemandEntity>> CloseAsync(VoucherPrincipal caller, CloseDemand command, CancellationToken ct)
    {
        var demand = await market.GetDemandAsync(command.DemandId, ct);
        if (OwnerFailure(caller, demand, "由发布需求的企业关闭需求 (The enterprise that posted the demand closes it)") is { } failure)
        {
            return failure;
        }

        if (demand!.Status == DemandStatus.Closed)
        {
            return demand;
        }

        if (demand.Status != DemandStatus.Open)
        {
            return new Failure.Conflict("需求已选定机构，不能关闭 (An offer was accepted: the demand is an order now)");
        }

        demand.MoveTo(DemandStatus.Closed);
        if (!await market.TryReplaceDemandAsync(demand, ct))
        {
            return new Failure.Conflict("需求刚被修改，请刷新后重试 (Changed meanwhile; reload and retry)");
        }

        await market.UnlistDemandAsync(demand, ct);
        MarketplaceLog.DemandClosed(log, demand.DemandId, caller.Actor);
        return demand;
    }

    /// <summary>
    /// A demand with its offers: its enterprise and the province see all of them, an institution its own; another
    /// enterprise's demand is not found.
    /// </summary>
    public async Task<Outcome<DemandWithOffers>> ViewAsync(VoucherPrincipal caller, string demandId, CancellationToken ct)
    {
        var demand = await market.GetDemandAsync(demandId, ct);
        if (demand is null || (caller.Role == Role.Enterprise && !caller.IsEnterprise(demand.Uscc)))
        {
            return new Failure.NotFound("需求不存在或不属于本企业 (Not found or not yours)");
        }

        var offers = await market.OffersAsync(demand.DemandId, ct);
        return new DemandWithOffers(demand, caller.Role == Role.Institution ? offers.Where(o => o.InstitutionId == caller.Scope).ToList() : offers);
    }

    /// <summary>
    /// The demand the caller works with: an enterprise's own demands (newest first, with the offers received); an
    /// institution's matching open demand (its own city first, then by deadline, with its own offer if any).
    /// </summary>
    public async Task<IReadOnlyList<DemandWithOffers>> ForCallerAsync(VoucherPrincipal caller, CancellationToken ct)
    {
        if (caller.Role == Role.Enterprise)
        {
            var mine = new List<DemandWithOffers>();
            foreach (var id in await market.DemandIdsOfEnterpriseAsync(caller.Scope ?? "", ct))
            {
                if (await market.GetDemandAsync(id, ct) is { } d)
                {
                    mine.Add(new DemandWithOffers(d, await market.OffersAsync(d.DemandId, ct)));
                }
            }

            return [.. mine.OrderByDescending(m => m.Demand.PostedAt)];
        }

        return caller.Role == Role.Institution ? await MatchingAsync(caller.Scope ?? "", ct) : [];
    }

    /// <summary>
    /// Open demand in the categories the institution publishes services in, still before its deadline: its own city
    /// first, then by deadline. Read from the per-category pointer partitions, not the demand table.
    /// </summary>
    async Task<IReadOnlyList<DemandWithOffers>> MatchingAsync(string institutionId, CancellationToken ct)
    {
        var institution = await catalogue.GetInstitutionAsync(institutionId, ct);
        var categories = (await catalogue.ServicesOfAsync(institutionId, ct)).Where(s => s.Status == ServiceStatus.Published).Select(s => s.Category).Distinct().ToList();
        var today = MarketInput.Date(Today);
        var result = new List<DemandWithOffers>();
        foreach (var category in categories)
        {
            foreach (var row in await market.OpenDemandInAsync(category, ct))
            {
                if (string.CompareOrdinal(row.Deadline, today) < 0 || await market.GetDemandAsync(row.RefId, ct) is not { Status: DemandStatus.Open } d)
                {
                    continue;
                }

                var mine = await market.GetOfferAsync(d.DemandId, institutionId, ct);
                result.Add(new DemandWithOffers(d, mine is null ? [] : [mine]));
            }
        }

        return [.. result.OrderBy(x => x.Demand.CityCode == institution?.CityCode ? 0 : 1).ThenBy(x => x.Demand.Deadline, StringComparer.Ordinal)];
    }

    /// <summary>Only the enterprise that posted a demand acts on it; another enterprise is told it does not exist.</summary>
    internal static Failure? OwnerFailure(VoucherPrincipal caller, DemandEntity? demand, string forbidden) =>
        demand is not null && caller.Role == Role.Enterprise && caller.Scope == demand.Uscc ? null
        : caller.Role == Role.Enterprise ? new Failure.NotFound("需求不存在或不属于本企业 (Not found or not yours)")
        : new Failure.Forbidden(forbidden);
}

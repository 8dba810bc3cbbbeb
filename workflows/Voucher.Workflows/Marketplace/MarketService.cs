using System.Globalization;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Domain.Catalogue;
using Voucher.Workflows.Catalogue;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Http;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// The marketplace's rules, shared by the API and the pages: institution registration and the province centre's
/// verification, publishing and changing services, SME demand, offers, and service orders.
/// Ownership is checked here, where the resource is known: an institution acts only on its own profile, services
/// and offers (another's → 403); an enterprise only on its own demands and orders.
/// </summary>
public sealed partial class MarketService(VoucherStore store, CatalogueStore catalogue, CatalogueIndex index, Policies.ProvincePolicyStore policies, TimeProvider time)
{
    public const string Pending = "pending";
    public const string VerifiedStatus = "verified";
    public const string Rejected = "rejected";

    DateOnly Today => ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);

    [GeneratedRegex("^[0-9A-Za-z-]{4,40}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^1[3-9][0-9]{9}$|^0[0-9]{2,3}-?[0-9]{7,8}$")]
    private static partial Regex PhonePattern();

    // ---- Institutions ------------------------------------------------------------------------------------

    public static (InstitutionEntity? Entity, List<FieldError> Errors) ValidateInstitution(InstitutionRequest r)
    {
        var errors = new List<FieldError>();
        var name = JsonBody.Required(r.Name, "name", 100, errors);
        var type = r.Type?.Trim();
        if (!InstitutionTypes.IsKnown(type))
        {
            errors.Add(new FieldError("type", "请选择机构类型：高等院校、科研院所或创新平台 (university | research-institute | platform)"));
        }

        var city = r.CityCode?.Trim().ToLowerInvariant();
        if (!Cities.TryGet(city, out _))
        {
            errors.Add(new FieldError("cityCode", "请选择山西省 11 个地市之一 (One of the 11 cities)"));
        }

        var code = r.Code?.Trim().ToUpperInvariant() ?? "";
        if (code.Length == 18)
        {
            if (!Uscc.TryValidate(code, out code, out var usccError))
            {
                errors.Add(new FieldError("code", usccError!));
            }
        }
        else if (!CodePattern().IsMatch(code))
        {
            errors.Add(new FieldError("code", "请填写 18 位统一社会信用代码或机构代码（4–40 位字母、数字） (USCC or institution code)"));
        }

        var platform = JsonBody.Required(r.SharingPlatformId, "sharingPlatformId", 40, errors);
        var contact = JsonBody.Required(r.ContactName, "contactName", 40, errors);
        var phone = r.ContactPhone?.Trim() ?? "";
        if (!PhonePattern().IsMatch(phone))
        {
            errors.Add(new FieldError("contactPhone", "请填写 11 位手机号或带区号的固定电话 (A mobile or landline number)"));
        }

        var intro = r.Introduction?.Trim() ?? "";
        if (intro.Length > 1000)
        {
            errors.Add(new FieldError("introduction", "不能超过 1000 个字符 (At most 1000 characters)"));
        }

        return errors.Count > 0 ? (null, errors) : (new InstitutionEntity
        {
            Name = name!, Type = type!, CityCode = city!, Code = code, SharingPlatformId = platform!, ContactName = contact!, ContactPhone = phone, Introduction = intro,
        }, errors);
    }

    /// <summary>An institution user registers its own institution (id = its scope); it waits for the province centre.</summary>
    public async Task<Outcome<InstitutionEntity>> RegisterInstitutionAsync(VoucherPrincipal p, InstitutionRequest request, CancellationToken ct)
    {
        if (p.Role != Role.Institution || string.IsNullOrEmpty(p.Scope))
        {
            return Outcome<InstitutionEntity>.Forbidden("只有服务机构账号可以登记本机构 (Only an institution account registers its institution)");
        }

        var (entity, errors) = ValidateInstitution(request);
        if (entity is null)
        {
            return Outcome<InstitutionEntity>.Invalid(errors);
        }

        entity.PartitionKey = p.Scope;
        entity.Status = Pending;
        entity.RegisteredAt = time.GetUtcNow();
        if (!await store.TryAddAsync(VoucherStore.Institutions, entity, ct))
        {
            return Outcome<InstitutionEntity>.Fail(StatusCodes.Status409Conflict, "本机构已登记，请修改机构信息 (Already registered; edit the profile instead)");
        }

        await IndexPendingAsync(entity, ct);
        await catalogue.NoteChangeAsync("institution", entity.InstitutionId, "", ct);
        return Outcome<InstitutionEntity>.Done(entity, StatusCodes.Status201Created);
    }

    /// <summary>
    /// The institution edits its own profile. A change of the code or the platform id sends it back to the province
    /// centre for verification (its services leave the catalogue until then); other edits keep the verification.
    /// </summary>
    public async Task<Outcome<InstitutionEntity>> UpdateInstitutionAsync(VoucherPrincipal p, string institutionId, InstitutionRequest request, CancellationToken ct)
    {
        if (p.Role != Role.Institution || p.Scope != institutionId)
        {
            return Outcome<InstitutionEntity>.Forbidden("只能修改本机构信息 (An institution edits only its own profile)");
        }

        var (edited, errors) = ValidateInstitution(request);
        if (edited is null)
        {
            return Outcome<InstitutionEntity>.Invalid(errors);
        }

        var current = await catalogue.GetInstitutionAsync(institutionId, ct);
        if (current is null)
        {
            return Outcome<InstitutionEntity>.NotFound("本机构尚未登记 (Not registered yet)");
        }

        var reverify = current.Code != edited.Code || current.SharingPlatformId != edited.SharingPlatformId;
        current.Name = edited.Name;
        current.Type = edited.Type;
        current.CityCode = edited.CityCode;
        current.Code = edited.Code;
        current.SharingPlatformId = edited.SharingPlatformId;
        current.ContactName = edited.ContactName;
        current.ContactPhone = edited.ContactPhone;
        current.Introduction = edited.Introduction;
        if (reverify && current.EffectiveStatus != Pending)
        {
            current.Status = Pending;
            current.Verified = false;
            current.DecisionReason = "机构代码或共享平台编号已修改，待重新核验 (Code or platform id changed)";
        }

        try
        {
            await store.Table(VoucherStore.Institutions).UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return Outcome<InstitutionEntity>.Fail(StatusCodes.Status409Conflict, "机构信息刚被修改，请刷新后重试 (Changed meanwhile; reload and retry)");
        }

        if (current.EffectiveStatus == Pending)
        {
            await IndexPendingAsync(current, ct);
        }

        await catalogue.NoteChangeAsync("institution", institutionId, "", ct);
        await index.ApplyChangeAsync("institution", institutionId, "", ct);
        return Outcome<InstitutionEntity>.Done(current);
    }

    /// <summary>The province centre verifies (after checking the platform id) or rejects, with a reason, a registered institution.</summary>
    public async Task<Outcome<InstitutionEntity>> DecideInstitutionAsync(VoucherPrincipal p, string institutionId, VerificationRequest request, CancellationToken ct)
    {
        if (p.Role != Role.Province)
        {
            return Outcome<InstitutionEntity>.Forbidden("由省中心核验服务机构 (The province centre verifies institutions)");
        }

        if (request.Approve is not { } approve)
        {
            return Outcome<InstitutionEntity>.Invalid("approve", "请选择通过或驳回 (Choose approve or reject)");
        }

        var reason = request.Reason?.Trim() ?? "";
        if (!approve && reason.Length == 0)
        {
            return Outcome<InstitutionEntity>.Invalid("reason", "驳回须说明理由 (A rejection needs a reason)");
        }

        if (reason.Length > 500)
        {
            return Outcome<InstitutionEntity>.Invalid("reason", "不能超过 500 个字符 (At most 500 characters)");
        }

        var current = await catalogue.GetInstitutionAsync(institutionId, ct);
        if (current is null)
        {
            return Outcome<InstitutionEntity>.NotFound($"服务机构 {institutionId} 不存在 (No such institution)");
        }

        var target = approve ? VerifiedStatus : Rejected;
        if (current.EffectiveStatus == target)
        {
            return Outcome<InstitutionEntity>.Done(current); // the same decision again changes nothing
        }

        current.Status = target;
        current.Verified = approve;
        current.DecidedAt = time.GetUtcNow();
        current.DecidedBy = p.Address;
        current.DecisionReason = reason;
        try
        {
            await store.Table(VoucherStore.Institutions).UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return Outcome<InstitutionEntity>.Fail(StatusCodes.Status409Conflict, "机构信息刚被修改，请刷新后重试 (Changed meanwhile; reload and retry)");
        }

        await store.Table(VoucherStore.MarketIndex).DeleteEntityAsync("pending", "institution:" + institutionId, ETag.All, ct);
        await catalogue.NoteChangeAsync("institution", institutionId, "", ct);
        await index.ApplyChangeAsync("institution", institutionId, "", ct);
        return Outcome<InstitutionEntity>.Done(current);
    }

    public async Task<List<InstitutionEntity>> PendingInstitutionsAsync(CancellationToken ct)
    {
        var list = new List<InstitutionEntity>();
        foreach (var row in await store.PartitionAsync<MarketIndexEntity>(VoucherStore.MarketIndex, "pending", 500, ct))
        {
            if (await catalogue.GetInstitutionAsync(row.RefId, ct) is { } i && i.EffectiveStatus == Pending)
            {
                list.Add(i);
            }
        }

        return list;
    }

    Task IndexPendingAsync(InstitutionEntity i, CancellationToken ct) =>
        store.UpsertAsync(VoucherStore.MarketIndex, new MarketIndexEntity
        {
            PartitionKey = "pending", RowKey = "institution:" + i.InstitutionId, Kind = "institution", RefId = i.InstitutionId, Title = i.Name, CityCode = i.CityCode, At = time.GetUtcNow(),
        }, ct);

    // ---- Services ----------------------------------------------------------------------------------------

    public static (ServiceEntity? Entity, List<FieldError> Errors) ValidateService(ServiceRequest r)
    {
        var errors = new List<FieldError>();
        var title = JsonBody.Required(r.Title, "title", 100, errors);
        if (!ServiceCategories.TryGet(r.Category?.Trim(), out var category))
        {
            errors.Add(new FieldError("category", "请选择服务类别 (Choose a service category)"));
        }

        var description = JsonBody.Required(r.Description, "description", 2000, errors);
        var specs = Optional(r.Specifications, "specifications", 1000, errors);
        var equipment = Optional(r.Equipment, "equipment", 500, errors);
        var contact = JsonBody.Required(r.Contact, "contact", 100, errors);
        var staff = JsonBody.Required(r.Staff, "staff", 200, errors);
        Cny from = Cny.Zero, to = Cny.Zero;
        if (r.PriceFrom is null)
        {
            errors.Add(new FieldError("priceFrom", "必填 (Required)"));
        }
        else if (!Cny.TryParseAmount(r.PriceFrom.Value, out from, out var e1))
        {
            errors.Add(new FieldError("priceFrom", e1!));
        }

        if (r.PriceTo is { } upper)
        {
            if (!Cny.TryParseAmount(upper, out to, out var e2))
            {
                errors.Add(new FieldError("priceTo", e2!));
            }
            else if (to < from)
            {
                errors.Add(new FieldError("priceTo", "最高价不能低于起价 (The upper price must not be below the lower)"));
            }
        }

        if (r.TurnaroundDays is not (>= 1 and <= 365))
        {
            errors.Add(new FieldError("turnaroundDays", "服务周期为 1–365 天 (1 to 365 days)"));
        }

        return errors.Count > 0 ? (null, errors) : (new ServiceEntity
        {
            Title = title!, Category = category.Code, Description = description!, Specifications = specs, Equipment = equipment, Contact = contact!, Staff = staff!,
            PriceFromFen = from.Fen, PriceToFen = to.Fen == from.Fen ? 0 : to.Fen, TurnaroundDays = r.TurnaroundDays!.Value,
        }, errors);
    }

    static string Optional(string? value, string field, int max, List<FieldError> errors)
    {
        var v = value?.Trim() ?? "";
        if (v.Length > max)
        {
            errors.Add(new FieldError(field, $"不能超过 {max} 个字符 (At most {max} characters)"));
        }

        return v;
    }

    public async Task<Outcome<ServiceEntity>> PublishServiceAsync(VoucherPrincipal p, ServiceRequest request, CancellationToken ct)
    {
        if (p.Role != Role.Institution || string.IsNullOrEmpty(p.Scope))
        {
            return Outcome<ServiceEntity>.Forbidden("只有服务机构可以发布服务 (Only institutions publish services)");
        }

        var (service, errors) = ValidateService(request);
        if (service is null)
        {
            return Outcome<ServiceEntity>.Invalid(errors);
        }

        var institution = await catalogue.GetInstitutionAsync(p.Scope, ct);
        if (institution is null || !institution.Verified)
        {
            return Outcome<ServiceEntity>.Fail(StatusCodes.Status422UnprocessableEntity, "机构须经省中心核验后才能发布服务 (The institution must be verified by the province centre first)");
        }

        service.PartitionKey = institution.InstitutionId;
        service.RowKey = "svc-" + Guid.NewGuid().ToString("N")[..10];
        service.CityCode = institution.CityCode;
        service.InstitutionName = institution.Name;
        service.InstitutionType = institution.Type;
        if (!await catalogue.TryPublishAsync(service, p.Address, ct))
        {
            return Outcome<ServiceEntity>.Fail(StatusCodes.Status409Conflict, "服务编号冲突，请重试 (Id collision; retry)");
        }

        await index.ApplyChangeAsync("service", service.InstitutionId, service.ServiceId, ct);
        return Outcome<ServiceEntity>.Done(service, StatusCodes.Status201Created);
    }

    public async Task<Outcome<ServiceEntity>> UpdateServiceAsync(VoucherPrincipal p, string institutionId, string serviceId, ServiceRequest request, CancellationToken ct)
    {
        if (p.Role != Role.Institution || p.Scope != institutionId)
        {
            return Outcome<ServiceEntity>.Forbidden("不能修改其他机构的服务 (An institution edits only its own services)");
        }

        var (edited, errors) = ValidateService(request);
        if (edited is null)
        {
            return Outcome<ServiceEntity>.Invalid(errors);
        }

        var retired = false;
        var updated = await catalogue.UpdateServiceAsync(institutionId, serviceId, s =>
        {
            if (s.EffectiveStatus == "retired")
            {
                retired = true;
                return false;
            }

            s.Title = edited.Title;
            s.Category = edited.Category;
            s.Description = edited.Description;
            s.Specifications = edited.Specifications;
            s.Equipment = edited.Equipment;
            s.Contact = edited.Contact;
            s.Staff = edited.Staff;
            s.PriceFromFen = edited.PriceFromFen;
            s.PriceToFen = edited.PriceToFen;
            s.TurnaroundDays = edited.TurnaroundDays;
            s.Status = s.EffectiveStatus;
            return true;
        }, "修改 edited", p.Address, ct);
        if (updated is null)
        {
            return Outcome<ServiceEntity>.NotFound("服务不存在 (No such service)");
        }

        if (retired)
        {
            return Outcome<ServiceEntity>.Fail(StatusCodes.Status422UnprocessableEntity, "服务已下架，不能再修改 (A retired service cannot be edited)");
        }

        await index.ApplyChangeAsync("service", institutionId, serviceId, ct);
        return Outcome<ServiceEntity>.Done(updated);
    }

    /// <summary>published ⇄ paused; either → retired (final). Setting the current status again changes nothing.</summary>
    public async Task<Outcome<ServiceEntity>> SetServiceStatusAsync(VoucherPrincipal p, string institutionId, string serviceId, string? status, CancellationToken ct)
    {
        if (p.Role != Role.Institution || p.Scope != institutionId)
        {
            return Outcome<ServiceEntity>.Forbidden("不能修改其他机构的服务 (An institution changes only its own services)");
        }

        if (status is not ("published" or "paused" or "retired"))
        {
            return Outcome<ServiceEntity>.Invalid("status", "状态只能是 published、paused 或 retired");
        }

        var refused = false;
        var updated = await catalogue.UpdateServiceAsync(institutionId, serviceId, s =>
        {
            if (s.EffectiveStatus == status)
            {
                return false;
            }

            if (s.EffectiveStatus == "retired")
            {
                refused = true;
                return false;
            }

            s.Status = status;
            return true;
        }, status switch { "paused" => "暂停 paused", "retired" => "下架 retired", _ => "恢复 resumed" }, p.Address, ct);
        if (updated is null)
        {
            return Outcome<ServiceEntity>.NotFound("服务不存在 (No such service)");
        }

        if (refused)
        {
            return Outcome<ServiceEntity>.Fail(StatusCodes.Status422UnprocessableEntity, "服务已下架，不能恢复 (A retired service stays retired)");
        }

        await index.ApplyChangeAsync("service", institutionId, serviceId, ct);
        return Outcome<ServiceEntity>.Done(updated);
    }

    /// <summary>A public reader sees a service of a verified institution; the owner and the province see every state.</summary>
    public async Task<ServiceEntity?> ReadableServiceAsync(VoucherPrincipal? p, string institutionId, string serviceId, CancellationToken ct)
    {
        var service = await catalogue.GetServiceAsync(institutionId, serviceId, ct);
        if (service is null)
        {
            return null;
        }

        if (p is { Role: Role.Province } || (p is { Role: Role.Institution } && p.Scope == institutionId))
        {
            return service;
        }

        var institution = await catalogue.GetInstitutionAsync(institutionId, ct);
        return institution is { Verified: true } ? service : null;
    }

    /// <summary>The search, with "voucher-eligible" (filter and each hit's flag) judged by the current province policy.</summary>
    public async Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken ct)
    {
        var eligible = await EligibleCategoriesAsync(ct);
        return (await index.CurrentAsync(ct)).Search(query with { EligibleCategories = eligible });
    }

    /// <summary>
    /// The categories vouchers may pay for: the current province policy's (cached as the policy is), the same list the
    /// redemption request is checked against, so the catalogue never promises what a redemption would refuse.
    /// </summary>
    public async Task<IReadOnlySet<string>> EligibleCategoriesAsync(CancellationToken ct) =>
        (await policies.GetCurrentAsync(ct)).EligibleCategories.ToHashSet(StringComparer.Ordinal);

    public async Task<IReadOnlyList<CatalogueDoc>> SimilarAsync(string institutionId, string serviceId, CancellationToken ct) =>
        (await index.CurrentAsync(ct)).Similar(institutionId, serviceId);

    // ---- Demand, offers, orders --------------------------------------------------------------------------

    public async Task<Outcome<DemandEntity>> PostDemandAsync(VoucherPrincipal p, DemandRequest r, CancellationToken ct)
    {
        if (p.Role != Role.Enterprise || string.IsNullOrEmpty(p.Scope))
        {
            return Outcome<DemandEntity>.Forbidden("只有企业可以发布需求 (Only an enterprise posts a demand)");
        }

        var errors = new List<FieldError>();
        if (!ServiceCategories.TryGet(r.Category?.Trim(), out var category))
        {
            errors.Add(new FieldError("category", "请选择服务类别 (Choose a service category)"));
        }

        var description = JsonBody.Required(r.Description, "description", 1000, errors);
        Cny budget = Cny.Zero;
        if (r.Budget is null)
        {
            errors.Add(new FieldError("budget", "必填 (Required)"));
        }
        else if (!Cny.TryParseAmount(r.Budget.Value, out budget, out var e))
        {
            errors.Add(new FieldError("budget", e!));
        }

        var city = r.CityCode?.Trim().ToLowerInvariant();
        if (!Cities.TryGet(city, out _))
        {
            errors.Add(new FieldError("cityCode", "请选择山西省 11 个地市之一 (One of the 11 cities)"));
        }

        if (!DateOnly.TryParseExact(r.Deadline?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var deadline))
        {
            errors.Add(new FieldError("deadline", "日期格式为 yyyy-MM-dd (Date as yyyy-MM-dd)"));
        }
        else if (deadline < Today || deadline > Today.AddDays(366))
        {
            errors.Add(new FieldError("deadline", "截止日期须在今天到一年之内 (From today to one year ahead)"));
        }

        if (errors.Count > 0)
        {
            return Outcome<DemandEntity>.Invalid(errors);
        }

        var enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, p.Scope, EnterpriseEntity.ProfileRow, ct);
        if (enterprise is null)
        {
            return Outcome<DemandEntity>.Fail(StatusCodes.Status422UnprocessableEntity, "请先登记企业信息 (Register the enterprise first)");
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
            CityCode = city!,
            Deadline = deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            PostedAt = now,
            PostedBy = p.Address,
        };
        await store.Table(VoucherStore.Demands).AddEntityAsync(demand, ct);
        foreach (var owner in new[] { "ent:" + demand.Uscc, "cat:" + demand.Category })
        {
            await store.UpsertAsync(VoucherStore.MarketIndex, new MarketIndexEntity
            {
                PartitionKey = owner, RowKey = "demand:" + demand.DemandId, Kind = "demand", RefId = demand.DemandId, Title = Shorten(demand.Description),
                CityCode = demand.CityCode, Category = demand.Category, AmountFen = demand.BudgetFen, Deadline = demand.Deadline, At = now,
            }, ct);
        }

        return Outcome<DemandEntity>.Done(demand, StatusCodes.Status201Created);
    }

    static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";

    public Task<DemandEntity?> GetDemandAsync(string demandId, CancellationToken ct) =>
        store.GetAsync<DemandEntity>(VoucherStore.Demands, demandId, DemandEntity.Row, ct);

    public Task<List<OfferEntity>> OffersAsync(string demandId, CancellationToken ct) =>
        store.PartitionAsync<OfferEntity>(VoucherStore.Offers, demandId, 200, ct);

    public async Task<List<DemandEntity>> DemandsOfEnterpriseAsync(string uscc, CancellationToken ct)
    {
        var list = new List<DemandEntity>();
        foreach (var row in await store.PartitionAsync<MarketIndexEntity>(VoucherStore.MarketIndex, "ent:" + uscc, 500, ct))
        {
            if (row.Kind == "demand" && await GetDemandAsync(row.RefId, ct) is { } d)
            {
                list.Add(d);
            }
        }

        return [.. list.OrderByDescending(d => d.PostedAt)];
    }

    /// <summary>
    /// Open demand in the categories the institution publishes services in, still before its deadline: its own city
    /// first, then by deadline. Read from the per-category pointer partitions, not the demand table.
    /// </summary>
    public async Task<List<(DemandEntity Demand, OfferEntity? MyOffer)>> MatchingDemandAsync(string institutionId, CancellationToken ct)
    {
        var institution = await catalogue.GetInstitutionAsync(institutionId, ct);
        var categories = (await catalogue.ServicesOfAsync(institutionId, ct)).Where(s => s.EffectiveStatus == "published").Select(s => s.Category).Distinct().ToList();
        var today = Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var result = new List<(DemandEntity, OfferEntity?)>();
        foreach (var category in categories)
        {
            foreach (var row in await store.PartitionAsync<MarketIndexEntity>(VoucherStore.MarketIndex, "cat:" + category, 500, ct))
            {
                if (string.CompareOrdinal(row.Deadline, today) < 0 || await GetDemandAsync(row.RefId, ct) is not { Status: "open" } d)
                {
                    continue;
                }

                var mine = await store.GetAsync<OfferEntity>(VoucherStore.Offers, d.DemandId, institutionId, ct);
                result.Add((d, mine));
            }
        }

        return [.. result.OrderBy(x => x.Item1.CityCode == institution?.CityCode ? 0 : 1).ThenBy(x => x.Item1.Deadline, StringComparer.Ordinal)];
    }

    public async Task<Outcome<OfferEntity>> MakeOfferAsync(VoucherPrincipal p, string demandId, OfferRequest r, CancellationToken ct)
    {
        if (p.Role != Role.Institution || string.IsNullOrEmpty(p.Scope))
        {
            return Outcome<OfferEntity>.Forbidden("只有服务机构可以响应需求 (Only institutions respond to demand)");
        }

        var errors = new List<FieldError>();
        Cny price = Cny.Zero;
        if (r.Price is null)
        {
            errors.Add(new FieldError("price", "必填 (Required)"));
        }
        else if (!Cny.TryParseAmount(r.Price.Value, out price, out var e))
        {
            errors.Add(new FieldError("price", e!));
        }

        if (r.TurnaroundDays is not (>= 1 and <= 365))
        {
            errors.Add(new FieldError("turnaroundDays", "服务周期为 1–365 天 (1 to 365 days)"));
        }

        var message = Optional(r.Message, "message", 500, errors);
        var serviceId = JsonBody.Required(r.ServiceId, "serviceId", 64, errors);
        if (errors.Count > 0)
        {
            return Outcome<OfferEntity>.Invalid(errors);
        }

        var institution = await catalogue.GetInstitutionAsync(p.Scope, ct);
        if (institution is not { Verified: true })
        {
            return Outcome<OfferEntity>.Fail(StatusCodes.Status422UnprocessableEntity, "机构须经省中心核验 (The institution must be verified first)");
        }

        var demand = await GetDemandAsync(demandId, ct);
        if (demand is null)
        {
            return Outcome<OfferEntity>.NotFound("需求不存在 (No such demand)");
        }

        if (demand.Status != "open" || string.CompareOrdinal(demand.Deadline, Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) < 0)
        {
            return Outcome<OfferEntity>.Fail(StatusCodes.Status409Conflict, "需求已结束，不再接受响应 (The demand is closed)");
        }

        var service = await catalogue.GetServiceAsync(institution.InstitutionId, serviceId!, ct);
        if (service is null || service.EffectiveStatus != "published")
        {
            return Outcome<OfferEntity>.Invalid("serviceId", "请选择本机构在架的服务 (One of your published services)");
        }

        if (service.Category != demand.Category)
        {
            return Outcome<OfferEntity>.Invalid("serviceId", $"服务类别须与需求一致：{ServiceCategories.NameOf(demand.Category)} (The service must be of the demand's category)");
        }

        var offer = new OfferEntity
        {
            PartitionKey = demand.DemandId, RowKey = institution.InstitutionId, InstitutionName = institution.Name, ServiceId = service.ServiceId, ServiceTitle = service.Title,
            PriceFen = price.Fen, TurnaroundDays = r.TurnaroundDays!.Value, Message = message, OfferedAt = time.GetUtcNow(), OfferedBy = p.Address,
        };
        await store.UpsertAsync(VoucherStore.Offers, offer, ct);
        await store.UpsertAsync(VoucherStore.MarketIndex, new MarketIndexEntity
        {
            PartitionKey = "inst:" + institution.InstitutionId, RowKey = "offer:" + demand.DemandId, Kind = "offer", RefId = demand.DemandId, Title = Shorten(demand.Description),
            CityCode = demand.CityCode, Category = demand.Category, AmountFen = offer.PriceFen, Deadline = demand.Deadline, At = offer.OfferedAt,
        }, ct);
        return Outcome<OfferEntity>.Done(offer, StatusCodes.Status201Created);
    }

    public static string OrderIdFor(string demandId) => "SO" + demandId[2..];

    /// <summary>
    /// The enterprise accepts one offer: the demand closes and a service order records enterprise, institution,
    /// service, agreed price and contract number. Accepting the same offer again answers the same order.
    /// </summary>
    public async Task<Outcome<OrderEntity>> AcceptOfferAsync(VoucherPrincipal p, string demandId, string institutionId, string? contractNumber, CancellationToken ct)
    {
        var demand = await GetDemandAsync(demandId, ct);
        if (demand is null || p.Role != Role.Enterprise || p.Scope != demand.Uscc)
        {
            return p.Role == Role.Enterprise ? Outcome<OrderEntity>.NotFound("需求不存在或不属于本企业 (Not found or not yours)") : Outcome<OrderEntity>.Forbidden("由发布需求的企业选择响应 (The enterprise that posted the demand accepts)");
        }

        var contract = contractNumber?.Trim() ?? "";
        if (contract.Length > 64)
        {
            return Outcome<OrderEntity>.Invalid("contractNumber", "不能超过 64 个字符 (At most 64 characters)");
        }

        var orderId = OrderIdFor(demand.DemandId);
        if (demand.Status == "accepted")
        {
            var existing = await store.GetAsync<OrderEntity>(VoucherStore.Orders, orderId, OrderEntity.Row, ct);
            return existing is not null && demand.AcceptedInstitutionId == institutionId
                ? Outcome<OrderEntity>.Done(existing)
                : Outcome<OrderEntity>.Fail(StatusCodes.Status409Conflict, "该需求已选定其他机构 (Another offer was accepted)");
        }

        if (demand.Status != "open")
        {
            return Outcome<OrderEntity>.Fail(StatusCodes.Status409Conflict, "需求已关闭 (The demand is closed)");
        }

        var offer = await store.GetAsync<OfferEntity>(VoucherStore.Offers, demandId, institutionId, ct);
        if (offer is null)
        {
            return Outcome<OrderEntity>.Invalid("institutionId", "该机构没有响应此需求 (No offer from this institution)");
        }

        var service = await catalogue.GetServiceAsync(institutionId, offer.ServiceId, ct);
        var now = time.GetUtcNow();
        demand.Status = "accepted";
        demand.AcceptedInstitutionId = institutionId;
        demand.OrderId = orderId;
        try
        {
            await store.Table(VoucherStore.Demands).UpdateEntityAsync(demand, demand.ETag, TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return Outcome<OrderEntity>.Fail(StatusCodes.Status409Conflict, "需求刚被修改，请刷新后重试 (Changed meanwhile; reload and retry)");
        }

        var order = new OrderEntity
        {
            PartitionKey = orderId, RowKey = OrderEntity.Row, DemandId = demand.DemandId, Uscc = demand.Uscc, EnterpriseName = demand.EnterpriseName,
            InstitutionId = institutionId, InstitutionName = offer.InstitutionName, ServiceId = offer.ServiceId, ServiceTitle = offer.ServiceTitle, Category = demand.Category,
            AgreedPriceFen = offer.PriceFen, ContractNumber = contract.Length > 0 ? contract : "HT-" + orderId, Staff = service?.Staff ?? "", CityCode = demand.CityCode,
            CreatedAt = now, CreatedBy = p.Address,
        };
        await store.TryAddAsync(VoucherStore.Orders, order, ct);
        offer.Status = "accepted";
        await store.UpsertAsync(VoucherStore.Offers, offer, ct);
        foreach (var owner in new[] { "ent:" + order.Uscc, "inst:" + order.InstitutionId })
        {
            await store.UpsertAsync(VoucherStore.MarketIndex, new MarketIndexEntity
            {
                PartitionKey = owner, RowKey = "order:" + orderId, Kind = "order", RefId = orderId, Title = order.ServiceTitle, CityCode = order.CityCode,
                Category = order.Category, AmountFen = order.AgreedPriceFen, At = now,
            }, ct);
        }

        await store.Table(VoucherStore.MarketIndex).DeleteEntityAsync("cat:" + demand.Category, "demand:" + demand.DemandId, ETag.All, ct);
        await catalogue.CountUseAsync(institutionId, offer.ServiceId, ct);
        await index.ApplyChangeAsync("service", institutionId, offer.ServiceId, ct);
        return Outcome<OrderEntity>.Done(order, StatusCodes.Status201Created);
    }

    public Task<OrderEntity?> GetOrderAsync(string orderId, CancellationToken ct) =>
        store.GetAsync<OrderEntity>(VoucherStore.Orders, orderId, OrderEntity.Row, ct);

    public static bool CanRead(VoucherPrincipal p, OrderEntity o) =>
        p.Role == Role.Province || p.IsEnterprise(o.Uscc) || (p.Role == Role.Institution && p.Scope == o.InstitutionId);

    /// <summary>Orders of an owner ("ent:{uscc}" or "inst:{institutionId}"), newest first.</summary>
    public async Task<List<OrderEntity>> OrdersOfAsync(string owner, CancellationToken ct)
    {
        var list = new List<OrderEntity>();
        foreach (var row in await store.PartitionAsync<MarketIndexEntity>(VoucherStore.MarketIndex, owner, 1000, ct))
        {
            if (row.Kind == "order" && await GetOrderAsync(row.RefId, ct) is { } o)
            {
                list.Add(o);
            }
        }

        return [.. list.OrderByDescending(o => o.CreatedAt)];
    }
}

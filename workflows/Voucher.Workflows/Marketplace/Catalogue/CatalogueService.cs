namespace Voucher.Workflows.Marketplace;

/// <summary>A service with its institution and its versions, newest first.</summary>
public sealed record ServiceDetail(ServiceEntity Service, InstitutionEntity? Institution, IReadOnlyList<ServiceVersionEntity> Versions);

/// <summary>
/// The catalogue's acts on services: a verified institution publishes a service (version 1), edits it (each edit the
/// next version, kept), pauses, resumes and retires it (retired is final: no edits, no resuming). An institution acts
/// only on its own services (another's → 403). Each change reaches this instance's search index at once and the others'
/// through the change log. The HTTP API and the pages call these.
/// </summary>
public sealed class CatalogueService(CatalogueStore catalogue, CatalogueIndex index, ILogger<CatalogueService> log)
{
    const string Retired = "服务已下架，不能再修改 (A retired service cannot be edited)";

    public async Task<Outcome<ServiceEntity>> PublishAsync(VoucherPrincipal caller, ServiceContent content, CancellationToken ct)
    {
        if (caller.Role != Role.Institution || string.IsNullOrEmpty(caller.Scope))
        {
            return new Failure.Forbidden("只有服务机构可以发布服务 (Only institutions publish services)");
        }

        var (validated, errors) = ServiceContentRules.Validate(content);
        if (validated is null)
        {
            return new Failure.Invalid(errors);
        }

        var institution = await catalogue.GetInstitutionAsync(caller.Scope, ct);
        if (institution is null || !institution.Verified)
        {
            return new Failure.Refused("机构须经省中心核验后才能发布服务 (The institution must be verified by the province centre first)");
        }

        var service = new ServiceEntity
        {
            PartitionKey = institution.InstitutionId, RowKey = "svc-" + Guid.NewGuid().ToString("N")[..10], Status = ServiceStatus.Published,
            Title = validated.Title, Category = validated.Category, Description = validated.Description, Specifications = validated.Specifications,
            Equipment = validated.Equipment, Contact = validated.Contact, Staff = validated.Staff, PriceFromFen = validated.PriceFromFen,
            PriceToFen = validated.PriceToFen, TurnaroundDays = validated.TurnaroundDays,
            CityCode = institution.CityCode, InstitutionName = institution.Name, InstitutionType = institution.Type,
        };
        if (!await catalogue.TryPublishAsync(service, caller.Address, ct))
        {
            return new Failure.Conflict("服务编号冲突，请重试 (Id collision; retry)");
        }

        await index.ApplyServiceChangeAsync(service.InstitutionId, service.ServiceId, ct);
        MarketplaceLog.ServicePublished(log, service.InstitutionId, service.ServiceId, service.Version);
        return service;
    }

    /// <summary>New content for a service (not a retired one): the next version, its status unchanged.</summary>
    public async Task<Outcome<ServiceEntity>> EditAsync(VoucherPrincipal caller, EditService command, CancellationToken ct)
    {
        if (!MarketAccess.IsInstitution(caller, command.InstitutionId))
        {
            return new Failure.Forbidden("不能修改其他机构的服务 (An institution edits only its own services)");
        }

        var (edited, errors) = ServiceContentRules.Validate(command.Content);
        if (edited is null)
        {
            return new Failure.Invalid(errors);
        }

        var retired = false;
        var updated = await catalogue.UpdateServiceAsync(command.InstitutionId, command.ServiceId, s =>
        {
            if (ServiceTransitions.IsFinal(s.Status))
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
            return true;
        }, "修改 edited", caller.Address, ct);
        if (updated is null)
        {
            return new Failure.NotFound("服务不存在 (No such service)");
        }

        if (retired)
        {
            return new Failure.Refused(Retired);
        }

        await index.ApplyServiceChangeAsync(command.InstitutionId, command.ServiceId, ct);
        MarketplaceLog.ServiceEdited(log, updated.InstitutionId, updated.ServiceId, updated.Version);
        return updated;
    }

    /// <summary>
    /// Pause (published → paused), resume (paused → published) or retire (either → retired, final), as the domain's
    /// <see cref="ServiceTransitions"/> allow; asking for the current status again changes nothing.
    /// </summary>
    public async Task<Outcome<ServiceEntity>> ChangeStatusAsync(VoucherPrincipal caller, ChangeServiceStatus command, CancellationToken ct)
    {
        if (!MarketAccess.IsInstitution(caller, command.InstitutionId))
        {
            return new Failure.Forbidden("不能修改其他机构的服务 (An institution changes only its own services)");
        }

        if (!StoredName<ServiceStatus>.TryParse(command.Status, out var to))
        {
            return new Failure.Invalid("status", "状态只能是 published、paused 或 retired");
        }

        var refused = false;
        var updated = await catalogue.UpdateServiceAsync(command.InstitutionId, command.ServiceId, s =>
        {
            if (s.Status == to)
            {
                return false;
            }

            if (!ServiceTransitions.IsAllowed(s.Status, to))
            {
                refused = true;
                return false;
            }

            s.MoveTo(to);
            return true;
        }, to switch { ServiceStatus.Paused => "暂停 paused", ServiceStatus.Retired => "下架 retired", _ => "恢复 resumed" }, caller.Address, ct);
        if (updated is null)
        {
            return new Failure.NotFound("服务不存在 (No such service)");
        }

        if (refused)
        {
            return new Failure.Refused("服务已下架，不能恢复 (A retired service stays retired)");
        }

        await index.ApplyServiceChangeAsync(command.InstitutionId, command.ServiceId, ct);
        MarketplaceLog.ServiceStatusChanged(log, updated.InstitutionId, updated.ServiceId, updated.Status, updated.Version);
        return updated;
    }

    /// <summary>A service as the caller may see it: anyone one of a verified institution; its institution and the province every state.</summary>
    public async Task<Outcome<ServiceEntity>> ReadAsync(VoucherPrincipal? caller, string institutionId, string serviceId, CancellationToken ct)
    {
        var service = await catalogue.GetServiceAsync(institutionId, serviceId, ct);
        if (service is not null
            && (MarketAccess.SeesAllOf(caller, institutionId) || await catalogue.GetInstitutionAsync(institutionId, ct) is { Verified: true }))
        {
            return service;
        }

        return new Failure.NotFound("服务不存在 (No such service)");
    }

    /// <summary>A service the caller may see with its institution and every version, newest first.</summary>
    public async Task<Outcome<ServiceDetail>> DetailAsync(VoucherPrincipal? caller, string institutionId, string serviceId, CancellationToken ct)
    {
        var service = await ReadAsync(caller, institutionId, serviceId, ct);
        if (service.Failure is { } failure)
        {
            return failure;
        }

        var institution = await catalogue.GetInstitutionAsync(institutionId, ct);
        var versions = (await catalogue.VersionsAsync(institutionId, serviceId, ct)).OrderByDescending(v => v.Version).ToList();
        return new ServiceDetail(service.Value, institution, versions);
    }

    /// <summary>The services of the caller's own institution (every state), for its pages.</summary>
    public async Task<IReadOnlyList<ServiceEntity>> OwnAsync(VoucherPrincipal caller, CancellationToken ct) =>
        caller.Role == Role.Institution && !string.IsNullOrEmpty(caller.Scope) ? await catalogue.ServicesOfAsync(caller.Scope, ct) : [];

    /// <summary>One of the caller's own services (every state), for its edit form; null when it has none of that id.</summary>
    public Task<ServiceEntity?> OwnAsync(VoucherPrincipal caller, string serviceId, CancellationToken ct) =>
        caller.Role == Role.Institution && !string.IsNullOrEmpty(caller.Scope) ? catalogue.GetServiceAsync(caller.Scope, serviceId, ct) : Task.FromResult<ServiceEntity?>(null);
}

using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// An enterprise asks to redeem a voucher for a service bought from a verified institution (or cooperative R&amp;D).
/// <paramref name="AmountPaid"/> in yuan.
/// </summary>
public sealed record RequestRedemption(string? VoucherId, string? InstitutionId, string? ServiceId, bool? CooperativeRd, string? ContractNumber, decimal? AmountPaid);

/// <summary>The redemption the request started, or the open one it repeated (<paramref name="Existing"/>).</summary>
public sealed record RedemptionRequested(RedemptionEntity Redemption, bool Existing);

/// <summary>One redemption with what is read beside it: its evidence files, its audit trail, the binding's working days left.</summary>
public sealed record RedemptionDossier(RedemptionEntity Redemption, IReadOnlyList<EvidenceEntity> Evidence, IReadOnlyList<AuditEntry> History, int? BindingDaysLeft);

/// <summary>
/// Flow 2's acts on the redemption itself: the enterprise requests one (one orchestration per redemption), anyone
/// entitled reads it, the enterprise withdraws it. Binding is <see cref="BindingService"/>, evidence
/// <see cref="EvidenceService"/>. The HTTP API and the pages call these.
/// </summary>
public sealed class RedemptionService(
    RedemptionStore redemptions,
    VoucherRepository vouchers,
    VoucherStore store,
    PolicyStore policies,
    EvidenceStore evidence,
    AuditLog audit,
    RedemptionEvents events,
    CalendarStore calendars,
    Policies.ProvincePolicyStore provincePolicy,
    Ledger.CapLedger ledger,
    TimeProvider time,
    RedemptionStarts starts,
    BindingRounds rounds,
    PendingStarts pendingStarts,
    Microsoft.Extensions.Logging.ILogger<RedemptionService> log)
{
    static readonly TimeSpan ResumeAfter = TimeSpan.FromMinutes(1);

    /// <summary>Validates the request and starts its redemption; the same request again answers with the open one.</summary>
    public async Task<Outcome<RedemptionRequested>> RequestAsync(VoucherPrincipal caller, RequestRedemption command, DurableTaskClient durable, CancellationToken ct)
    {
        if (Validate(command, out var paid) is { } invalid)
        {
            return invalid;
        }

        var cooperative = command.CooperativeRd ?? false;
        var institutionId = command.InstitutionId!.Trim();
        // The reads that need only the request start together (one round trip of latency instead of four); the answers
        // are looked at in the order of the rules below.
        var voucherRead = vouchers.GetAsync(command.VoucherId!.Trim(), ct);
        var institutionRead = store.GetAsync<InstitutionEntity>(VoucherStore.Institutions, institutionId, InstitutionEntity.ProfileRow, ct);
        var serviceRead = cooperative ? Task.FromResult<ServiceEntity?>(null) : store.GetAsync<ServiceEntity>(VoucherStore.Services, institutionId, command.ServiceId!.Trim(), ct);
        var provinceRead = provincePolicy.GetCurrentAsync(ct);
        await Concurrent.AllSettledAsync(voucherRead, institutionRead, serviceRead, provinceRead);
        var voucher = await voucherRead;
        if (voucher is null)
        {
            return VoucherService.NotFound(command.VoucherId.Trim());
        }

        if (!Enterprises.EnterpriseAccess.CanActFor(caller, voucher.Uscc) || caller.Role == Role.Province)
        {
            return Failure.Deny(VoucherService.CanRead(caller, voucher), VoucherService.NotFound(command.VoucherId.Trim()), "此创新券不属于本企业 (This voucher belongs to another enterprise)");
        }

        var status = VoucherRepository.StatusOf(voucher, ChinaTime.Today(time));
        if (status != VoucherStatus.Active)
        {
            return new Failure.Refused(status switch
            {
                VoucherStatus.Expired => $"创新券已于 {voucher.ExpiresOn} 过期，不能兑付 (The voucher expired on {voucher.ExpiresOn})",
                VoucherStatus.UsedUp => "创新券额度已用完 (The voucher is used up)",
                _ => "创新券已撤销 (The voucher was revoked)",
            });
        }

        // The reads that need the voucher (its enterprise and city) start together too, before the checks that follow.
        var existingRead = redemptions.ForEnterpriseAsync(voucher.Uscc, ct);
        var policyRead = policies.GetCurrentAsync(voucher.CityCode, ct);
        var standingRead = StandingAsync(voucher.Uscc, policyRead, ct);
        var enterpriseRead = store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, voucher.Uscc, EnterpriseEntity.ProfileRow, ct);
        await Concurrent.AllSettledAsync(existingRead, policyRead, standingRead, enterpriseRead);

        var institution = await institutionRead;
        if (institution is null || !institution.Verified)
        {
            return new Failure.Invalid("institutionId", "服务机构不存在或未通过省中心核验 (Unknown or unverified institution)");
        }

        var service = await serviceRead;
        if (!cooperative && service is null)
        {
            return new Failure.Invalid("serviceId", "该机构没有此服务 (The institution offers no such service)");
        }

        // The categories a voucher may pay for are province policy data (versioned, edited by the province centre).
        var category = service?.Category ?? "cooperative-rd";
        var province = await provinceRead;
        if (!province.EligibleCategories.Contains(category, StringComparer.Ordinal))
        {
            return new Failure.Invalid("serviceId",
                $"服务类别「{Voucher.Domain.Catalogue.ServiceCategories.NameOf(category)}」不在省级政策 v{province.Version} 的可兑付范围内 (Category '{category}' is not eligible for vouchers under province policy v{province.Version})");
        }

        var contract = command.ContractNumber!.Trim();
        var existing = (await existingRead).Where(r => r.VoucherId == voucher.VoucherId).ToList();
        if (existing.FirstOrDefault(r => !RedemptionTransitions.IsFinal(r.State)) is { } open)
        {
            if (!IsSameRequest(open, contract, paid, institution.InstitutionId))
            {
                return new Failure.Conflict($"此创新券已有进行中的兑付申请 {open.RedemptionId} (An open redemption exists for this voucher)");
            }

            // The same request again: only a row left without its orchestration (a crash) is resumed.
            if (time.GetUtcNow() - open.SubmittedAt > ResumeAfter)
            {
                await starts.EnsureStartedAsync(durable, open, ct);
            }

            return Requested(caller, open, existing: true);
        }

        var policy = await policyRead;
        if (CapRefusal(await standingRead, policy) is { } refused)
        {
            return refused;
        }

        var enterprise = await enterpriseRead;
        var entity = new RedemptionEntity
        {
            PartitionKey = voucher.Uscc,
            RowKey = RedemptionStore.NewId(voucher.VoucherId, existing.Count + 1),
            EnterpriseName = enterprise?.Name ?? voucher.Uscc,
            VoucherId = voucher.VoucherId,
            CityCode = voucher.CityCode,
            InstitutionId = institution.InstitutionId,
            InstitutionName = institution.Name,
            ServiceId = service?.RowKey,
            ServiceTitle = service?.Title ?? "合作研发 (cooperative R&D)",
            ServiceCategory = category,
            CooperativeRd = cooperative,
            ContractNumber = contract,
            AmountPaidFen = paid.Fen,
            Binding = policy.BindingMode,
            PolicyVersion = policy.Version,
            SubmittedAt = time.GetUtcNow(),
        };
        // Round 1 opens with the request (its deadline counted from today), which saves the orchestration a step.
        var opened = entity.SubmittedAt.UtcDateTime;
        BindingRounds.Open(entity, 1, opened, BindingDeadlines.Count(await calendars.CurrentAsync(ct), ChinaTime.DateOf(opened), policy));
        var requested = AuditLog.Entry(AuditSubjects.Redemption(entity.RedemptionId), caller.Actor, entity.SubmittedAt, "", nameof(RedemptionStatus.AwaitingBinding), policy.Version, "企业提交兑付申请 (requested)");
        // Written before the row, cleared once the orchestration is scheduled: a host that dies in between leaves it
        // for the sweep, which starts the orchestration (PendingStarts).
        await pendingStarts.RecordAsync(RedemptionStarts.KindName, entity.RedemptionId, ct);
        // Round 1's entries and the institution's notice are written with the listing rows, once the row is in.
        if (!await redemptions.TryCreateAsync(entity, ct, next: () => rounds.RecordAsync(entity, policy, ct, before: requested)))
        {
            // The same request, posted twice at once: the second caller gets the one the first created.
            var twin = await redemptions.GetAsync(entity.RedemptionId, ct);
            return twin is not null && IsSameRequest(twin, entity.ContractNumber, paid, entity.InstitutionId)
                ? Requested(caller, twin, existing: true)
                : new Failure.Conflict("兑付申请提交冲突，请重试 (Concurrent request; retry)");
        }

        // This request inserted the row, so no orchestration of this id can exist yet: start without looking.
        await starts.StartOpenedAsync(durable, entity, ct);
        await pendingStarts.ClearAsync(RedemptionStarts.KindName, entity.RedemptionId, ct);
        return Requested(caller, entity, existing: false);
    }

    /// <summary>The request's fields, each error naming its field; <paramref name="paid"/> is the amount when it parses.</summary>
    public static Failure.Invalid? Validate(RequestRedemption command, out Cny paid)
    {
        var errors = new List<FieldError>();
        JsonBody.Required(command.VoucherId, "voucherId", 40, errors);
        JsonBody.Required(command.InstitutionId, "institutionId", 64, errors);
        JsonBody.Required(command.ContractNumber, "contractNumber", 64, errors);
        paid = Cny.Zero;
        if (command.AmountPaid is null)
        {
            errors.Add(new FieldError("amountPaid", "必填 (Required)"));
        }
        else if (!Cny.TryParseAmount(command.AmountPaid.Value, out paid, out var amountError))
        {
            errors.Add(new FieldError("amountPaid", amountError ?? "金额无效 (Invalid amount)"));
        }

        var cooperative = command.CooperativeRd ?? false;
        if (!cooperative && string.IsNullOrWhiteSpace(command.ServiceId))
        {
            errors.Add(new FieldError("serviceId", "请选择服务，或声明为合作研发 (Name the service, or set cooperativeRd)"));
        }

        if (cooperative && !string.IsNullOrWhiteSpace(command.ServiceId))
        {
            errors.Add(new FieldError("serviceId", "合作研发无需选择服务 (Leave serviceId empty for cooperative R&D)"));
        }

        return errors.Count > 0 ? new Failure.Invalid(errors) : null;
    }

    /// <summary>The redemption with its evidence and audit trail, for the enterprise, the institution concerned, the city's bureaus and the province.</summary>
    public async Task<Outcome<RedemptionDossier>> ViewAsync(VoucherPrincipal caller, string redemptionId, CancellationToken ct) =>
        await ReadableAsync(caller, redemptionId, ct) is { Failure: null } readable ? (await DossierOfRowAsync(readable.Value, ct)).Dossier : NotFound(redemptionId);

    /// <summary>The redemption's row, when the caller may read it (one point read); someone else's answers as a missing one.</summary>
    public async Task<Outcome<RedemptionEntity>> ReadableAsync(VoucherPrincipal caller, string redemptionId, CancellationToken ct) =>
        await redemptions.GetAsync(redemptionId, ct) is { } r && CanRead(caller, r) ? r : NotFound(redemptionId);

    /// <summary>
    /// The whole view of a row read just before (its evidence and history read now), and whether the row vouches for it
    /// (<see cref="RedemptionViewKey.Vouches"/>): only then does <see cref="VersionTag"/> stand for this view.
    /// </summary>
    public async Task<(RedemptionDossier Dossier, bool Complete)> DossierOfRowAsync(RedemptionEntity r, CancellationToken ct)
    {
        var listing = evidence.ListAsync(r.RedemptionId, ct);
        var history = await audit.ReadRedemptionAsync(r.RedemptionId, r.BatchId, ct);
        var files = await listing;
        var binding = BindingDeadlines.Of(r);
        int? daysLeft = binding is null || r.Bound ? null : (await calendars.CurrentAsync(ct)).WorkingDaysBetween(ChinaTime.Today(time), binding.Deadline);
        return (new RedemptionDossier(r, files, history, daysLeft), RedemptionViewKey.Vouches(r, history, files, time.GetUtcNow()));
    }

    /// <summary>
    /// A tag for the view of <paramref name="r"/> from the row alone, or null for a row that keeps no view key. It changes
    /// with every write of the row (its storage ETag), and each write the view shows is announced on the row first
    /// (<see cref="RedemptionViewKey"/>); with the calendar in force and the China date (the days left); and with the build
    /// (the view's shape). Valid only once <see cref="DossierOfRowAsync"/> found that the row vouches.
    /// </summary>
    public async Task<string?> VersionTag(RedemptionEntity r, CancellationToken ct) =>
        r.ViewKey is null
            ? null
            : Http.ConditionalGet.RowTag("redemption", r.ETag, r.ViewKey, (await calendars.CurrentAsync(ct)).Fingerprint, ChinaTime.Today(time));

    /// <summary>The enterprise withdraws its redemption until the bureau's review starts, unless an advance was paid on it.</summary>
    public async Task<Outcome<RedemptionEntity>> WithdrawAsync(VoucherPrincipal caller, string redemptionId, DurableTaskClient durable, CancellationToken ct)
    {
        var r = await redemptions.GetAsync(redemptionId, ct);
        if (r is null)
        {
            return NotFound(redemptionId);
        }

        if (!caller.IsEnterprise(r.Uscc))
        {
            return Failure.Deny(CanRead(caller, r), NotFound(redemptionId), "只有申请企业可以撤回 (Only the enterprise withdraws its redemption)");
        }

        if (r.AdvancePaidAt is not null)
        {
            return new Failure.Conflict($"事前兑付 {Cny.FromFen(r.PrepaidFen)} 已拨付，不能撤回 (The advance was paid: the redemption cannot be withdrawn)");
        }

        if (!RedemptionTransitions.CanWithdraw(r.State))
        {
            return new Failure.Conflict($"当前状态（{RedemptionView.StatusText(r.State)}）不能撤回 (Cannot withdraw now)");
        }

        await events.RaiseAsync(r, new RedemptionEvent(RedemptionEvent.Withdraw, r.BindingRound, true, null, caller.Actor), durable, ct);
        RedemptionLog.WithdrawalSent(log, r.RedemptionId, caller.Actor);
        return r;
    }

    /// <summary>Details and evidence: the SME, the institution concerned, the city's bureaus and the province (experts come with the expert pool).</summary>
    public static bool CanRead(VoucherPrincipal p, RedemptionEntity r) =>
        p.IsEnterprise(r.Uscc)
        || (p.Role == Role.Institution && p.Scope == r.InstitutionId)
        || ((p.Role is Role.CityBureau or Role.FinanceBureau) && string.Equals(p.Scope, r.CityCode, StringComparison.OrdinalIgnoreCase))
        || p.Role == Role.Province;

    /// <summary>The evidence files: everyone who may read the redemption except the finance bureau, which pays from the approved list.</summary>
    public static bool CanReadEvidence(VoucherPrincipal p, RedemptionEntity r) => CanRead(p, r) && p.Role != Role.FinanceBureau;

    public static Failure.NotFound NotFound(string redemptionId) => new($"兑付申请 {redemptionId} 不存在 (Redemption not found)");

    RedemptionRequested Requested(VoucherPrincipal caller, RedemptionEntity r, bool existing)
    {
        RedemptionLog.Requested(log, r.RedemptionId, caller.Actor, existing);
        return new RedemptionRequested(r, existing);
    }

    /// <summary>The enterprise's standing against the annual cap of its city's policy (read as soon as the policy is in).</summary>
    async Task<Ledger.CapStanding> StandingAsync(string uscc, Task<CityPolicy> policy, CancellationToken ct) =>
        await ledger.GetAsync(uscc, AnnualCap.YearOf(time.GetUtcNow().UtcDateTime), (await policy).AnnualCap, ct);

    static bool IsSameRequest(RedemptionEntity r, string contract, Cny paid, string institutionId) =>
        r.ContractNumber == contract && r.AmountPaidFen == paid.Fen && r.InstitutionId == institutionId;

    /// <summary>
    /// A request whose pay-out the annual cap would cut to zero is refused before anything is stored: 422 naming the cap,
    /// its year (the year a pay-out queued today counts toward, <see cref="AnnualCap.YearOf"/>) and what is granted and reserved.
    /// </summary>
    static Failure.Refused? CapRefusal(Ledger.CapStanding standing, CityPolicy policy)
    {
        if (!AnnualCap.LeavesNothing(standing.Cap, standing.Granted, standing.Reserved))
        {
            return null;
        }

        return new Failure.Refused(AnnualCap.RefusalText(standing.Year, standing.Cap, standing.Granted, standing.Reserved), new Dictionary<string, object?>
        {
            ["rule"] = "annual-cap",
            ["annualCap"] = new { year = standing.Year, cap = standing.Cap, granted = standing.Granted, reserved = standing.Reserved, remaining = standing.Remaining, policyVersion = policy.Version },
        });
    }
}

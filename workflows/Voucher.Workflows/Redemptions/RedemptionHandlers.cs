using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Voucher.Domain;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Http;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Redemptions;

public sealed record CreateRedemptionRequest(string? VoucherId, string? InstitutionId, string? ServiceId, bool? CooperativeRd, string? ContractNumber, decimal? AmountPaid, string? OrderId = null);

public sealed record CompleteUploadRequest(string? UploadId);

public sealed record BindingDecisionRequest(int? Round, bool? Confirm, string? Reason);

public sealed record ExtendBindingRequest(int? Round);

public sealed record CreateOutcome(RedemptionEntity? Redemption, bool Existing, IResult? Problem);

/// <summary>The redemption API: request, evidence (SAS or multipart), withdrawal, the bureau's extension, the institution's binding.</summary>
public sealed partial class RedemptionHandlers(
    RedemptionStore redemptions,
    VoucherRepository vouchers,
    VoucherStore store,
    PolicyStore policies,
    EvidenceStore evidence,
    AuditLog audit,
    RedemptionEvents events,
    Policies.CalendarStore calendars,
    Supervision.PolicyAdministration provincePolicy,
    Ledger.CapLedger ledger,
    TimeProvider time)
{
    public async Task<IResult> CreateAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<CreateRedemptionRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await CreateForAsync(ctx.Principal!, body!, ctx.Durable, ctx.Aborted);
        return outcome.Problem ?? Created(ctx, outcome.Redemption!, outcome.Existing);
    }

    /// <summary>Validates and starts a redemption (API and page share it): one orchestration per redemption.</summary>
    public async Task<CreateOutcome> CreateForAsync(VoucherPrincipal principal, CreateRedemptionRequest body, DurableTaskClient durable, CancellationToken ct)
    {
        static CreateOutcome Fail(IResult problem) => new(null, false, problem);

        // A request from a service order takes the order's details for the fields it leaves empty (marketplace).
        (body, var orderProblem) = await Marketplace.OrderPrefill.ApplyAsync(store, principal, body, ct);
        if (orderProblem is not null)
        {
            return Fail(orderProblem);
        }

        var errors = new List<FieldError>();
        var voucherId = JsonBody.Required(body.VoucherId, "voucherId", 40, errors);
        var institutionId = JsonBody.Required(body.InstitutionId, "institutionId", 64, errors);
        var contract = JsonBody.Required(body.ContractNumber, "contractNumber", 64, errors);
        Cny paid = Cny.Zero;
        if (body.AmountPaid is null)
        {
            errors.Add(new FieldError("amountPaid", "必填 (Required)"));
        }
        else if (!Cny.TryParseAmount(body.AmountPaid.Value, out paid, out var amountError))
        {
            errors.Add(new FieldError("amountPaid", amountError ?? "金额无效 (Invalid amount)"));
        }

        var cooperative = body.CooperativeRd ?? false;
        if (!cooperative && string.IsNullOrWhiteSpace(body.ServiceId))
        {
            errors.Add(new FieldError("serviceId", "请选择服务，或声明为合作研发 (Name the service, or set cooperativeRd)"));
        }

        if (cooperative && !string.IsNullOrWhiteSpace(body.ServiceId))
        {
            errors.Add(new FieldError("serviceId", "合作研发无需选择服务 (Leave serviceId empty for cooperative R&D)"));
        }

        if (errors.Count > 0)
        {
            return Fail(Problems.Validation(errors));
        }

        var voucher = await vouchers.GetAsync(voucherId!, ct);
        if (voucher is null)
        {
            return Fail(Problems.NotFound($"创新券 {voucherId} 不存在 (Voucher not found)"));
        }

        if (!EnterpriseHandlers.CanActFor(principal, voucher.Uscc) || principal.Role == Role.Province)
        {
            return Fail(Problems.Forbidden("此创新券不属于本企业 (This voucher belongs to another enterprise)"));
        }

        var today = ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);
        var status = VoucherRepository.StatusOf(voucher, today);
        if (status != VoucherStatus.Active)
        {
            return Fail(Problems.Unprocessable(status switch
            {
                VoucherStatus.Expired => $"创新券已于 {voucher.ExpiresOn} 过期，不能兑付 (The voucher expired on {voucher.ExpiresOn})",
                VoucherStatus.UsedUp => "创新券额度已用完 (The voucher is used up)",
                _ => "创新券已撤销 (The voucher was revoked)",
            }));
        }

        var institution = await store.GetAsync<InstitutionEntity>(VoucherStore.Institutions, institutionId!, InstitutionEntity.ProfileRow, ct);
        if (institution is null || !institution.Verified)
        {
            return Fail(Problems.Validation("institutionId", "服务机构不存在或未通过省中心核验 (Unknown or unverified institution)"));
        }

        ServiceEntity? service = null;
        if (!cooperative)
        {
            service = await store.GetAsync<ServiceEntity>(VoucherStore.Services, institution.InstitutionId, body.ServiceId!.Trim(), ct);
            if (service is null)
            {
                return Fail(Problems.Validation("serviceId", "该机构没有此服务 (The institution offers no such service)"));
            }
        }

        // The categories a voucher may pay for are province policy data (versioned, edited by the province centre).
        var category = service?.Category ?? "cooperative-rd";
        var province = await provincePolicy.GetProvinceAsync(ct);
        if (!province.EligibleCategories.Contains(category, StringComparer.Ordinal))
        {
            return Fail(Problems.Validation("serviceId",
                $"服务类别「{Voucher.Domain.Catalogue.ServiceCategories.NameOf(category)}」不在省级政策 v{province.Version} 的可兑付范围内 (Category '{category}' is not eligible for vouchers under province policy v{province.Version})"));
        }

        var enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, voucher.Uscc, EnterpriseEntity.ProfileRow, ct);
        var existing = (await redemptions.ForEnterpriseAsync(voucher.Uscc, ct)).Where(r => r.VoucherId == voucher.VoucherId).ToList();
        var open = existing.FirstOrDefault(r => !RedemptionTransitions.IsFinal(r.State));
        if (open is not null)
        {
            if (open.ContractNumber == contract && open.AmountPaidFen == paid.Fen && open.InstitutionId == institution.InstitutionId)
            {
                // The same request again: only a row left without its orchestration (a crash) is resumed.
                if (time.GetUtcNow() - open.SubmittedAt > TimeSpan.FromMinutes(1))
                {
                    await EnsureStartedAsync(open.RedemptionId, durable, ct);
                }

                return new(open, true, null);
            }

            return Fail(Problems.Conflict($"此创新券已有进行中的兑付申请 {open.RedemptionId} (An open redemption exists for this voucher)"));
        }

        var policy = await policies.GetCurrentAsync(voucher.CityCode, ct);
        if (await CapRefusalAsync(voucher.Uscc, policy, ct) is { } refused)
        {
            return Fail(refused);
        }

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
            ContractNumber = contract!,
            AmountPaidFen = paid.Fen,
            BindingMode = policy.BindingMode == BindingMode.Seal ? "seal" : "system",
            PolicyVersion = policy.Version,
            SubmittedAt = time.GetUtcNow(),
        };
        if (!await redemptions.TryCreateAsync(entity, ct))
        {
            // The same request, posted twice at once: the second caller gets the one the first created.
            var twin = await redemptions.GetAsync(entity.RedemptionId, ct);
            return twin is not null && twin.ContractNumber == entity.ContractNumber && twin.AmountPaidFen == entity.AmountPaidFen && twin.InstitutionId == entity.InstitutionId
                ? new(twin, true, null)
                : Fail(Problems.Conflict("兑付申请提交冲突，请重试 (Concurrent request; retry)"));
        }

        await audit.AppendAsync(AuditSubjects.Redemption(entity.RedemptionId), principal.Actor, entity.SubmittedAt, "", entity.Status.ToString(), policy.Version, "企业提交兑付申请 (requested)", ct);
        // This request inserted the row, so no orchestration of this id can exist yet: start without looking.
        await StartAsync(entity.RedemptionId, durable, ct);
        return new(entity, false, null);
    }

    /// <summary>
    /// A request whose pay-out the annual cap would cut to zero is refused before anything is stored: 422 naming the cap,
    /// its year (the year a pay-out queued today counts toward, <see cref="AnnualCap.YearOf"/>) and what is granted and reserved.
    /// </summary>
    async Task<IResult?> CapRefusalAsync(string uscc, CityPolicy policy, CancellationToken ct)
    {
        var standing = await ledger.GetAsync(uscc, AnnualCap.YearOf(time.GetUtcNow().UtcDateTime), policy.AnnualCap, ct);
        if (!AnnualCap.LeavesNothing(standing.Cap, standing.Granted, standing.Reserved))
        {
            return null;
        }

        return Problems.Unprocessable(AnnualCap.RefusalText(standing.Year, standing.Cap, standing.Granted, standing.Reserved), new Dictionary<string, object?>
        {
            ["rule"] = "annual-cap",
            ["annualCap"] = new { year = standing.Year, cap = standing.Cap, granted = standing.Granted, reserved = standing.Reserved, remaining = standing.Remaining, policyVersion = policy.Version },
        });
    }

    IResult Created(RequestContext ctx, RedemptionEntity r, bool existing)
    {
        var url = StatusUrl(r.RedemptionId);
        ctx.Http.Response.Headers.Location = url;
        return Results.Json(new
        {
            redemptionId = r.RedemptionId,
            status = r.Status,
            statusUrl = url,
            existing,
            evidence = EvidenceRules.Required.Select(k => new
            {
                kind = EvidenceRules.Slug(k),
                uploadUrlRequest = $"{url}/evidence/{EvidenceRules.Slug(k)}/sas",
                multipartUpload = $"{url}/evidence/{EvidenceRules.Slug(k)}",
            }),
        }, JsonBody.Response, statusCode: existing ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    static async Task EnsureStartedAsync(string redemptionId, DurableTaskClient durable, CancellationToken ct)
    {
        var instanceId = RedemptionStore.InstanceId(redemptionId);
        if (await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct) is not null)
        {
            return;
        }

        await StartAsync(redemptionId, durable, ct);
    }

    static async Task StartAsync(string redemptionId, DurableTaskClient durable, CancellationToken ct)
    {
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(nameof(RedemptionOrchestrator), new RedemptionWorkflowInput(redemptionId), new StartOrchestrationOptions(RedemptionStore.InstanceId(redemptionId)), ct);
        }
        catch (Exception e) when (e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
        {
            // Started by a concurrent request.
        }
    }

    public async Task<IResult> GetAsync(RequestContext ctx)
    {
        var (r, problem) = await LoadReadableAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }

        var files = await evidence.ListAsync(r!.RedemptionId, ctx.Aborted);
        var history = await audit.ReadRedemptionAsync(r.RedemptionId, r.BatchId, ctx.Aborted);
        var today = ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);
        var standing = RedemptionView.NextStep(r);
        var calendar = await calendars.CurrentAsync(ctx.Aborted);
        var bindingDeadline = BindingDeadlines.Of(r);
        return Results.Json(new
        {
            id = r.RedemptionId,
            r.Uscc,
            r.EnterpriseName,
            r.VoucherId,
            r.CityCode,
            r.InstitutionId,
            r.InstitutionName,
            r.ServiceId,
            r.ServiceTitle,
            r.ServiceCategory,
            r.CooperativeRd,
            r.ContractNumber,
            amountPaid = Cny.FromFen(r.AmountPaidFen),
            r.Status,
            statusText = RedemptionView.StatusText(r.State),
            waitingOn = standing.WaitingOn,
            nextStep = standing.Next,
            binding = new
            {
                mode = r.BindingMode,
                round = r.BindingRound,
                r.Bound,
                r.BoundAt,
                deadline = r.BindingDeadline,
                remainingWorkingDays = bindingDeadline is null || r.Bound ? (int?)null : calendar.WorkingDaysBetween(today, bindingDeadline.Deadline),
                deadlineProvisional = bindingDeadline?.Basis.Provisional == true,
                deadlineCalendar = bindingDeadline?.Basis.ToString(),
                r.DisputeReason,
            },
            evidence = EvidenceRules.Required.Select(k => files.FirstOrDefault(f => f.RowKey == EvidenceRules.Slug(k)) is { } f
                ? new { kind = f.RowKey, present = true, f.Size, f.Sha256, f.ContentType, f.UploadedAt, url = (string?)$"{StatusUrl(r.RedemptionId)}/evidence/{f.RowKey}" }
                : new { kind = EvidenceRules.Slug(k), present = false, Size = 0L, Sha256 = "", ContentType = "", UploadedAt = DateTimeOffset.MinValue, url = (string?)null }),
            evidenceComplete = r.EvidenceComplete,
            payout = RedemptionView.Computation(r),
            annualCap = RedemptionView.Computation(r) is not { } computed ? null : new
            {
                year = r.CapYear,
                capped = computed.CappedByAnnualLimit,
                beforeCap = computed.BeforeCap,
                capRemainingBefore = computed.CapRemainingBefore,
                payout = computed.Payout,
                note = AnnualCap.CappedNote(computed, r.CapYear),
            },
            r.PolicyVersion,
            stages = new
            {
                submitted = r.SubmittedAt,
                bound = r.BoundAt,
                evidenceComplete = r.EvidenceCompleteAt,
                queued = r.QueuedAt,
                batched = r.InBatchAt,
                reviewed = r.ReviewedAt,
                published = r.PublishedAt,
                payable = r.PayableAt,
                paid = r.PaidAt,
                withdrawn = r.WithdrawnAt,
            },
            r.BatchId,
            r.RejectReason,
            payment = r.PaidAt is null ? null : new { reference = r.PaymentReference, paidOn = r.PaidOn, finalPaid = Cny.FromFen(r.FinalPaidFen) },
            // A pre-payment is approved when queued and paid only once the finance bureau confirms it.
            advance = r.PrepaidFen <= 0 ? null : new { approved = Cny.FromFen(r.PrepaidFen), paid = r.AdvancePaidAt is not null, paidOn = r.AdvancePaidOn, reference = r.AdvanceReference },
            history = history.OrderBy(h => h.At).Select(h => new { h.At, h.Actor, from = h.FromState, to = h.ToState, h.PolicyVersion, h.Detail }),
        }, JsonBody.Response);
    }

    async Task<(RedemptionEntity?, IResult?)> LoadReadableAsync(RequestContext ctx)
    {
        var r = await redemptions.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (r is null)
        {
            return (null, Problems.NotFound($"兑付申请 {ctx.RouteValue("id")} 不存在 (Redemption not found)"));
        }

        return CanRead(ctx.Principal!, r) ? (r, null) : (null, Problems.Forbidden("无权查看此兑付申请 (Not your redemption, institution or city)"));
    }

    /// <summary>Evidence and details: the SME, the institution concerned, the city's bureaus and the province (experts come with the expert pool).</summary>
    public static bool CanRead(VoucherPrincipal p, RedemptionEntity r) =>
        p.IsEnterprise(r.Uscc)
        || (p.Role == Role.Institution && p.Scope == r.InstitutionId)
        || ((p.Role is Role.CityBureau or Role.FinanceBureau) && string.Equals(p.Scope, r.CityCode, StringComparison.OrdinalIgnoreCase))
        || p.Role == Role.Province;

    public static bool CanReadEvidence(VoucherPrincipal p, RedemptionEntity r) => CanRead(p, r) && p.Role != Role.FinanceBureau;

    public static string StatusUrl(string redemptionId) => $"/api/redemptions/{redemptionId}";
}

using System.Text.Json;
using Voucher.Domain;
using Voucher.Workflows.Redemptions;

namespace Voucher.Testing.Builders;

/// <summary>
/// A redemption row: by default the voucher's first, 10,000 yuan paid to a Taiyuan testing institution under a system
/// binding (round 1), submitted now, awaiting binding, policy version 1. A later status is the row's initial status (as a
/// stored row would read back); moves after that go through <see cref="RedemptionEntity.MoveTo"/>.
/// </summary>
public sealed class RedemptionBuilder(string uscc, string voucherId, string cityCode)
{
    int number = 1;
    string enterpriseName = "测试企业";
    string institutionId = "inst-test";
    string institutionName = "测试机构 Test Lab";
    string? serviceId;
    string serviceTitle = "检验检测 Testing";
    string serviceCategory = "testing";
    string? contract;
    Cny paid = Cny.FromYuan(10_000m);
    RedemptionStatus status = RedemptionStatus.AwaitingBinding;
    BindingMode binding = BindingMode.System;
    DateTimeOffset submittedAt = DateTimeOffset.UtcNow;
    int policyVersion = 1;
    readonly List<Action<RedemptionEntity>> more = [];

    /// <summary>The voucher's <paramref name="nth"/> redemption.</summary>
    public RedemptionBuilder Numbered(int nth)
    {
        number = nth;
        return this;
    }

    public RedemptionBuilder ByEnterprise(string name)
    {
        enterpriseName = name;
        return this;
    }

    public RedemptionBuilder AtInstitution(string id, string name)
    {
        institutionId = id;
        institutionName = name;
        return this;
    }

    public RedemptionBuilder ForService(string? id, string title, string category)
    {
        serviceId = id;
        serviceTitle = title;
        serviceCategory = category;
        return this;
    }

    public RedemptionBuilder UnderContract(string number)
    {
        contract = number;
        return this;
    }

    public RedemptionBuilder Paying(Cny amount)
    {
        paid = amount;
        return this;
    }

    public RedemptionBuilder InStatus(RedemptionStatus initial)
    {
        status = initial;
        return this;
    }

    public RedemptionBuilder BoundBy(BindingMode mode)
    {
        binding = mode;
        return this;
    }

    public RedemptionBuilder SubmittedAt(DateTimeOffset at)
    {
        submittedAt = at;
        return this;
    }

    public RedemptionBuilder UnderPolicy(int version)
    {
        policyVersion = version;
        return this;
    }

    /// <summary>Bound by the institution and its evidence complete, as a redemption is when it reaches the queue.</summary>
    public RedemptionBuilder BoundWithEvidence(DateTimeOffset? boundAt = null, DateTimeOffset? evidenceAt = null, string? boundBy = null) => With(r =>
    {
        r.Bound = true;
        r.BoundBy = boundBy ?? "institution:" + r.InstitutionId;
        r.BoundAt = boundAt;
        r.EvidenceComplete = true;
        r.EvidenceCompleteAt = evidenceAt;
    });

    /// <summary>The pay-out computed under the annual cap of <paramref name="capYear"/>, as the queue step stores it.</summary>
    public RedemptionBuilder WithPayout(PayoutComputation computation, int capYear) => With(r =>
    {
        r.CapYear = capYear;
        r.PayoutFen = computation.Payout.Fen;
        r.CappedFromFen = computation.CappedByAnnualLimit ? computation.BeforeCap.Fen : 0;
        r.PayoutJson = JsonSerializer.Serialize(computation);
    });

    /// <summary>Anything else the row should say (dates of later stages, batch, payment …).</summary>
    public RedemptionBuilder With(Action<RedemptionEntity> change)
    {
        more.Add(change);
        return this;
    }

    public RedemptionEntity Build()
    {
        var row = new RedemptionEntity
        {
            PartitionKey = uscc,
            RowKey = RedemptionStore.NewId(voucherId, number),
            EnterpriseName = enterpriseName,
            VoucherId = voucherId,
            CityCode = cityCode,
            InstitutionId = institutionId,
            InstitutionName = institutionName,
            ServiceId = serviceId,
            ServiceTitle = serviceTitle,
            ServiceCategory = serviceCategory,
            ContractNumber = contract ?? $"HT-{uscc[^6..]}-{number}",
            AmountPaidFen = paid.Fen,
            Status = status,
            Binding = binding,
            BindingRound = 1,
            PolicyVersion = policyVersion,
            SubmittedAt = submittedAt,
        };
        more.ForEach(change => change(row));
        return row;
    }
}

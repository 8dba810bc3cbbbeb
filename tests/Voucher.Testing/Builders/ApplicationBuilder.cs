using Voucher.Domain;
using Voucher.Workflows.Applications;

namespace Voucher.Testing.Builders;

/// <summary>
/// An application row: by default the enterprise's first of the year 2026 as the submission writes it (submitted now, no
/// face value asked for, so the policy's; no review round or policy version yet). A later status is the row's initial
/// status (as a stored row would read back); moves after that go through <see cref="ApplicationEntity.MoveTo"/>.
/// </summary>
public sealed class ApplicationBuilder(string uscc, string cityCode)
{
    string? id;
    int year = 2026;
    int sequence = 1;
    string name = "测试企业";
    ApplicationStatus status = ApplicationStatus.Submitted;
    Cny requested = Cny.Zero;
    int round;
    DateTimeOffset submittedAt = DateTimeOffset.UtcNow;
    string? submittedBy;
    int policyVersion;
    readonly List<Action<ApplicationEntity>> more = [];

    public ApplicationBuilder Named(string enterpriseName)
    {
        name = enterpriseName;
        return this;
    }

    /// <summary>The enterprise's <paramref name="nth"/> application of <paramref name="applicationYear"/>.</summary>
    public ApplicationBuilder Numbered(int applicationYear, int nth = 1)
    {
        year = applicationYear;
        sequence = nth;
        return this;
    }

    public ApplicationBuilder WithId(string applicationId)
    {
        id = applicationId;
        return this;
    }

    public ApplicationBuilder InStatus(ApplicationStatus initial)
    {
        status = initial;
        return this;
    }

    public ApplicationBuilder Requesting(Cny faceValue)
    {
        requested = faceValue;
        return this;
    }

    public ApplicationBuilder InRound(int reviewRound)
    {
        round = reviewRound;
        return this;
    }

    public ApplicationBuilder SubmittedAt(DateTimeOffset at, string? by = null)
    {
        submittedAt = at;
        submittedBy = by;
        return this;
    }

    public ApplicationBuilder UnderPolicy(int version)
    {
        policyVersion = version;
        return this;
    }

    /// <summary>Anything else the row should say (notification, decision, deadline …).</summary>
    public ApplicationBuilder With(Action<ApplicationEntity> change)
    {
        more.Add(change);
        return this;
    }

    public ApplicationEntity Build()
    {
        var row = new ApplicationEntity
        {
            PartitionKey = uscc,
            RowKey = id ?? ApplicationStore.NewId(uscc, year, sequence),
            EnterpriseName = name,
            CityCode = cityCode,
            Status = status,
            RequestedFaceValueFen = requested.Fen,
            Round = round,
            SubmittedAt = submittedAt,
            SubmittedBy = submittedBy,
            PolicyVersion = policyVersion,
        };
        more.ForEach(change => change(row));
        return row;
    }
}

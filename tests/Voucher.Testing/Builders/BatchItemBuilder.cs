using Voucher.Domain;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Settlement;

namespace Voucher.Testing.Builders;

/// <summary>
/// A batch item (one redemption in a batch's review list): by default undecided, for a Taiyuan enterprise at a test
/// institution. <see cref="From"/> copies what the batch shows of a redemption; a verdict goes through
/// <see cref="BatchItemEntity.Decide"/>.
/// </summary>
public sealed class BatchItemBuilder(string batchId, string redemptionId)
{
    readonly List<Action<BatchItemEntity>> more = [];
    string uscc = "91140100MA0L0ITEM1";
    string institutionId = "inst-test";
    string serviceCategory = "testing";

    public BatchItemBuilder Of(string enterpriseUscc, string institution, string category = "testing")
    {
        uscc = enterpriseUscc;
        institutionId = institution;
        serviceCategory = category;
        return this;
    }

    /// <summary>What the batch shows of <paramref name="r"/>: enterprise, institution, service, amounts, binding.</summary>
    public BatchItemBuilder From(RedemptionEntity r)
    {
        Of(r.Uscc, r.InstitutionId, r.ServiceCategory);
        return With(i =>
        {
            i.EnterpriseName = r.EnterpriseName;
            i.InstitutionName = r.InstitutionName;
            i.ServiceTitle = r.ServiceTitle;
            i.AmountPaidFen = r.AmountPaidFen;
            i.PayoutFen = r.PayoutFen;
            i.BindingMode = r.BindingMode;
        });
    }

    public BatchItemBuilder Decided(RowVerdict verdict, string by, string? reason = null) => With(i => i.Decide(verdict, reason, by));

    public BatchItemBuilder With(Action<BatchItemEntity> change)
    {
        more.Add(change);
        return this;
    }

    public BatchItemEntity Build()
    {
        var row = new BatchItemEntity
        {
            PartitionKey = batchId,
            RowKey = redemptionId,
            Uscc = uscc,
            InstitutionId = institutionId,
            ServiceCategory = serviceCategory,
        };
        more.ForEach(change => change(row));
        return row;
    }
}

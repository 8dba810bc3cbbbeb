using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Portal;

/// <summary>The guide's card on the money rules: the annual cap, the year a pay-out counts toward, and when a pre-payment counts as paid.</summary>
public static class GuideMoneyRules
{
    public static string Section(CityPolicy policy) => $"""
        <section class="card" id="annual-cap-rules"><h2>年度限额与计入年度 Annual cap and its year</h2>
        <p><strong>计入年度：</strong>{E(AnnualCap.YearRuleZh)}</p>
        <ul>
        <li>每家企业每个年度的补助合计不超过 {E(policy.AnnualCap.ToString())}（已拨付与在途预留合并计算）。</li>
        <li>提交兑付申请时，若当年限额已全部用完（核定金额将为零），申请不予受理，页面会列明限额、年度、已拨付和在途预留金额。</li>
        <li>进入结算队列时按剩余额度核定：剩余不足的，按剩余额度核定，并在兑付详情和批次审核中注明“受年度限额影响”；若其间限额已被其他兑付用完，该申请终止并通知企业，不会以零元进入结算。</li>
        <li>统计页“兑付资金进度”按计入年度统计各阶段金额；“兑付金额”按拨付日期所在年度统计，二者分别标明。</li>
        <li>事前兑付（守信企业）在进入结算队列时核定，财政局拨付并确认后才计为已拨付（统计、年度额度、信用记录同此）；未拨付的事前兑付不会被追回，最终拨付时按全额拨付。</li>
        </ul></section>
        """;
}

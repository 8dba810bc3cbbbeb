using Voucher.Domain;
using Voucher.Workflows.Supervision;

namespace Voucher.Demo;

/// <summary>Demo data of the supervision area: the paper's Table 1 as imported history, and a few inspection findings. Idempotent.</summary>
public sealed class SupervisionDemo(HistoryImport history, FindingsStore findings, TimeProvider time)
{
    public async Task SeedAsync(CancellationToken ct = default)
    {
        await history.ImportEmbeddedAsync(ct);
        var year = ChinaTime.DateOf(time.GetUtcNow()).Year;
        var existing = await findings.ForYearAsync(year, ct);
        if (existing.Any(x => x.Findings.Count > 0))
        {
            return;
        }

        var on = new DateOnly(year, 1, 15);
        await findings.AddAsync(new NewFinding("taiyuan", on, "observation", "兑付审核按月开展，批次审核平均用时较上年缩短。", "继续保持按月兑付，并在官网同步公示。"), "演示检查组", ct);
        await findings.AddAsync(new NewFinding("lvliang", on, "minor", "部分兑付申请的成果报告与合同服务内容不一致，退回补正比例偏高。", "对照服务类别审核标准加强事前指导。"), "演示检查组", ct);
        await findings.AddAsync(new NewFinding("datong", on, "major", "抽查发现 1 笔兑付的支付凭证与合同金额不符，已移交核查。", "完善支付凭证核验流程，必要时追回资金。"), "演示检查组", ct);
    }
}

using Deque.AxeCore.Commons;
using Xunit.Sdk;

namespace Voucher.Browser.Tests;

/// <summary>
/// The <see cref="LocalSite"/> of the redemption → settlement → publicity browser tests: the demo seed (institutions
/// such as inst-sxu with svc-icp-ms, the demo city policies), settlement "now" with a one-minute publicity window, and
/// only the test starts a settlement. It also carries the state the ordered tests hand to each other and the axe
/// results they collect.
/// </summary>
public sealed class SettlementSiteFixture() : LocalSite(new LocalSiteSettings
{
    TaskHubPrefix = "settlebrowser", SettleNow = true, OnlyTestsSettle = true, SeedDemoData = true,
})
{
    /// <summary>What the ordered tests pass on (voucher, redemption, batch).</summary>
    public SettlementScenario Scenario { get; } = new();

    /// <summary>Axe results collected on the pages as the flow reaches them; asserted by the last test.</summary>
    public List<SettlementAxeScan> AxeScans { get; } = [];

    /// <inheritdoc />
    protected override void ReleaseScenario()
    {
        Scenario.Enterprise?.Dispose();
        Scenario.Bureau?.Dispose();
    }
}

/// <summary>State handed from one ordered test to the next.</summary>
public sealed class SettlementScenario
{
    public const string EnterpriseName = "太原汾水精密检测科技有限公司";
    public const string ContactName = "赵思远";
    public const string ContactPhone = "13935187264";
    public const string InstitutionId = "inst-sxu";
    public const string ServiceId = "svc-icp-ms";
    public const decimal AmountPaid = 80_000m;

    /// <summary>80,000 paid on a 50,000 voucher at the default excess ratio 0.5: 50,000 + 30,000 × 0.5.</summary>
    public const string ExpectedPayout = "¥65,000.00";

    public string? Uscc { get; set; }

    public string? VoucherId { get; set; }

    public string? RedemptionId { get; set; }

    public string? BatchId { get; set; }

    /// <summary>The redemption reached Queued (test 1 done).</summary>
    public bool Queued { get; set; }

    /// <summary>The redemption reached Published (test 2 done).</summary>
    public bool Published { get; set; }

    public SiteClient? Enterprise { get; set; }

    public SiteClient? Bureau { get; set; }
}

/// <summary>One axe run: the page, the counts and the serious/critical findings (with fix hints).</summary>
public sealed record SettlementAxeScan(string Name, string Path, int Violations, IReadOnlyList<string> Blocking, IReadOnlyList<string> Other, IReadOnlyList<string> Incomplete)
{
    /// <summary>Summarises an axe result; serious and critical violations are "blocking".</summary>
    public static SettlementAxeScan From(string name, string path, AxeResult result)
    {
        static string Describe(AxeResultItem v) =>
            $"[{v.Impact}] {v.Id}: {v.Help} ({v.HelpUrl})" + string.Concat(v.Nodes.Take(5).Select(n =>
                $"{Environment.NewLine}      {n.Target}: {n.Html}{Fix(n)}"));
        static string Fix(AxeResultNode n)
        {
            var messages = (n.Any ?? []).Concat(n.All ?? []).Concat(n.None ?? []).Select(c => c.Message).Where(m => !string.IsNullOrWhiteSpace(m)).Distinct().ToList();
            return messages.Count == 0 ? "" : $"{Environment.NewLine}        fix: {string.Join(" | ", messages)}";
        }


        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").Select(Describe).ToList();
        var other = result.Violations.Where(v => v.Impact is not ("serious" or "critical")).Select(Describe).ToList();
        return new SettlementAxeScan(name, path, result.Violations.Length, blocking, other, result.Incomplete.Select(i => i.Id).ToList());
    }
}

/// <summary>Position of a test in an ordered flow (see <see cref="SettlementFlowOrderer"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SettlementStepAttribute(int step) : Attribute
{
    public int Step { get; } = step;
}

/// <summary>Runs the tests of a class in the order of their <see cref="SettlementStepAttribute"/>.</summary>
public sealed class SettlementFlowOrderer : ITestCaseOrderer
{
    public const string TypeName = "Voucher.Browser.Tests.SettlementFlowOrderer";
    public const string AssemblyName = "Voucher.Browser.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(t => StepOf(t)).ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);

    private static int StepOf(ITestCase testCase) =>
        testCase.TestMethod.Method.GetCustomAttributes(typeof(SettlementStepAttribute).AssemblyQualifiedName)
            .Select(a => a.GetConstructorArguments().FirstOrDefault() is int step ? step : int.MaxValue)
            .DefaultIfEmpty(int.MaxValue)
            .First();
}

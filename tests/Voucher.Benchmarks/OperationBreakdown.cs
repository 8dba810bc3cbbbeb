using System.Globalization;
using System.Text;

namespace Voucher.Benchmarks;

/// <summary>
/// Storage calls per lifecycle grouped by origin (the HTTP route or activity that made them, "engine" for the Durable
/// provider's own work) and kind ("table GET Applications(row)", "queue GET {hub}-control-NN/messages"…), from the
/// difference of two /dev/metrics snapshots: which steps and calls dominate the cost.
/// </summary>
internal sealed record OperationBreakdown(IReadOnlyDictionary<string, double> PerUnit)
{
    /// <summary>
    /// The status GETs a client polls with: their cost depends on the poll interval and the host's speed, not on the
    /// workflow. Since the status GETs answer an ETag (commit <c>dbad903</c>), the application's and redemption's read
    /// counts as <c>route:{name}</c> (<c>ConditionalGet</c>) rather than <c>http:{name}</c>; both are polling. A Durable
    /// client call a status GET makes (the settlement's instance) counts under the route too (<c>SidecarCallOrigin</c>).
    /// </summary>
    public static readonly IReadOnlySet<string> StatusPolling = new HashSet<string>(
        new[] { "GetApplication", "GetRedemption", "GetSettlement" }.SelectMany(r => new[] { Voucher.Workflows.Http.HttpDispatcher.OriginOf(r), "route:" + r }), StringComparer.Ordinal);

    /// <summary>
    /// The bare-engine baseline's status polling: its status route reads the instance through the Durable client, whose
    /// calls the host counts under the route's origin (<c>http:BaselineStatus</c>), as the product's status GETs count
    /// theirs (<c>http:GetSettlement</c> pays for the settlement instance it reads).
    /// </summary>
    public static readonly IReadOnlySet<string> BaselineStatusPolling = new HashSet<string>(StringComparer.Ordinal)
    {
        Voucher.Workflows.Http.HttpDispatcher.OriginOf(LocalHost.Baseline.BaselineRoutes.StatusName),
    };

    public static OperationBreakdown Between(HostMetrics before, HostMetrics after, double units)
    {
        var per = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, count) in after.Operations)
        {
            var delta = count - before.Operations.GetValueOrDefault(name);
            if (delta > 0)
            {
                per[Fold(name)] = per.GetValueOrDefault(Fold(name)) + delta / Math.Max(1.0, units);
            }
        }

        return new OperationBreakdown(per);
    }

    public static string OriginOf(string key) => key.Split('|', 2)[0];

    public static string OperationOf(string key) => key.Split('|', 2) is [_, var op] ? op : key;

    public IReadOnlyDictionary<string, double> ByOrigin() => Sum(OriginOf);

    public IReadOnlyDictionary<string, double> ByOperation() => Sum(OperationOf);

    /// <summary>Calls per unit made by the status polling routes (<paramref name="polling"/>, else <see cref="StatusPolling"/>), by service (table, queue, blob).</summary>
    public StorageTx PollingTx(IReadOnlySet<string>? polling = null)
    {
        var origins = polling ?? StatusPolling;
        double Service(string s) => PerUnit.Where(kv => origins.Contains(OriginOf(kv.Key)) && OperationOf(kv.Key).StartsWith(s + " ", StringComparison.Ordinal)).Sum(kv => kv.Value);
        return new StorageTx(Service("table"), Service("queue"), Service("blob"));
    }

    Dictionary<string, double> Sum(Func<string, string> key)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, v) in PerUnit)
        {
            sums[key(k)] = sums.GetValueOrDefault(key(k)) + v;
        }

        return sums;
    }

    /// <summary>Control-queue partitions are one cost: fold -control-00…-control-15 together.</summary>
    static string Fold(string name)
    {
        var i = name.IndexOf("-control-", StringComparison.Ordinal);
        return i < 0 || name.Length < i + 11 ? name : name[..(i + 9)] + "NN" + name[(i + 11)..];
    }

    /// <summary>Two Markdown tables: calls per unit by origin, then the <paramref name="top"/> largest (origin, kind) pairs.</summary>
    public static string Render(string title, IReadOnlyList<(string Column, OperationBreakdown Breakdown)> columns, int top = 30)
    {
        var sb = new StringBuilder();
        sb.Append(Table($"{title}: by origin", "Origin (route, activity; engine = the Durable provider's own calls)", columns.Select(c => (c.Column, c.Breakdown.ByOrigin())).ToList(), 100));
        sb.Append(Table($"{title}: largest (origin, call) pairs", "Origin | call", columns.Select(c => (c.Column, c.Breakdown.PerUnit)).ToList(), top));
        return sb.ToString();
    }

    static string Table(string title, string header, IReadOnlyList<(string Column, IReadOnlyDictionary<string, double> Values)> columns, int top)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"#### {title}");
        sb.AppendLine();
        var names = columns.SelectMany(c => c.Values.OrderByDescending(kv => kv.Value).Take(top).Select(kv => kv.Key))
            .Distinct().OrderByDescending(n => columns.Max(c => c.Values.GetValueOrDefault(n))).ToList();
        sb.AppendLine($"| {header} | " + string.Join(" | ", columns.Select(c => c.Column)) + " |");
        sb.AppendLine("|---|" + string.Concat(columns.Select(_ => "---:|")));
        foreach (var n in names)
        {
            sb.AppendLine(inv, $"| `{n.Replace("|", " · ", StringComparison.Ordinal)}` | {string.Join(" | ", columns.Select(c => c.Values.GetValueOrDefault(n).ToString("0.00", inv)))} |");
        }

        if (columns.Any(c => c.Values.Keys.Any(k => !names.Contains(k))))
        {
            sb.AppendLine(inv, $"| (the rest) | {string.Join(" | ", columns.Select(c => c.Values.Where(kv => !names.Contains(kv.Key)).Sum(kv => kv.Value).ToString("0.00", inv)))} |");
        }

        sb.AppendLine(inv, $"| **total** | {string.Join(" | ", columns.Select(c => c.Values.Values.Sum().ToString("0.00", inv)))} |");
        sb.AppendLine();
        return sb.ToString();
    }
}

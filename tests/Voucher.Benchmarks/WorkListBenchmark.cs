using System.Diagnostics;
using System.Globalization;

namespace Voucher.Benchmarks;

/// <summary>
/// The city bureau's work lists over the settled batch (called once from <see cref="SettlementRun"/> after the batch
/// closed, so the city partition of the redemption index holds every seeded redemption with its batch): the first page
/// of the redemption list, a filtered and sorted page, its .xlsx export, the batches list and the application list,
/// each requested 10 times after one warm-up, one at a time; prints the median and maximum. A measurement, not a test.
/// </summary>
internal static class WorkListBenchmark
{
    const int Repeats = 10;

    public static async Task RunAsync(HostApi api, Actor bureau)
    {
        (string Label, string Path)[] pages =
        [
            ("redemptions, first page (50)", "portal/work/redemptions"),
            ("redemptions, keyword + sort by pay-out, page 3", "portal/work/redemptions?q=R1&sort=payout&dir=desc&page=3"),
            ("redemptions, .xlsx of the whole list", "portal/work/redemptions?format=xlsx"),
            ("batches (counts and totals)", "portal/work/batches?tab=done"),
            ("applications", "portal/work/applications"),
        ];
        Console.WriteLine();
        Console.WriteLine("### Work lists over the settled city (one partition of the index per request)");
        Console.WriteLine();
        Console.WriteLine("| list | p50 ms | max ms | KB | status |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        foreach (var (label, path) in pages)
        {
            var warm = await api.GetAsync("worklist", bureau, path);
            var samples = new List<double>(Repeats);
            for (var i = 0; i < Repeats; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await api.GetAsync("worklist", bureau, path);
                samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }

            samples.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {samples[samples.Count / 2]:0} | {samples[^1]:0} | {warm.Body.Length / 1024.0:0} | {(int)warm.Status}{Total(warm.Body)} |"));
        }
    }

    /// <summary>The page's 共 N 条, to show the list held every row.</summary>
    static string Total(string body)
    {
        var at = body.IndexOf("共 <strong>", StringComparison.Ordinal);
        if (at < 0)
        {
            return "";
        }

        var start = at + "共 <strong>".Length;
        var end = body.IndexOf('<', start);
        return end > start ? $", 共 {body[start..end]} 条" : "";
    }
}

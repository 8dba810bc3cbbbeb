using System.Diagnostics;
using System.Globalization;

namespace Voucher.Benchmarks;

/// <summary>
/// The publicity notice of the settled batch (issue #18: the notice page and its .xlsx under 2 s for 10,000 items):
/// the first page of the notice (cold: the first read of the batch's rows; then warm), a later page, the printable
/// version and the .xlsx download, each once cold and then five times, printed as cold and median milliseconds with
/// the response size. Called once from <see cref="SettlementRun"/> after the batch went through publicity.
/// </summary>
internal static class NoticeBenchmark
{
    const int Repeats = 5;

    public static async Task RunAsync(HostApi api, string batchId, int items, CancellationToken ct)
    {
        var notice = $"publicity/notices/{Uri.EscapeDataString(batchId)}";
        var lastPage = Math.Max(1, (items + 499) / 500);
        Console.WriteLine($"== Publicity notice of {batchId} ({items:N0} rows) ==");
        foreach (var (label, path) in new[]
        {
            ("notice page 1", notice),
            ($"notice page {lastPage}", $"{notice}?page={lastPage}"),
            ("printable page 1", $"{notice}/print"),
            ("notice .xlsx", $"{notice}?format=xlsx"),
        })
        {
            ct.ThrowIfCancellationRequested();
            var (cold, size, ok) = await TimeAsync(api, path);
            var warm = new List<double>(Repeats);
            for (var i = 0; i < Repeats; i++)
            {
                warm.Add((await TimeAsync(api, path)).Ms);
            }

            warm.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {label,-18} cold {cold,7:0} ms · median {warm[Repeats / 2],7:0} ms · max {warm[^1],7:0} ms · {size / 1024.0,8:0.0} KB{(ok ? "" : " · FAILED")}"));
        }
    }

    static async Task<(double Ms, long Size, bool Ok)> TimeAsync(HostApi api, string path)
    {
        var watch = Stopwatch.StartNew();
        var response = await api.GetAsync("publicity-notice", null, path);
        return (watch.Elapsed.TotalMilliseconds, System.Text.Encoding.UTF8.GetByteCount(response.Body), response.Ok);
    }
}

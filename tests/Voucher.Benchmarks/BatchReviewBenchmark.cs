using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Voucher.Benchmarks;

/// <summary>The batch review at scale: first page (cold, then the median of 20), a filtered page, the filtered bulk approve.</summary>
internal sealed record BatchReviewFigures(double FirstPageColdMs, double FirstPageMedianMs, double FilteredPageMedianMs, double BulkApproveSeconds, int BulkDecided, double PageAfterBulkMs);

/// <summary>
/// Measures the bureau's batch review of a formed batch through its signed link (from its inbox) and decides every
/// row with one filtered bulk approve (<c>POST /api/settlements/{id}/bulk-decisions</c>, filter: the benchmark's
/// institution, undecided) instead of the 800-row decision calls. Called by <see cref="SettlementRun"/>.
/// </summary>
internal static partial class BatchReviewBenchmark
{
    public static BatchReviewFigures? Last { get; private set; }

    public static async Task DecideAsync(HostApi api, Actor bureau, string batchId, int items, string institutionId, CancellationToken ct)
    {
        var link = await ReviewLinkAsync(api, bureau, batchId, ct);
        var cold = await TimedGetAsync(api, "review-first-page-cold", link);
        var first = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            first.Add(await TimedGetAsync(api, "review-first-page", link));
        }

        var filtered = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            filtered.Add(await TimedGetAsync(api, "review-filtered-page", $"{link}?inst={institutionId}&min=100&state=undecided&sort=payout&dir=desc&page=3"));
        }

        var watch = Stopwatch.StartNew();
        var answer = await api.PostJsonAsync("bulk-approve-filtered", bureau, $"api/settlements/{batchId}/bulk-decisions", new
        {
            operationId = $"bench-{Guid.NewGuid():N}",
            decision = "approve",
            filter = new Dictionary<string, string> { ["inst"] = institutionId, ["state"] = "undecided" },
            expectedCount = items,
        });
        var seconds = watch.Elapsed.TotalSeconds;
        if (answer.Status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"bulk approve: {(int)answer.Status} {HostApi.Trim(answer.Body)}");
        }

        var decided = answer.Json().GetProperty("decided").GetInt32();
        var after = await TimedGetAsync(api, "review-first-page-after-bulk", link);
        Last = new BatchReviewFigures(cold, Percentiles.Of([.. first.Order()], 50), Percentiles.Of([.. filtered.Order()], 50), seconds, decided, after);
        Console.WriteLine($"   batch review: first page cold {cold:F0} ms, median of 20 {Last.FirstPageMedianMs:F0} ms; filtered page median {Last.FilteredPageMedianMs:F0} ms; " +
            $"filtered bulk approve of {items:N0}: {seconds:F1} s ({decided:N0} decided); first page after it {after:F0} ms");
        if (decided != items)
        {
            api.Latencies.Error("bulk-approve-filtered", $"decided {decided} of {items}");
        }
    }

    static async Task<double> TimedGetAsync(HostApi api, string kind, string path)
    {
        var watch = Stopwatch.StartNew();
        var r = await api.GetAsync(kind, null, path);
        var ms = watch.Elapsed.TotalMilliseconds;
        if (r.Status != HttpStatusCode.OK || !r.Body.Contains("结算批次", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{kind} {path}: {(int)r.Status} {HostApi.Trim(r.Body)}");
        }

        return ms;
    }

    /// <summary>The review link the bureau was sent (the notification <c>batch-review-{batchId}</c> in its inbox, /inbox).</summary>
    static async Task<string> ReviewLinkAsync(HostApi api, Actor bureau, string batchId, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var inbox = await api.GetAsync("inbox", bureau, "inbox");
            foreach (Match article in Article().Matches(inbox.Body))
            {
                if (WebUtility.HtmlDecode(article.Groups["id"].Value) == $"batch-review-{batchId}" && Link().Match(article.Groups["body"].Value) is { Success: true } href)
                {
                    return new Uri(WebUtility.HtmlDecode(href.Groups["href"].Value)).PathAndQuery.TrimStart('/');
                }
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"no review link for {batchId} in the bureau's inbox");
            }

            await Task.Delay(500, ct);
        }
    }

    [GeneratedRegex("<article class=\"[^\"]*\" data-notification=\"(?<id>[^\"]*)\"[^>]*>(?<body>.*?)</article>", RegexOptions.Singleline)]
    private static partial Regex Article();

    [GeneratedRegex("<a href=\"(?<href>[^\"]*/batches/[^\"]*)\"", RegexOptions.Singleline)]
    private static partial Regex Link();
}

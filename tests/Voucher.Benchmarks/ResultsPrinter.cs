using System.Globalization;
using System.Text;

namespace Voucher.Benchmarks;

/// <summary>The Markdown report: machine, command, lifecycle figures per N (with the 2N/N ratio), latencies, settlement at scale, targets.</summary>
internal static class ResultsPrinter
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(BenchmarkOptions options, string commandLine, IReadOnlyList<LifecycleResult> runs, IReadOnlyList<SettlementResult> settlements)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Results");
        sb.AppendLine();
        sb.AppendLine(Inv, $"- Machine: {Environment.ProcessorCount} logical CPUs (nproc), {MemTotal()} memory, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        sb.AppendLine(Inv, $"- Command: `{commandLine}`");
        sb.AppendLine(Inv, $"- Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}; status polling every {options.PollMilliseconds} ms per client; warm-up {options.WarmUp} application lifecycles (not counted); host extra env: {(options.HostEnvironment.Count == 0 ? "none" : string.Join(", ", options.HostEnvironment.Select(kv => kv.Key + "=" + kv.Value)))}");
        sb.AppendLine();

        if (runs.Count > 0)
        {
            sb.AppendLine("### Lifecycles");
            sb.AppendLine();
            var header = "| Figure | " + string.Join(" | ", runs.Select(r => $"N={r.N}")) + (runs.Count > 1 ? $" | {runs[^1].N}/{runs[0].N} ratio |" : " |");
            sb.AppendLine(header);
            sb.AppendLine("|---|" + string.Concat(runs.Select(_ => "---:|")) + (runs.Count > 1 ? "---:|" : ""));
            void Row(string name, Func<LifecycleResult, double> f, string format, bool ratio = true)
            {
                sb.Append("| ").Append(name).Append(" | ");
                sb.Append(string.Join(" | ", runs.Select(r => F(f(r), format))));
                if (runs.Count > 1)
                {
                    sb.Append(" | ").Append(ratio ? F(f(runs[^1]) / f(runs[0]), "0.00") + "×" : "");
                }

                sb.AppendLine(" |");
            }

            void Text(string name, Func<LifecycleResult, string> f)
            {
                sb.Append("| ").Append(name).Append(" | ").Append(string.Join(" | ", runs.Select(f)));
                sb.AppendLine(runs.Count > 1 ? " | |" : " |");
            }

            Text("Load average before → after (1/5/15 min)", r => $"{r.LoadBefore} → {r.LoadAfter}");
            Text("Concurrent clients", r => r.Concurrency.ToString(Inv));
            Text("Completed applications / paid redemptions", r => $"{r.ApplicationsCompleted} / {r.RedemptionsPaid}");
            Row("**Application lifecycles/s** (register → submit → review → approved, voucher issued)", r => r.ApplicationRate, "0.00");
            Row("Application phase: start → last approval (s)", r => r.ApplicationSeconds, "0.0");
            Text("Lifecycles stuck (timed out; see README, product findings): applications / redemptions", r => $"{r.N - r.ApplicationsCompleted} / {r.ApplicationsCompleted - r.RedemptionsQueued}");
            Row("**Redemption lifecycles/s** (active time: to Queued + settlement without the 60-s publicity timer + payment)", r => r.RedemptionRate, "0.00");
            Row("Redemption lifecycles/s incl. the 60-s publicity timer", r => r.RedemptionWallRate, "0.00");
            Row("Redemption: request → 3 uploads → binding → Queued, start → last Queued (s)", r => r.ToQueuedSeconds, "0.0");
            Row("… phase wall time incl. waiting out stuck ones (s)", r => r.ToQueuedPhaseSeconds, "0.0");
            Row("Settlement of 11 city batches in parallel, wall (s, incl. 60-s publicity)", r => r.SettlementWallSeconds, "0.0");
            Row("Payments, wall (s)", r => r.PaymentSeconds, "0.0");
            Row("Storage tx per application lifecycle: table", r => r.ApplicationTx.Table, "0.0");
            Row("… queue", r => r.ApplicationTx.Queue, "0.0");
            Row("… blob", r => r.ApplicationTx.Blob, "0.0");
            Row("… **total**", r => r.ApplicationTx.Total, "0.0");
            Row("… of which status polling (calls made by the status GET routes)", r => r.ApplicationTx.Total - r.ApplicationTxWithoutPolls.Total, "0.0");
            Row("… total without polling", r => r.ApplicationTxWithoutPolls.Total, "0.0");
            Row("Storage tx per redemption lifecycle (idle polling of the publicity wait removed): table", r => r.RedemptionTx.Table, "0.0");
            Row("… queue", r => r.RedemptionTx.Queue, "0.0");
            Row("… blob", r => r.RedemptionTx.Blob, "0.0");
            Row("… **total**", r => r.RedemptionTx.Total, "0.0");
            Row("… of which status polling (application, redemption and settlement status GETs)", r => r.RedemptionTx.Total - r.RedemptionTxWithoutPolls.Total, "0.0");
            Row("… total without status polling", r => r.RedemptionTxWithoutPolls.Total, "0.0");
            Row("Status GETs per application / per redemption", r => r.ApplicationPollsPerLifecycle, "0.0");
            Row("Storage tx per GET /api/applications/{id} / per GET /api/redemptions/{id}", r => r.TxPerApplicationGet.Total, "0.0");
            Text("  (redemption: GETs, tx per GET)", r => $"{F(r.RedemptionPollsPerLifecycle, "0.0")}, {F(r.TxPerRedemptionGet.Total, "0.0")}");
            Text("Storage tx per unchanged GET with If-None-Match (304s of 20): application / redemption", r => $"{F(r.TxPerApplication304.Total, "0.00")} ({r.Application304s}) / {F(r.TxPerRedemption304.Total, "0.00")} ({r.Redemption304s})");
            Row("Idle host storage tx/s (Durable queue polling, outbox sweep): total", r => r.IdlePerSecond.Total, "0.0");
            Row("Storage ceiling (Azurite, this process, C workers): table upserts/s", r => r.Ceiling.TableOpsPerSecond, "0");
            Row("… queue sends/s", r => r.Ceiling.QueueOpsPerSecond, "0");
            Row("… blob uploads/s", r => r.Ceiling.BlobOpsPerSecond, "0");
            Row("Application lifecycles/s the storage could bear (1 / Σ tx_s/ceiling_s)", r => r.Ceiling.LifecyclesPerSecond(r.ApplicationTx), "0.0");
            Row("**Our application rate as a fraction of that**", r => r.ApplicationRate / r.Ceiling.LifecyclesPerSecond(r.ApplicationTx), "0.0%");
            Row("Redemption lifecycles/s the storage could bear", r => r.Ceiling.LifecyclesPerSecond(r.RedemptionTx), "0.0");
            Row("**Our redemption rate as a fraction of that**", r => r.RedemptionRate / r.Ceiling.LifecyclesPerSecond(r.RedemptionTx), "0.0%");
            Row("Peak working set of the host (MB)", r => r.HostPeakBytes / 1048576.0, "0");
            Row("Peak RSS of Azurite (MB)", r => (r.AzuritePeakBytes ?? 0) / 1048576.0, "0");
            sb.AppendLine();

            sb.Append(OperationBreakdown.Render("Storage calls per application lifecycle (status polling included)",
                [.. runs.Select(r => ($"N={r.N}", r.ApplicationOperations))], options.Pairs));
            sb.Append(OperationBreakdown.Render("Storage calls per redemption lifecycle (incl. its share of 11 settlements, status polling and the publicity wait's idle polling)",
                [.. runs.Select(r => ($"N={r.N}", r.RedemptionOperations))], options.Pairs));

            if (runs.Any(r => r.Baseline is not null))
            {
                sb.Append(RenderBaseline(runs.Where(r => r.Baseline is not null).ToList()));
            }

            sb.AppendLine("### Latency per API call kind (ms: median / p90 / p99, count)");
            sb.AppendLine();
            var kinds = runs.SelectMany(r => r.Latencies.Select(l => l.Kind)).Distinct().Order(StringComparer.Ordinal).ToList();
            sb.AppendLine("| Call | " + string.Join(" | ", runs.Select(r => $"N={r.N}")) + " |");
            sb.AppendLine("|---|" + string.Concat(runs.Select(_ => "---:|")));
            foreach (var kind in kinds)
            {
                sb.Append("| ").Append(kind).Append(" | ");
                sb.Append(string.Join(" | ", runs.Select(r => r.Latencies.FirstOrDefault(l => l.Kind == kind) is { } l
                    ? $"{F(l.P50, "0")} / {F(l.P90, "0")} / {F(l.P99, "0")} ({l.Count}{(l.Errors > 0 ? $", {l.Errors} non-2xx" : "")})"
                    : "–")));
                sb.AppendLine(" |");
            }

            sb.AppendLine();
            foreach (var r in runs.Where(r => r.ErrorExamples.Count > 0))
            {
                sb.AppendLine(Inv, $"Errors at N={r.N} (first {r.ErrorExamples.Count}):");
                foreach (var e in r.ErrorExamples.Take(8))
                {
                    sb.AppendLine("    " + e.ReplaceLineEndings(" "));
                }

                sb.AppendLine();
            }
        }

        if (settlements.Count > 0)
        {
            sb.AppendLine("### Settlement at scale (one city-period batch, seeded queued redemptions)");
            sb.AppendLine();
            sb.AppendLine("| Figure | " + string.Join(" | ", settlements.Select(s => $"{s.Size:N0}")) + " |");
            sb.AppendLine("|---|" + string.Concat(settlements.Select(_ => "---:|")));
            void SRow(string name, Func<SettlementResult, string> f) => sb.AppendLine($"| {name} | {string.Join(" | ", settlements.Select(f))} |");
            SRow("Load average before → after", s => $"{s.LoadBefore} → {s.LoadAfter}");
            SRow("Items in the batch", s => s.Timing.Items.ToString("N0", Inv));
            SRow("**Settlement time without the 60-s publicity timer (s)**", s => F(s.Timing.ActiveSeconds, "0.0"));
            SRow("… start → batch formed and frozen, review open (s)", s => F(s.Timing.FormSeconds, "0.0"));
            SRow("… row decisions saved through the API, 800 per call (s)", s => F(s.Timing.DecisionsSeconds, "0.0"));
            SRow("… submit → decisions applied, publicity open (s)", s => F(s.Timing.DecideSeconds, "0.0"));
            SRow("… publicity timer fired → payable, closed (s)", s => F(s.Timing.CloseSeconds, "0.0"));
            SRow("Wall time incl. publicity (s)", s => F(s.Timing.WallSeconds, "0.0"));
            SRow("**Peak working set of the host (MB)** (after start-up → after settlement)", s => $"{F(s.HostPeakBeforeBytes / 1048576.0, "0")} → {F(s.HostPeakBytes / 1048576.0, "0")}");
            SRow("… host's highest RSS per stage: formed / decisions / decided / closed (MB, sampled each second)", s =>
                string.Join(" / ", s.HostRssByStage.Select(b => F(b / 1048576.0, "0"))));
            SRow("Peak RSS of Azurite (MB)", s => F((s.AzuritePeakBytes ?? 0) / 1048576.0, "0"));
            SRow("CPU seconds during the settlement: host / Azurite (per 1,000 items)", s =>
                $"{F(s.CpuSeconds.Host, "0")} / {F(s.CpuSeconds.Azurite, "0")} ({F(s.CpuSeconds.Host * 1000 / s.Size, "0.0")} / {F(s.CpuSeconds.Azurite * 1000 / s.Size, "0.0")})");
            SRow("Storage tx per settled redemption (table / queue / blob)", s => $"{F(s.Tx.Table / s.Size, "0.0")} / {F(s.Tx.Queue / s.Size, "0.00")} / {F(s.Tx.Blob / s.Size, "0.00")}");
            SRow("Queue rows left / rows payable after the close (from the records)", s => $"{s.Outcome.LeftInQueue:N0} / {s.Outcome.Payable:N0}");
            SRow("Seeding time (not part of the settlement, s)", s => F(s.SeedSeconds, "0.0"));
            SRow("save-batch-decisions latency median / p99 (ms)", s => s.Latencies.FirstOrDefault(l => l.Kind == "save-batch-decisions") is { } l ? $"{F(l.P50, "0")} / {F(l.P99, "0")}" : "–");
            SRow("Errors", s => s.ErrorExamples.Count == 0 ? "none" : string.Join("; ", s.ErrorExamples.Take(3)).ReplaceLineEndings(" "));
            sb.AppendLine();
            sb.Append(OperationBreakdown.Render("Storage calls per settled redemption", [.. settlements.Select(s => ($"{s.Size:N0}", s.Operations))], 30));
            if (settlements.All(s => s.AzuriteProfile is not null))
            {
                sb.Append(AzuriteProfile.Render([.. settlements.Select(s => (s.Size, s.AzuriteProfile!))], 15));
            }
        }

        sb.AppendLine("### Against the targets");
        sb.AppendLine();
        foreach (var r in runs)
        {
            var bearable = r.Ceiling.LifecyclesPerSecond(r.ApplicationTx);
            var submit = r.Latencies.FirstOrDefault(l => l.Kind == "submit-application");
            sb.AppendLine(Inv, $"- N={r.N}, C={r.Concurrency}: application rate {F(r.ApplicationRate, "0.00")}/s = {F(r.ApplicationRate / bearable, "0.0%")} of the storage-bearable {F(bearable, "0.0")}/s (target ≥ 50%: {(r.ApplicationRate >= bearable / 2 ? "met" : "missed")}); " +
                $"submission p99 {F(submit?.P99 ?? double.NaN, "0")} ms (target < 150 ms at C=50: {(submit is not null && submit.P99 < 150 ? "met" : "missed")}); " +
                $"storage tx per application lifecycle {F(r.ApplicationTx.Total, "0.0")} (target < 60: {(r.ApplicationTx.Total < 60 ? "met" : "missed")}; without status polling {F(r.ApplicationTxWithoutPolls.Total, "0.0")}: {(r.ApplicationTxWithoutPolls.Total < 60 ? "met" : "missed")})");
        }

        foreach (var r in runs)
        {
            if (BaselineComparison.Of(r) is { } c)
            {
                sb.AppendLine(Inv, $"- N={r.N}, C={r.Concurrency}, against the bare-engine baseline of the same run: " +
                    $"rate {F(c.RateRatio, "0.00")}× (target ≥ {F(BaselineComparison.MinRateRatio, "0.0")}×: {BaselineComparison.Verdict(c.RateMet)}); " +
                    $"submission p99 {F(c.LatencyRatio, "0.00")}× the baseline start's (target ≤ {F(BaselineComparison.MaxLatencyRatio, "0.0")}×: {BaselineComparison.Verdict(c.LatencyMet)}); " +
                    $"storage calls {F(c.CallsRatioWithoutPolling, "0.00")}× without status polling (target ≤ {F(BaselineComparison.MaxCallsRatio, "0.0")}×: {BaselineComparison.Verdict(c.CallsWithoutPollingMet)}), " +
                    $"{F(c.CallsRatio, "0.00")}× with it ({BaselineComparison.Verdict(c.CallsMet)})");
            }
        }

        foreach (var s in settlements)
        {
            var time = s.Size == 10_000 ? $" (target < 120 s: {(s.Timing.ActiveSeconds < 120 ? "met" : "missed")})" : "";
            sb.AppendLine(Inv, $"- Settlement of {s.Size:N0}: {F(s.Timing.ActiveSeconds, "0.0")} s{time}, host peak {F(s.HostPeakBytes / 1048576.0, "0")} MB (target < 1024 MB: {(s.HostPeakBytes < 1L << 30 ? "met" : "missed")})");
            if (settlements.FirstOrDefault(n => n.Size * 2 == s.Size) is { } half)
            {
                var ratio = s.Timing.ActiveSeconds / half.Timing.ActiveSeconds;
                sb.AppendLine(Inv, $"- Settlement time 2N/N ({s.Size:N0} / {half.Size:N0}): {F(ratio, "0.00")}× (target ≤ 2.05×: {(ratio <= 2.05 ? "met" : "missed")}); " +
                    $"storage calls {F(s.Tx.Total / half.Tx.Total, "0.00")}×, CPU of the host {F(s.CpuSeconds.Host / half.CpuSeconds.Host, "0.00")}×, " +
                    $"of Azurite {F(s.CpuSeconds.Azurite / half.CpuSeconds.Azurite, "0.00")}×");
            }
        }

        return sb.ToString();
    }

    /// <summary>The baseline's figures next to the application lifecycle's, the three ratios with PASS/MISS, and both breakdowns by origin.</summary>
    static string RenderBaseline(IReadOnlyList<LifecycleResult> runs)
    {
        var sb = new StringBuilder();
        sb.AppendLine("### Bare-engine baseline (issue #20 item 3)");
        sb.AppendLine();
        sb.AppendLine("Same host process, engine, Azurite, clients (C) and polling interval, N lifecycles before the application lifecycles: " +
            "`POST bench/baseline/{id}` (202) → poll `GET bench/baseline/{id}` until waiting for \"approve\" → `POST …/approve` (202) → poll until completed; " +
            "the orchestration calls one activity that writes one table row. No sign-in or membership: only the engine's own calls.");
        sb.AppendLine();
        sb.AppendLine("| Figure | " + string.Join(" | ", runs.Select(r => $"N={r.N}")) + " |");
        sb.AppendLine("|---|" + string.Concat(runs.Select(_ => "---:|")));
        void Row(string name, Func<LifecycleResult, BaselineResult, BaselineComparison, string> f) =>
            sb.AppendLine($"| {name} | {string.Join(" | ", runs.Select(r => f(r, r.Baseline!, BaselineComparison.Of(r)!)))} |");
        string Latency(LifecycleResult r, string kind) => r.Latencies.FirstOrDefault(l => l.Kind == kind) is { } l ? $"{F(l.P50, "0")} / {F(l.P90, "0")} / {F(l.P99, "0")}" : "–";
        string Judged(double ratio, bool? met) => $"{F(ratio, "0.00")}× **{BaselineComparison.Verdict(met)}**";

        Row("Completed baseline lifecycles (of N)", (_, b, _) => b.Completed.ToString(Inv));
        Row("**Baseline lifecycles/s** (start → last completion) / application lifecycles/s", (r, b, _) => $"**{F(b.Rate, "0.00")}** / {F(r.ApplicationRate, "0.00")}");
        Row("Baseline start latency median / p90 / p99 (ms)", (r, _, _) => Latency(r, "baseline-start"));
        Row("Application submission latency median / p90 / p99 (ms)", (r, _, _) => Latency(r, "submit-application"));
        Row("Storage calls per baseline lifecycle: total (table / queue / blob)", (_, b, _) => $"{F(b.Tx.Total, "0.0")} ({F(b.Tx.Table, "0.0")} / {F(b.Tx.Queue, "0.0")} / {F(b.Tx.Blob, "0.0")})");
        Row("… of which status polling / **without polling**", (_, b, _) => $"{F(b.Tx.Total - b.TxWithoutPolls.Total, "0.0")} / **{F(b.TxWithoutPolls.Total, "0.0")}**");
        Row("Storage calls per application lifecycle: total / without polling", (r, _, _) => $"{F(r.ApplicationTx.Total, "0.0")} / {F(r.ApplicationTxWithoutPolls.Total, "0.0")}");
        Row("Status GETs per lifecycle: baseline / application", (r, b, _) => $"{F(b.PollsPerLifecycle, "0.0")} / {F(r.ApplicationPollsPerLifecycle, "0.0")}");
        Row($"**Application rate ÷ baseline rate** (target ≥ {F(BaselineComparison.MinRateRatio, "0.0")}×)", (_, _, c) => Judged(c.RateRatio, c.RateMet));
        Row($"**Submission p99 ÷ baseline start p99** (target ≤ {F(BaselineComparison.MaxLatencyRatio, "0.0")}×)", (_, _, c) => Judged(c.LatencyRatio, c.LatencyMet));
        Row($"**Storage calls ÷ baseline's, without status polling** (target ≤ {F(BaselineComparison.MaxCallsRatio, "0.0")}×)", (_, _, c) => Judged(c.CallsRatioWithoutPolling, c.CallsWithoutPollingMet));
        Row("… with status polling", (_, _, c) => Judged(c.CallsRatio, c.CallsMet));
        sb.AppendLine();
        sb.Append(OperationBreakdown.Render("Storage calls per lifecycle, application vs bare-engine baseline (status polling included)",
            [.. runs.SelectMany(r => new[] { ($"application N={r.N}", r.ApplicationOperations), ($"baseline N={r.N}", r.Baseline!.Operations) })], top: 80));
        return sb.ToString();
    }

    static string F(double v, string format) => double.IsNaN(v) || double.IsInfinity(v) ? "–" : v.ToString(format, Inv);

    static string MemTotal()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kb = long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], Inv);
            return $"{kb / 1048576.0:0.0} GiB";
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException)
        {
            return "unknown";
        }
    }
}

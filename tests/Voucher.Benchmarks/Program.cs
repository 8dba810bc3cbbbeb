namespace Voucher.Benchmarks;

/// <summary>
/// The Voucher performance benchmark: see README.md. Runs N and 2N lifecycles against a fresh Azurite + local host
/// each, optionally a settlement of one seeded city-period batch, and prints a Markdown report.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Contains("--stats-read"))
        {
            return await StatsReadBenchmark.RunAsync(args, CancellationToken.None);
        }

        if (args.Length > 0 && args[0] == "--pages")
        {
            return await PageTimingsBenchmark.RunAsync(args, CancellationToken.None);
        }

        if (args.Contains("--hosts"))
        {
            return await ScaleOutBenchmark.RunAsync(args, CancellationToken.None);
        }

        if (args.Length > 0 && args[0] == "--search")
        {
            return await SearchBenchmark.RunAsync(args, CancellationToken.None);
        }

        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            if (e.Message != "help")
            {
                Console.Error.WriteLine(e.Message);
            }

            Console.WriteLine(BenchmarkOptions.Usage);
            return e.Message == "help" ? 0 : 2;
        }

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };

        var command = "dotnet run -c Release --project tests/Voucher.Benchmarks --" + (args.Length == 0 ? "" : " " + string.Join(' ', args));
        var runs = new List<LifecycleResult>();
        var settlements = new List<SettlementResult>();
        try
        {
            if (!options.SkipLifecycles)
            {
                foreach (var n in options.SingleRun ? [options.N] : new[] { options.N, options.N * 2 })
                {
                    runs.Add(await new LifecycleRun(options, n).RunAsync(cts.Token));
                    Console.WriteLine(ResultsPrinter.Render(options, command, runs, settlements));
                }
            }

            foreach (var size in options.SettlementSizes)
            {
                settlements.Add(await new SettlementRun(options, size).RunAsync(cts.Token));
            }
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Cancelled; printing what was measured.");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException)
        {
            Console.Error.WriteLine($"Stopped: {e.Message}{Environment.NewLine}Printing what was measured.");
        }

        var report = ResultsPrinter.Render(options, command, runs, settlements);
        Console.WriteLine();
        Console.WriteLine(report);
        if (options.OutputFile is not null)
        {
            await File.WriteAllTextAsync(options.OutputFile, report);
        }

        return 0;
    }
}

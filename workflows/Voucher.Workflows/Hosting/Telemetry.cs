using System.Diagnostics;

namespace Voucher.Workflows.Hosting;

/// <summary>
/// Tracing, the same in both hosts: the sources whose spans make up a trace, from the HTTP request through the
/// orchestration to each activity and storage call. The hosts add the exporter (Azure Monitor in Azure; the console or
/// OTLP locally).
/// </summary>
public static class Telemetry
{
    /// <summary>The application's own spans.</summary>
    public const string SourceName = "Voucher";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Every source a trace is made of: ours, the Durable Task SDK's (orchestrations, activities, events) and the Azure SDK's.</summary>
    public static IReadOnlyList<string> Sources { get; } = [SourceName, "Microsoft.DurableTask", "DurableTask.Core", "Azure.*"];

    /// <summary>The service name traces are reported under.</summary>
    public const string ServiceName = "voucher";
}

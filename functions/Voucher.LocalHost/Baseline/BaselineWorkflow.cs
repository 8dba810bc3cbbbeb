using Azure.Data.Tables;
using Microsoft.DurableTask;
using Voucher.Workflows.Storage;

namespace Voucher.LocalHost.Baseline;

/// <summary>
/// The benchmark's bare-engine baseline (issue #20 item 3): the smallest approval workflow — start, wait for the
/// <see cref="ApproveEvent"/> event, one activity that writes one table row, done — on the same engine, storage and
/// process as the product's workflows, so the benchmark can state the application lifecycle's rate, latency and storage
/// calls as ratios to what the engine itself costs. Not a product feature: the local host registers it and maps its
/// routes (<see cref="BaselineRoutes"/>) only when <see cref="Setting"/> is true (the benchmark sets
/// <c>Benchmark__Baseline=true</c>); the Functions app has none of it.
/// </summary>
public static class BaselineWorkflow
{
    /// <summary>Off unless set to true: the benchmark's host environment is the only place that turns it on.</summary>
    public const string Setting = "Benchmark:Baseline";

    public const string ApproveEvent = "approve";

    /// <summary>The orchestration's custom status while it waits for <see cref="ApproveEvent"/>.</summary>
    public const string Waiting = "waiting";

    /// <summary>The one table the baseline writes (a row per decision), created when the baseline is enabled.</summary>
    public const string Table = "BenchBaseline";

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue(Setting, false);

    /// <summary>A client's id becomes an instance id of its own namespace, apart from the product's instances.</summary>
    public static string InstanceId(string id) => "baseline-" + id;

    public static void AddTo(DurableTaskRegistry registry)
    {
        registry.AddOrchestrator<BaselineApproval>();
        registry.AddActivity<BaselineRecordDecision>();
    }

    /// <summary>Creates the baseline's table before the first request, as the product's tables are (not counted in a run).</summary>
    public static Task PrepareAsync(IServiceProvider services) =>
        services.GetRequiredService<VoucherStore>().Table(Table).CreateIfNotExistsAsync();
}

public sealed record BaselineInput(string Id);

public sealed record BaselineDecision(string Id, bool Approved, DateTime DecidedAtUtc);

/// <summary>Start → wait for approval → one activity → done; deterministic (time from the context), no timers.</summary>
public sealed class BaselineApproval : TaskOrchestrator<BaselineInput, bool>
{
    public override async Task<bool> RunAsync(TaskOrchestrationContext context, BaselineInput input)
    {
        context.SetCustomStatus(BaselineWorkflow.Waiting);
        var approved = await context.WaitForExternalEvent<bool>(BaselineWorkflow.ApproveEvent);
        return await context.CallActivityAsync<bool>(nameof(BaselineRecordDecision), new BaselineDecision(input.Id, approved, context.CurrentUtcDateTime));
    }
}

/// <summary>
/// The one real storage write a decision makes: an upsert of the decision's row, idempotent when the activity runs again.
/// Its calls are counted under its own origin, as the product's activities are.
/// </summary>
public sealed class BaselineRecordDecision(VoucherStore store) : TaskActivity<BaselineDecision, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, BaselineDecision input)
    {
        using var origin = StorageMetrics.Attribute("activity:" + nameof(BaselineRecordDecision));
        await store.Table(BaselineWorkflow.Table).UpsertEntityAsync(
            new TableEntity(input.Id, "decision") { ["Approved"] = input.Approved, ["DecidedAtUtc"] = input.DecidedAtUtc },
            TableUpdateMode.Replace);
        return input.Approved;
    }
}

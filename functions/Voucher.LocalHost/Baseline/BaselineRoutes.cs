using System.Text.RegularExpressions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Http;
using Voucher.Workflows.Storage;

namespace Voucher.LocalHost.Baseline;

/// <summary>
/// The baseline's HTTP routes, bare: no sign-in, membership or audit — only the engine's own calls — so they measure the
/// engine, not the product. Start (<c>POST bench/baseline/{id}</c>, 202), status (<c>GET bench/baseline/{id}</c>: runtime
/// status and whether it waits for approval) and approve (<c>POST bench/baseline/{id}/approve</c>, 202). Their storage
/// calls are all the sidecar's for one Durable client call each, counted under the route's origin
/// (<see cref="HttpDispatcher.OriginOf"/>: <c>http:BaselineStart</c>, <c>http:BaselineStatus</c> — the status polling —,
/// <c>http:BaselineApprove</c>) as the product's routes count theirs (<see cref="Hosting.SidecarCallOrigin"/>), so the
/// benchmark measures both sides alike.
/// </summary>
public static partial class BaselineRoutes
{
    public const string Prefix = "bench/baseline";

    public const string StartName = "BaselineStart";
    public const string StatusName = "BaselineStatus";
    public const string ApproveName = "BaselineApprove";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/" + Prefix + "/{id}", async (string id, DurableTaskClient durable, CancellationToken ct) =>
        {
            if (!ValidId().IsMatch(id))
            {
                return BadId();
            }

            await durable.ScheduleNewOrchestrationInstanceAsync(nameof(BaselineApproval), new BaselineInput(id), new StartOrchestrationOptions(BaselineWorkflow.InstanceId(id)), ct);
            return Results.Accepted($"/{Prefix}/{id}", new { id });
        }).WithName(StartName).AddEndpointFilter(Attributed(StartName));

        endpoints.MapGet("/" + Prefix + "/{id}", async (string id, DurableTaskClient durable, CancellationToken ct) =>
        {
            if (!ValidId().IsMatch(id))
            {
                return BadId();
            }

            // The sidecar reads the whole instance row either way; it returns the custom status only with the payloads.
            var instance = await durable.GetInstanceAsync(BaselineWorkflow.InstanceId(id), getInputsAndOutputs: true, ct);
            return instance is null
                ? Problems.NotFound("No baseline instance with this id")
                : Results.Json(new
                {
                    id,
                    status = instance.RuntimeStatus.ToString(),
                    waiting = instance.RuntimeStatus == OrchestrationRuntimeStatus.Running && instance.ReadCustomStatusAs<string>() == BaselineWorkflow.Waiting,
                });
        }).WithName(StatusName).AddEndpointFilter(Attributed(StatusName));

        endpoints.MapPost("/" + Prefix + "/{id}/approve", async (string id, DurableTaskClient durable, CancellationToken ct) =>
        {
            if (!ValidId().IsMatch(id))
            {
                return BadId();
            }

            await durable.RaiseEventAsync(BaselineWorkflow.InstanceId(id), BaselineWorkflow.ApproveEvent, true, ct);
            return Results.Accepted($"/{Prefix}/{id}");
        }).WithName(ApproveName).AddEndpointFilter(Attributed(ApproveName));
    }

    /// <summary>Everything the route does, its Durable client call included, counts under its origin.</summary>
    static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> Attributed(string routeName) =>
        async (context, next) =>
        {
            using var origin = StorageMetrics.Attribute(HttpDispatcher.OriginOf(routeName));
            return await next(context);
        };

    static IResult BadId() => Problems.Validation("id", "1–64 letters, digits or '-'");

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex ValidId();
}

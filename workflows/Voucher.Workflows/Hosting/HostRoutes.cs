using Voucher.Workflows.Readiness;

namespace Voucher.Workflows.Hosting;

/// <summary>
/// The host's own probes and the API's description (<c>/api/openapi.json</c>, <see cref="OpenApiDocumentBuilder"/>): liveness (<c>healthz</c>), readiness (<c>healthz/ready</c>, also under its first name
/// <c>readyz</c>: storage, the task hub, the working-day calendar, the sign-in — <see cref="ReadinessProbe"/>) and, in the
/// local host only, the storage call counts.
/// </summary>
public static class HostRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        new("Health", "GET", "healthz", Access.Public, _ => Task.FromResult(Results.Text("ok"))),
        RouteDef.For<ReadinessProbe>("Ready", "GET", "healthz/ready", Access.Public, (h, c) => h.ReadyAsync(c)),
        RouteDef.For<ReadinessProbe>("ReadyAlias", "GET", "readyz", Access.Public, (h, c) => h.ReadyAsync(c)),
        new("OpenApi", "GET", "api/openapi.json", Access.Public, _ => Task.FromResult(OpenApiDocumentBuilder.Serve())) { Contract = ApiContract.Get<JsonObjectResponse>() },

        RouteDef.For<StorageMetrics>("DevMetrics", "GET", "dev/metrics", Access.Public, (m, _) => Task.FromResult(Results.Json(m.Snapshot(), JsonBody.Response)), localOnly: true),
    ];
}

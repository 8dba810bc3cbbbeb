using Voucher.Workflows.Policies;

namespace Voucher.Workflows.Hosting;

/// <summary>
/// The host's own probes and the API's description (<c>/api/openapi.json</c>, <see cref="OpenApiDocumentBuilder"/>): liveness, readiness (which reports a missing working-day calendar, so its handler is
/// <see cref="CalendarPages"/>) and, in the local host only, the storage call counts.
/// </summary>
public static class HostRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        new("Health", "GET", "healthz", Access.Public, _ => Task.FromResult(Results.Text("ok"))),
        RouteDef.For<CalendarPages>("Ready", "GET", "readyz", Access.Public, (h, c) => h.ReadyAsync(c)),
        new("OpenApi", "GET", "api/openapi.json", Access.Public, _ => Task.FromResult(OpenApiDocumentBuilder.Serve())) { Contract = ApiContract.Get<JsonObjectResponse>() },

        RouteDef.For<StorageMetrics>("DevMetrics", "GET", "dev/metrics", Access.Public, (m, _) => Task.FromResult(Results.Json(m.Snapshot(), JsonBody.Response)), localOnly: true),
    ];
}

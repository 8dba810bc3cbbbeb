namespace Voucher.Workflows.Web;

/// <summary>The portal's static files (stylesheet and script).</summary>
public static class WebRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<StaticAssets>("StaticAsset", "GET", "static/{file}", Access.Public, (h, c) => h.ServeAsync(c)),
    ];
}

using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Voucher.Workflows.Web;

/// <summary>
/// The portal's stylesheet and script, embedded in the assembly (<c>Web/Static</c>) and served at <c>/static/…</c> by
/// both hosts. Each area may add its own <c>css/*.css</c> or <c>js/*.js</c> file; they are joined in file-name order into
/// one <c>portal.css</c> and one <c>portal.js</c>. Links carry the content's hash (<see cref="Href"/>), so a response
/// for the current version is cached for a year and a new deployment is fetched at once.
/// </summary>
public sealed class StaticAssets
{
    const string Prefix = "Voucher.Static/";

    static readonly FrozenDictionary<string, Asset> Assets = Load();

    public sealed record Asset(byte[] Content, string ContentType, string Version);

    /// <summary>The URL of <paramref name="name"/> with its version, for the layout's links.</summary>
    public static string Href(string name) =>
        Assets.TryGetValue(name, out var asset) ? $"/static/{name}?v={asset.Version}" : throw new ArgumentException($"No static asset '{name}'", nameof(name));

    public static Asset? Find(string name) => Assets.GetValueOrDefault(name);

    public Task<IResult> ServeAsync(RequestContext ctx)
    {
        var name = ctx.RouteValue("file");
        if (Find(name) is not { } asset)
        {
            return Task.FromResult(Pages.NotFound(ctx.Principal, "没有这个文件。"));
        }

        var response = ctx.Http.Response;
        var etag = $"\"{asset.Version}\"";
        response.Headers.ETag = etag;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = ctx.Request.Query["v"] == asset.Version ? "public, max-age=31536000, immutable" : "public, max-age=300";
        if (ctx.Request.Headers.IfNoneMatch == etag)
        {
            return Task.FromResult(Results.StatusCode(StatusCodes.Status304NotModified));
        }

        return Task.FromResult(Results.Bytes(asset.Content, asset.ContentType));
    }

    static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var names = assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        return new Dictionary<string, Asset>
        {
            ["portal.css"] = Join(assembly, names.Where(n => n.StartsWith(Prefix + "css/", StringComparison.Ordinal)), "text/css; charset=utf-8"),
            ["portal.js"] = Join(assembly, names.Where(n => n.StartsWith(Prefix + "js/", StringComparison.Ordinal)), "text/javascript; charset=utf-8"),
        }.ToFrozenDictionary();
    }

    static Asset Join(Assembly assembly, IEnumerable<string> resources, string contentType)
    {
        using var joined = new MemoryStream();
        foreach (var name in resources)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            stream.CopyTo(joined);
            joined.WriteByte((byte)'\n');
        }

        var content = joined.ToArray();
        return new Asset(content, contentType, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    }
}

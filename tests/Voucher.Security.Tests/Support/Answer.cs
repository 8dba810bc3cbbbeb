using System.Text.Json;

namespace Voucher.Security.Tests.Support;

/// <summary>An HTTP answer with its body text.</summary>
public sealed record Answer(HttpStatusCode Status, string Body, string? Location, string? ContentType)
{
    public int Code => (int)Status;

    public JsonElement Json()
    {
        using var doc = JsonDocument.Parse(Body);
        return doc.RootElement.Clone();
    }

    public override string ToString()
    {
        var main = Body.IndexOf("<main", StringComparison.Ordinal);
        var text = main >= 0 ? Body[main..] : Body;
        return $"{Code} {ContentType} {(Location is null ? "" : "→ " + Location + " ")}{(text.Length > 900 ? text[..900] + "…" : text)}";
    }
}

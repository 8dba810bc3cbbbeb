using Microsoft.AspNetCore.Components;

namespace Voucher.Workflows.Web;

/// <summary>Transitional: markup built in C# by an area not yet moved to Razor, as a fragment a component can show.</summary>
public static class Fragments
{
    public static RenderFragment Markup(string html) => builder => builder.AddMarkupContent(0, html);
}

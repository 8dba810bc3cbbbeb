using Microsoft.AspNetCore.Components;

namespace Voucher.Workflows.Portal;

/// <summary>A section of links on a home page; <see cref="Fragment"/> renders it (nothing when there are no links).</summary>
public sealed record LinkSectionModel(string Title, IReadOnlyList<(string Href, string Text)> Links)
{
    public RenderFragment Fragment => builder =>
    {
        builder.OpenComponent<LinkSection>(0);
        builder.AddComponentParameter(1, nameof(LinkSection.Model), this);
        builder.CloseComponent();
    };
}

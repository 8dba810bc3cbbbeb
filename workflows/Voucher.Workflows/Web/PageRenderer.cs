using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;

namespace Voucher.Workflows.Web;

/// <summary>
/// Renders Razor components to HTML on the server (<see cref="HtmlRenderer"/>), the same in both hosts. Every page is
/// its component inside <see cref="Shell"/>, the one layout. Chinese stays readable in the page source: the renderer's
/// encoder escapes markup characters only.
/// </summary>
public sealed class PageRenderer(IServiceProvider services, ILoggerFactory loggers)
{
    readonly IServiceProvider rendererServices = new EncoderServices(services);

    /// <summary>The encoder every page uses: markup characters escaped, Chinese left as it is.</summary>
    public static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Renders <typeparamref name="TComponent"/> alone (component tests, fragments).</summary>
    public Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent =>
        RenderAsync(typeof(TComponent), parameters);

    public async Task<string> RenderAsync(Type component, IDictionary<string, object?> parameters)
    {
        await using var renderer = new HtmlRenderer(rendererServices, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync(component, ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
    }

    /// <summary>A page: <paramref name="page"/> with its parameters as the body of the layout.</summary>
    public Task<string> RenderPageAsync(ShellModel shell, Type page, IReadOnlyDictionary<string, object?> parameters)
    {
        RenderFragment body = builder =>
        {
            builder.OpenComponent(0, page);
            builder.AddMultipleAttributes(1, parameters!);
            builder.CloseComponent();
        };
        return RenderAsync<Shell>(new Dictionary<string, object?> { [nameof(Shell.Model)] = shell, [nameof(Shell.Body)] = body });
    }

    /// <summary>The application's services, with the page encoder in place of the default one.</summary>
    sealed class EncoderServices(IServiceProvider inner) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(HtmlEncoder) ? Encoder : inner.GetService(serviceType);
    }
}

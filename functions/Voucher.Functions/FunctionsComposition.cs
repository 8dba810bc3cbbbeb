using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Voucher.Workflows.Hosting;
using Voucher.Workflows.Security;

namespace Voucher.Functions;

/// <summary>
/// The Functions app's composition root, called by <c>Program.cs</c> and by the composition test (which builds the
/// host from it against Azurite without running it): the refusal of the sample link key, the workflows' services, App Service Authentication's principal,
/// the start-up initializer, the membership feed's poller, the route runner of the HTTP functions and OpenTelemetry.
/// </summary>
public static class FunctionsComposition
{
    public static FunctionsApplicationBuilder AddVoucherFunctions(this FunctionsApplicationBuilder builder)
    {
        // Outside Development the app does not start on the public sample link key (LinkKey).
        LinkKey.RefuseSampleKeyOutsideDevelopment(builder.Configuration);
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddVoucherWorkflows(builder.Configuration);
        builder.Services.AddSingleton<IPrincipalSource, AppServiceAuthPrincipalSource>();
        builder.Services.AddHostedService<StartupInitializer>();
        // Every instance keeps its own membership cache, so every instance reads the change feed (not a timer: one instance runs those).
        builder.Services.AddHostedService<Voucher.Workflows.Accounts.MembershipFeedService>();
        builder.Services.AddSingleton<Http.RouteRunner>();

        // Traces and logs in OpenTelemetry (host.json: telemetryMode), the worker's spans joined to the host's invocation, with
        // the same sources as the local host; exported to Application Insights (the connection string the Bicep provisions).
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(Telemetry.ServiceName))
            .WithTracing(t => t.AddSource([.. Telemetry.Sources]))
            .UseFunctionsWorkerDefaults();
        if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            telemetry.UseAzureMonitorExporter();
        }

        return builder;
    }
}

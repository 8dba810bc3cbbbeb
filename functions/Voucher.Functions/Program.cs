using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Voucher.Functions;
using Voucher.Workflows.Hosting;
using Voucher.Workflows.Security;

var builder = FunctionsApplication.CreateBuilder(args);
LinkKey.RefuseSampleKeyOutsideDevelopment(builder.Configuration);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddVoucherWorkflows(builder.Configuration);
builder.Services.AddSingleton<IPrincipalSource, AppServiceAuthPrincipalSource>();
builder.Services.AddHostedService<StartupInitializer>();
builder.Services.AddSingleton<Voucher.Functions.Http.RouteRunner>();

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

builder.Build().Run();

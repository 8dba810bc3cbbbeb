using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Voucher.Functions;
using Voucher.Workflows.Hosting;
using Voucher.Workflows.Security;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddVoucherWorkflows(builder.Configuration);
builder.Services.AddSingleton<IPrincipalSource, AppServiceAuthPrincipalSource>();
builder.Services.AddHostedService<StartupInitializer>();
builder.Services.AddSingleton<Voucher.Functions.Http.RouteRunner>();
builder.Build().Run();

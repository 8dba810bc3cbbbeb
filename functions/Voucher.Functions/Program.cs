using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Voucher.Functions;

// Everything the app registers is in FunctionsComposition (the composition test builds the host from it).
FunctionsApplication.CreateBuilder(args).AddVoucherFunctions().Build().Run();

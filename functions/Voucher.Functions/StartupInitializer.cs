using Microsoft.Extensions.Hosting;
using Voucher.Workflows.Hosting;

namespace Voucher.Functions;

/// <summary>Creates the application's tables and seeds missing city policies when the worker starts.</summary>
public sealed class StartupInitializer(StorageInitializer initializer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => initializer.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

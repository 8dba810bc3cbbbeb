namespace Voucher.Workflows.Tests.Support;

/// <summary>
/// The real Durable Task engine in process (in-memory orchestration service behind the gRPC sidecar) running the
/// production orchestrators and activities over their own Azurite. Tests share it and isolate themselves by
/// enterprise (USCC = partition) and city (inbox address).
/// </summary>
public class DurableHostFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private DurableTaskTestHost? _host;

    public DurableTaskTestHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public IServiceProvider Services => Host.Services;

    public DurableTaskClient Client => Host.Client;

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public string Prefix { get; } = AzuriteFixture.UniqueName("wf")[..14];

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _host = await DurableTaskTestHost.StartAsync(
            WorkflowCatalog.AddTo,
            new DurableTaskTestHostOptions
            {
                ConfigureServices = s =>
                {
                    ConfigureBefore(s);
                    WorkflowServices.Add(s, _azurite, Prefix);
                },
            });
        await Services.GetRequiredService<StorageInitializer>().InitializeAsync();
    }

    /// <summary>Services registered before the application's own (which only add what is missing).</summary>
    protected virtual void ConfigureBefore(IServiceCollection services)
    {
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}

/// <summary>
/// The same engine where no year's holiday arrangement is published yet (no shipped years seeded): every deadline is
/// provisional until a test publishes the year it falls in.
/// </summary>
public sealed class UnpublishedCalendarHostFixture : DurableHostFixture
{
    protected override void ConfigureBefore(IServiceCollection services) => services.AddSingleton(new Voucher.Workflows.Policies.CalendarSeed([]));
}

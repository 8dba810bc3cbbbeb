namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// Like <see cref="DurableHostFixture"/> (the real Durable engine in process over its own Azurite), with the demo
/// settlement settings: the timer settles the current period cut "now", and publicity lasts one minute instead of
/// the policy's working days. One instance per test class (class fixture), so the classes run side by side.
/// </summary>
public sealed class SettlementHostFixture : IAsyncLifetime
{
    public const int PublicityWindowMinutes = 1;

    private readonly AzuriteFixture _azurite = new();
    private DurableTaskTestHost? _host;

    public DurableTaskTestHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public IServiceProvider Services => Host.Services;

    /// <summary>The Azurite the host's store is on (a test may open a second, counted store on it).</summary>
    public AzuriteFixture Azurite => _azurite;

    public string Prefix { get; } = AzuriteFixture.UniqueName("st")[..14];

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _host = await DurableTaskTestHost.StartAsync(
            WorkflowCatalog.AddTo,
            new DurableTaskTestHostOptions { ConfigureServices = Add });
        await Services.GetRequiredService<StorageInitializer>().InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    /// <summary>The registrations of <see cref="WorkflowServices.Add"/> with the two settlement settings added.</summary>
    void Add(IServiceCollection services)
    {
        services.AddSingleton(new VoucherStore(_azurite.Tables, _azurite.Blobs, Prefix));
        services.AddLogging();
        services.AddSingleton(Mock.Of<IPrincipalSource>());
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(WorkflowServices.Configuration(_azurite, Prefix))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Voucher:SettlementCutoff"] = "now",
                ["Voucher:PublicityWindowMinutes"] = PublicityWindowMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            })
            .Build();
        services.AddVoucherWorkflows(configuration);
    }
}

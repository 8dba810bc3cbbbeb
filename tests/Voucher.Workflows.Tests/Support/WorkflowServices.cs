namespace Voucher.Workflows.Tests.Support;

/// <summary>The production service registrations over an Azurite instance, isolated by a table prefix.</summary>
public static class WorkflowServices
{
    public const string PublicBaseUrl = "https://voucher.test.example";

    /// <summary>A fixed 32-byte signing key (tests only).</summary>
    public static readonly byte[] SigningKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static IConfiguration Configuration(AzuriteFixture azurite, string taskHub) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Voucher:LinkSigningKey"] = Convert.ToBase64String(SigningKey),
            ["Voucher:PublicBaseUrl"] = PublicBaseUrl,
            ["VoucherStorage"] = azurite.ConnectionString,
            ["TaskHubName"] = taskHub,
        }).Build();

    /// <summary>
    /// Registers <see cref="ServiceCollectionExtensions.AddVoucherWorkflows"/> with a <see cref="VoucherStore"/> whose
    /// tables carry <paramref name="prefix"/> (pre-registered: the extension only TryAdds it), plus the pieces a host adds.
    /// </summary>
    public static IServiceCollection Add(IServiceCollection services, AzuriteFixture azurite, string prefix, TimeProvider? time = null)
    {
        services.AddSingleton(new VoucherStore(azurite.Tables, azurite.Blobs, prefix));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddLogging();
        services.AddSingleton(Mock.Of<IPrincipalSource>());
        services.AddVoucherWorkflows(Configuration(azurite, prefix));
        return services;
    }

    /// <summary>A service provider for repository-level tests, tables created and policies seeded.</summary>
    public static async Task<ServiceProvider> BuildAsync(AzuriteFixture azurite, string prefix, TimeProvider? time = null)
    {
        var provider = Add(new ServiceCollection(), azurite, prefix, time).BuildServiceProvider(validateScopes: true);
        await provider.GetRequiredService<StorageInitializer>().InitializeAsync();
        return provider;
    }
}

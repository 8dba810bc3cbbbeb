using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Voucher.LocalHost.Azurite;
using Xunit;

namespace Voucher.Testing;

/// <summary>
/// One in-memory Azurite per fixture instance, on ports the OS chooses (the pinned Azurite is installed first if
/// needed). Share it across a test class with <c>IClassFixture&lt;AzuriteFixture&gt;</c>, or across classes with a
/// collection; xunit only discovers collection definitions in the test assembly itself, so add these three lines
/// to each test project that wants one:
/// <code>
/// [CollectionDefinition("azurite")]
/// public sealed class AzuriteCollection : ICollectionFixture&lt;AzuriteFixture&gt;
/// { }
/// </code>
/// and mark the classes <c>[Collection("azurite")]</c>. Tests sharing one instance should use
/// <see cref="NewName"/> for their tables, containers and task hubs so they do not see each other's data.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteInstance? _azurite;
    private TableServiceClient? _tables;
    private BlobServiceClient? _blobs;

    /// <summary>Optional logger for install and start messages (set before xunit calls <see cref="InitializeAsync"/>, e.g. in a derived fixture).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The running instance (ports, output).</summary>
    public AzuriteInstance Azurite => _azurite ?? throw NotStarted();

    /// <summary>Connection string with explicit endpoints for the development account.</summary>
    public string ConnectionString => Azurite.ConnectionString;

    /// <summary>Table service client for this instance.</summary>
    public TableServiceClient Tables => _tables ?? throw NotStarted();

    /// <summary>Blob service client for this instance.</summary>
    public BlobServiceClient Blobs => _blobs ?? throw NotStarted();

    /// <summary>How long start-up took (install check + Azurite start).</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>
    /// A unique name valid as a table name, task hub name, blob container or queue name: the ASCII letters and digits
    /// of <paramref name="prefix"/> (at most 24, lower-cased, "t" prepended if it would not start with a letter)
    /// followed by 20 random hex characters — at most 45 characters.
    /// </summary>
    public string NewName(string prefix) => UniqueName(prefix);

    /// <summary>Same as <see cref="NewName"/>, usable without a fixture.</summary>
    public static string UniqueName(string prefix)
    {
        var clean = new string((prefix ?? string.Empty).Where(char.IsAsciiLetterOrDigit).Take(24).ToArray()).ToLowerInvariant();
        if (clean.Length == 0 || !char.IsAsciiLetter(clean[0]))
        {
            clean = ("t" + clean)[..Math.Min(clean.Length + 1, 24)];
        }

        return clean + Guid.NewGuid().ToString("N")[..20];
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var script = await AzuriteInstaller.EnsureInstalledAsync(RepoRoot.Find(), Logger, cts.Token).ConfigureAwait(false);
        _azurite = await AzuriteInstance.StartAsync(script, new AzuriteOptions(), Logger, cts.Token).ConfigureAwait(false);
        _tables = new TableServiceClient(_azurite.ConnectionString);
        _blobs = new BlobServiceClient(_azurite.ConnectionString);
        StartupTime = watch.Elapsed;
    }

    /// <summary>
    /// Stops Azurite, after checking that every status change the tests recorded in its audit tables is one the domain's
    /// transition tables allow (<see cref="RecordedTransitions"/>): a test run that moved an aggregate the wrong way fails.
    /// </summary>
    public async Task DisposeAsync()
    {
        if (_azurite is null)
        {
            return;
        }

        IReadOnlyList<string> illegal;
        try
        {
            illegal = await RecordedTransitions.IllegalAsync(Tables).ConfigureAwait(false);
        }
        finally
        {
            await _azurite.DisposeAsync().ConfigureAwait(false);
        }

        if (illegal.Count > 0)
        {
            throw new InvalidOperationException("Audited transitions the domain's tables do not allow:" + Environment.NewLine + string.Join(Environment.NewLine, illegal));
        }
    }

    private static InvalidOperationException NotStarted() =>
        new("AzuriteFixture is not initialised: use it as an xunit fixture (IClassFixture / ICollectionFixture) or call InitializeAsync first.");
}

using Voucher.LocalHost.Azurite;

namespace Voucher.Browser.Tests;

/// <summary>
/// One headless Chromium (Debian's <c>/usr/bin/chromium</c>, driven by Playwright's bundled driver — no
/// <c>playwright install</c> needed) shared by the "browser" collection. Each <see cref="NewPageAsync"/> gets its own
/// browser context, so cookies and storage do not leak between tests.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>The Chromium binary from Debian's <c>chromium</c> package.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Launch arguments verified on these machines.</summary>
    public static readonly IReadOnlyList<string> ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--disable-dev-shm-usage",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The launched browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("BrowserFixture is not initialised: use it through [Collection(\"browser\")].");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}. Install it with " +
                "'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium' (tests/run-all.sh does this when run as root).");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A new page in a fresh browser context (own cookies and storage).</summary>
    public async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options);
        return await context.NewPageAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>Shares one <see cref="BrowserFixture"/> across every class marked <c>[Collection("browser")]</c>.</summary>
[CollectionDefinition("browser")]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
}

/// <summary>Saves full-page screenshots as PNG artifacts.</summary>
public static class Screenshots
{
    /// <summary>Environment variable naming the artifacts root; screenshots go to its <c>screenshots/</c> folder.</summary>
    public const string ArtifactsVariable = "VOUCHER_ARTIFACTS";

    /// <summary>
    /// The screenshot folder: <c>$VOUCHER_ARTIFACTS/screenshots</c> when the variable is set, otherwise
    /// <c>tests/Voucher.Browser.Tests/bin/artifacts/screenshots</c> under the repository root.
    /// </summary>
    public static string Directory
    {
        get
        {
            var root = Environment.GetEnvironmentVariable(ArtifactsVariable);
            if (string.IsNullOrWhiteSpace(root))
            {
                root = Path.Combine(RepoRoot.Find(), "tests", "Voucher.Browser.Tests", "bin", "artifacts");
            }

            return Path.Combine(Path.GetFullPath(root), "screenshots");
        }
    }

    /// <summary>Writes a full-page PNG named after <paramref name="name"/> (unsafe characters replaced) and returns its path.</summary>
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var invalid = Path.GetInvalidFileNameChars();
        var safe = new string((string.IsNullOrWhiteSpace(name) ? "screenshot" : name)
            .Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c).ToArray());
        if (!safe.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            safe += ".png";
        }

        var dir = Directory;
        System.IO.Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, safe);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Type = ScreenshotType.Png });
        return path;
    }
}

namespace Voucher.Browser.Tests;

/// <summary>
/// What every browser test does around its steps, once: pages in fresh contexts on the site (closed at the end),
/// timed step lines, the axe findings it collects, and on failure a screenshot of every open page and the local
/// host's output tail. A test class holds one per test (xunit makes a class instance per test).
/// </summary>
public sealed class BrowserRun(BrowserFixture browser, LocalSite site, ITestOutputHelper output)
{
    private readonly List<IPage> _pages = [];

    /// <summary>Time since the run started.</summary>
    public Stopwatch Watch { get; } = Stopwatch.StartNew();

    /// <summary>Serious and critical axe violations found by <see cref="ScanAsync"/>.</summary>
    public StringBuilder Findings { get; } = new();

    /// <summary>Writes a line prefixed with the elapsed seconds.</summary>
    public void Step(string what) => output.WriteLine($"{Watch.Elapsed.TotalSeconds,6:0.0} s  {what}");

    /// <summary>A page in a fresh browser context (own cookies) whose relative URLs resolve against the site, in Chinese.</summary>
    public async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = site.BaseUrl;
        options.Locale = "zh-CN";
        var page = await browser.NewPageAsync(options);
        page.Context.SetDefaultTimeout(Portal.ActionTimeoutMs);
        SetDefaultExpectTimeout(Portal.ActionTimeoutMs);
        _pages.Add(page);
        return page;
    }

    /// <summary>Closes a page's context before the end of the run.</summary>
    public async Task ClosePageAsync(IPage page)
    {
        await page.Context.CloseAsync();
        _pages.Remove(page);
    }

    /// <summary>Runs a test body; on failure saves a screenshot of every open page and prints the host's output tail.</summary>
    public async Task RunAsync(string testName, Func<Task> body)
    {
        Watch.Restart();
        output.WriteLine($"site {site.BaseUrl} (started in {site.StartupTime.TotalSeconds:0.0} s, scenario {site.ScenarioTime.TotalSeconds:0.0} s)");
        try
        {
            await body();
            output.WriteLine($"{testName} passed in {Watch.Elapsed.TotalSeconds:0.0} s");
        }
        catch (Exception failure)
        {
            output.WriteLine($"{testName} failed after {Watch.Elapsed.TotalSeconds:0.0} s: {failure.Message}");
            for (var i = 0; i < _pages.Count; i++)
            {
                try
                {
                    output.WriteLine($"page {i} at {_pages[i].Url}: {await Screenshots.SaveAsync(_pages[i], $"FAILED-{testName}-page{i}")}");
                }
                catch (PlaywrightException e)
                {
                    output.WriteLine($"page {i}: no screenshot ({e.Message})");
                }
            }

            output.WriteLine("local host output (tail):" + Environment.NewLine + site.OutputTail());
            throw;
        }
        finally
        {
            foreach (var page in _pages)
            {
                await page.Context.CloseAsync();
            }

            _pages.Clear();
        }
    }

    /// <summary>Runs axe on the page; serious and critical violations go to <see cref="Findings"/>.</summary>
    public async Task ScanAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Step($"axe {name}: {result.Violations.Length} violation(s) [{string.Join(", ", result.Violations.Select(v => $"{v.Id}:{v.Impact}"))}], {blocking.Count} serious/critical");
        foreach (var v in blocking)
        {
            Findings.AppendLine($"{name}: [{v.Impact}] {v.Id}: {v.Help}");
            foreach (var node in v.Nodes.Take(5))
            {
                Findings.AppendLine($"    {node.Target}: {node.Html}");
            }
        }
    }

    /// <summary>Fails with the collected findings if <see cref="ScanAsync"/> found a serious or critical violation.</summary>
    public void AssertNoSeriousFindings() =>
        Xunit.Assert.True(Findings.Length == 0, "Serious or critical axe violations:" + Environment.NewLine + Findings);

    /// <summary>Accepts every dialog and records its message.</summary>
    public static List<string> RecordAndAcceptDialogs(IPage page)
    {
        var messages = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            lock (messages)
            {
                messages.Add(dialog.Message);
            }

            _ = dialog.AcceptAsync();
        };
        return messages;
    }
}

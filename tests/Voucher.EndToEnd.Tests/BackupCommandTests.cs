using System.Text.RegularExpressions;
using Voucher.Workflows.Storage;

namespace Voucher.EndToEnd.Tests;

/// <summary>
/// The operator's backup commands as documented (<c>Voucher.LocalHost backup export|list|verify|restore</c>), run as
/// processes of the built local host against an Azurite of their own named by <c>VoucherStorage</c>: export, refusal to
/// restore over tables that hold rows, restore with --replace after a bad change, and the rows as they were.
/// </summary>
public sealed partial class BackupCommandTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Export_List_RefuseOverRows_VerifyAndRestoreWithReplace_BringBackTheRows()
    {
        var store = new VoucherStore(azurite.Tables, azurite.Blobs);
        await store.EnsureCreatedAsync();
        await store.Table(VoucherStore.Enterprises).AddEntityAsync(new TableEntity("taiyuan", "91140100MA0CMD001U") { ["Name"] = "太原命令行测试有限公司", ["Employees"] = 12 });
        await store.Table(VoucherStore.Ledger).AddEntityAsync(new TableEntity("cap|2026", "91140100MA0CMD001U") { ["Committed"] = 5_000_000L, ["At"] = new DateTimeOffset(2026, 12, 6, 1, 2, 3, TimeSpan.Zero) });
        var before = await RowsAsync(store);

        var export = await RunAsync("backup", "export");
        Assert.Equal(0, export.Code);
        var folder = ExportFolder().Match(export.Output).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(folder), export.Output);

        var list = await RunAsync("backup", "list");
        Assert.Equal(0, list.Code);
        Assert.Matches($@"{folder}\s+complete\s+{VoucherStore.AllTables.Count}\s+tables\s+2\s+rows", list.Output);

        // A bad change after the export: a row changed, a table emptied.
        var ledger = (await store.Table(VoucherStore.Ledger).GetEntityAsync<TableEntity>("cap|2026", "91140100MA0CMD001U")).Value;
        ledger["Committed"] = 0L;
        await store.Table(VoucherStore.Ledger).UpdateEntityAsync(ledger, Azure.ETag.All, TableUpdateMode.Replace);
        await store.Table(VoucherStore.Enterprises).DeleteEntityAsync("taiyuan", "91140100MA0CMD001U");

        var refused = await RunAsync("backup", "restore", "--from", folder);
        Assert.Equal(1, refused.Code);
        Assert.Contains("Ledger", refused.Output, StringComparison.Ordinal);
        Assert.Contains("--replace", refused.Output, StringComparison.Ordinal);
        Assert.Equal(0L, (await store.Table(VoucherStore.Ledger).GetEntityAsync<TableEntity>("cap|2026", "91140100MA0CMD001U")).Value.GetInt64("Committed"));

        var verify = await RunAsync("backup", "verify", "--from", folder);
        Assert.Equal(0, verify.Code);
        Assert.Contains("verifies", verify.Output, StringComparison.Ordinal);

        var restore = await RunAsync("backup", "restore", "--from", folder + "/", "--replace");
        Assert.Equal(0, restore.Code);
        Assert.Contains("2 rows", restore.Output, StringComparison.Ordinal);
        Assert.Equal(before, await RowsAsync(store));

        var usage = await RunAsync("backup", "restore");
        Assert.Equal(2, usage.Code);
        Assert.Contains("--from", usage.Output, StringComparison.Ordinal);
    }

    async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var dll = LocalHostProcess.FindDll();
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["VoucherStorage"] = azurite.ConnectionString;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await stdout + await stderr;
        output.WriteLine($"$ backup {string.Join(' ', args.Skip(1))} → {process.ExitCode}{Environment.NewLine}{text}");
        return (process.ExitCode, text);
    }

    static async Task<List<string>> RowsAsync(VoucherStore store)
    {
        var rows = new List<string>();
        foreach (var name in VoucherStore.AllTables)
        {
            await foreach (var row in store.Table(name).QueryAsync<TableEntity>())
            {
                rows.Add($"{name}|{row.PartitionKey}|{row.RowKey}|" + string.Join(";", row.Where(p => p.Key is not ("odata.etag" or "Timestamp")).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value?.GetType().Name}={p.Value}")));
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    [GeneratedRegex(@"Export (\d{4}-\d{2}-\d{2}T\d{6}Z) complete")]
    private static partial Regex ExportFolder();
}

using Voucher.LocalHost.Azurite;
using Voucher.Workflows.Backups;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Storage;

namespace Voucher.LocalHost.Hosting;

/// <summary>
/// The operator's backup commands (<c>dotnet run --project functions/Voucher.LocalHost -- backup …</c>): list the exports,
/// export now, verify an export against its manifest, restore the tables from one. They work on the storage account named
/// by <c>VoucherStorage</c> (environment): a connection string, or in Azure <c>VoucherStorage__tableServiceUri</c> and
/// <c>VoucherStorage__blobServiceUri</c> with the operator's own sign-in (<c>az login</c>, DefaultAzureCredential). With
/// none set they use the local host's embedded Azurite (<c>.data/azurite</c>), as the host itself does.
/// </summary>
public static class BackupCommand
{
    public const string Usage = """
        Usage: dotnet run --project functions/Voucher.LocalHost -- backup <command>
          list                                        the exports, newest last: complete (rows, tables) or incomplete
          export                                      write a new export now (as the daily timer does, even if today has one)
          verify  --from <folder> [--tables A,B]      check every blob's SHA-256 and row count against the manifest
          restore --from <folder> [--tables A,B] [--replace]
                                                      verify, then rebuild the tables; refuses tables that hold rows
                                                      unless --replace (their rows are deleted first)
        Storage: VoucherStorage (connection string) or VoucherStorage__tableServiceUri + VoucherStorage__blobServiceUri
        (Azure, signed in with az login); none set: the embedded Azurite of the local host (.data/azurite).
        """;

    /// <summary>Runs one command; 0 done, 1 refused or failed (the reason printed), 2 usage.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (!TryParse(args, out var command, out var folder, out var replace, out var tables, out var error))
        {
            await output.WriteLineAsync(error);
            await output.WriteLineAsync(Usage);
            return 2;
        }

        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables();
        var repoRoot = RepoRoot.FindFrom(Directory.GetCurrentDirectory()) ?? RepoRoot.FindFrom(AppContext.BaseDirectory);
        var explicitStorage = StorageConnection.IsConfigured(configuration, SettingNames.VoucherStorage);
        LocalSettings.AddAsLowestPriority(configuration, repoRoot);
        using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        await using var azurite = explicitStorage ? null : await LocalHostApp.StartEmbeddedAzuriteAsync(repoRoot, configuration, loggers.CreateLogger("Voucher.LocalHost"));

        var connection = StorageConnection.FromConfiguration(configuration, SettingNames.VoucherStorage);
        var store = new VoucherStore(connection.CreateTableServiceClient(), connection.CreateBlobServiceClient());
        var backups = BackupStore.For(store);
        var time = TimeProvider.System;
        try
        {
            switch (command)
            {
                case "list":
                    await ListAsync(backups, output);
                    return 0;
                case "export":
                    var manifest = await new TableExporter(store, backups, time, loggers.CreateLogger<TableExporter>()).ExportAsync();
                    await output.WriteLineAsync($"Export {manifest.Folder} complete: {manifest.Tables.Count} tables, {manifest.TotalRows} rows.");
                    return 0;
                case "verify":
                    var verification = await new TableRestorer(store, backups, loggers.CreateLogger<TableRestorer>()).VerifyAsync(folder!, tables);
                    foreach (var table in verification.Tables.Where(t => t.Rows > 0 || !t.Ok))
                    {
                        await output.WriteLineAsync($"  {table.Entry.Table,-20} {table.Rows,9} rows  {(table.Ok ? "ok" : table.Problem)}");
                    }

                    await output.WriteLineAsync(verification.Ok
                        ? $"Export {verification.Manifest.Folder} verifies: {verification.Tables.Count} tables, {verification.Tables.Sum(t => t.Rows)} rows."
                        : $"Export {verification.Manifest.Folder} does NOT match its manifest.");
                    return verification.Ok ? 0 : 1;
                default:
                    var result = await new TableRestorer(store, backups, loggers.CreateLogger<TableRestorer>()).RestoreAsync(folder!, replace, tables);
                    foreach (var table in result.Tables.Where(t => t.Written > 0 || t.Deleted > 0))
                    {
                        await output.WriteLineAsync($"  {table.Table,-20} {table.Written,9} rows restored{(table.Deleted > 0 ? $" ({table.Deleted} rows deleted first)" : "")}");
                    }

                    await output.WriteLineAsync($"Restored export {result.Manifest.Folder}: {result.Tables.Count} tables, {result.Tables.Sum(t => t.Written)} rows.");
                    return 0;
            }
        }
        catch (BackupException e)
        {
            await output.WriteLineAsync(e.Message);
            return 1;
        }
        catch (Azure.RequestFailedException e)
        {
            await output.WriteLineAsync($"Storage refused the request ({e.Status} {e.ErrorCode}): {e.Message}");
            return 1;
        }
    }

    static async Task ListAsync(BackupStore backups, TextWriter output)
    {
        var exports = await backups.ListAsync();
        if (exports.Count == 0)
        {
            await output.WriteLineAsync($"No exports in container '{backups.Container.Name}'.");
            return;
        }

        foreach (var export in exports)
        {
            await output.WriteLineAsync(export.Manifest is { } m
                ? $"  {export.Folder}  complete    {m.Tables.Count,3} tables {m.TotalRows,10} rows  ({(m.CompletedAt - m.StartedAt).TotalSeconds:0} s)"
                : $"  {export.Folder}  INCOMPLETE  (no manifest: the run failed or is still writing; never restored)");
        }
    }

    static bool TryParse(string[] args, out string command, out string? folder, out bool replace, out IReadOnlyList<string>? tables, out string error)
    {
        command = args.Length > 0 ? args[0] : "";
        folder = null;
        replace = false;
        tables = null;
        error = "";
        if (command is not ("list" or "export" or "verify" or "restore"))
        {
            error = command.Length == 0 ? "Which backup command?" : $"Unknown backup command '{command}'.";
            return false;
        }

        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--from" when i + 1 < args.Length:
                    folder = args[++i];
                    break;
                case "--tables" when i + 1 < args.Length:
                    tables = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                case "--replace" when command == "restore":
                    replace = true;
                    break;
                default:
                    error = $"Unexpected argument '{args[i]}' for 'backup {command}'.";
                    return false;
            }
        }

        if (command is "verify" or "restore" && folder is null)
        {
            error = $"'backup {command}' needs --from <export folder> (see 'backup list').";
            return false;
        }

        if (command is "list" or "export" && (folder is not null || tables is not null))
        {
            error = $"'backup {command}' takes no --from or --tables.";
            return false;
        }

        return true;
    }
}

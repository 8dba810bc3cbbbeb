using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Voucher.LocalHost.Azurite;

/// <summary>
/// Makes sure the Azurite pinned in <c>infra/package.json</c> (+ lock) is installed under <c>infra/node_modules</c>.
/// Safe to call from several processes at once: they serialise on an exclusive lock file under
/// <c>infra/.azurite/</c> (git-ignored), so only one of them runs <c>npm ci</c>.
/// </summary>
public static class AzuriteInstaller
{
    /// <summary>Where azurite.js lives, relative to the repository root.</summary>
    public static readonly string RelativeScriptPath =
        Path.Combine("infra", "node_modules", "azurite", "dist", "src", "azurite.js");

    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Returns the full path of <c>infra/node_modules/azurite/dist/src/azurite.js</c>, running
    /// <c>npm ci --no-audit --no-fund</c> in <c>infra/</c> first when it is missing or not the pinned version.
    /// </summary>
    /// <exception cref="InvalidOperationException">npm is missing or the install failed (the npm output is in the message).</exception>
    public static async Task<string> EnsureInstalledAsync(string repoRoot, ILogger? log, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repoRoot);
        var infra = Path.Combine(Path.GetFullPath(repoRoot), "infra");
        var script = Path.Combine(Path.GetFullPath(repoRoot), RelativeScriptPath);
        if (!File.Exists(Path.Combine(infra, "package.json")))
        {
            throw new InvalidOperationException($"'{infra}' has no package.json: cannot install the pinned Azurite.");
        }

        // Fast path without the lock: a finished install that matches the pin.
        if (IsInstalled(infra, script))
        {
            return script;
        }

        await using var gate = await AcquireLockAsync(infra, log, ct).ConfigureAwait(false);

        // Another process may have finished the install while we waited for the lock.
        if (IsInstalled(infra, script))
        {
            return script;
        }

        log?.LogInformation("Azurite is not installed under {Infra}; running 'npm ci --no-audit --no-fund' (takes about a minute)", infra);
        var watch = Stopwatch.StartNew();
        await RunNpmCiAsync(infra, ct).ConfigureAwait(false);
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"'npm ci' succeeded in '{infra}' but '{script}' does not exist. Is azurite pinned in infra/package.json?");
        }

        log?.LogInformation("Azurite installed in {Elapsed:0.0} s", watch.Elapsed.TotalSeconds);
        return script;
    }

    /// <summary>
    /// Installed = azurite.js exists, npm finished (it writes node_modules/.package-lock.json last) and the installed
    /// version equals the one pinned in infra/package.json (when both can be read).
    /// </summary>
    private static bool IsInstalled(string infra, string script)
    {
        if (!File.Exists(script) || !File.Exists(Path.Combine(infra, "node_modules", ".package-lock.json")))
        {
            return false;
        }

        var pinned = ReadJsonString(Path.Combine(infra, "package.json"), "dependencies", "azurite");
        var installed = ReadJsonString(Path.Combine(infra, "node_modules", "azurite", "package.json"), "version");
        return pinned is null || installed is null || string.Equals(pinned, installed, StringComparison.Ordinal);
    }

    private static string? ReadJsonString(string file, params string[] path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var element = doc.RootElement;
            foreach (var name in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
            }

            return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string infra, ILogger? log, CancellationToken ct)
    {
        var dir = Path.Combine(infra, ".azurite");
        Directory.CreateDirectory(dir);
        var lockPath = Path.Combine(dir, "install.lock");
        var deadline = Stopwatch.StartNew();
        var announced = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Unix and a sharing lock on Windows.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (deadline.Elapsed < LockTimeout)
            {
                if (!announced)
                {
                    log?.LogInformation("Waiting for another process installing Azurite (lock {LockPath})", lockPath);
                    announced = true;
                }

                await Task.Delay(250, ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new InvalidOperationException(
                    $"Timed out after {LockTimeout.TotalMinutes:0} min waiting for the Azurite install lock '{lockPath}'. " +
                    "Another process still holds it; if none is running, delete the file.", e);
            }
        }
    }

    private static async Task RunNpmCiAsync(string infra, CancellationToken ct)
    {
        var psi = new ProcessStartInfo
        {
            WorkingDirectory = infra,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        if (OperatingSystem.IsWindows())
        {
            // npm is a .cmd script on Windows.
            psi.FileName = "cmd.exe";
            psi.ArgumentList.Add("/d");
            psi.ArgumentList.Add("/c");
            psi.ArgumentList.Add("npm");
        }
        else
        {
            psi.FileName = "npm";
        }

        psi.ArgumentList.Add("ci");
        psi.ArgumentList.Add("--no-audit");
        psi.ArgumentList.Add("--no-fund");

        var output = new StringBuilder();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "Azurite is not installed and 'npm' was not found on PATH. Install Node.js 20 or later (it includes npm), " +
                $"then run 'npm ci --prefix infra' in the repository root, or 'npm ci' in '{infra}'.", e);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(NpmTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            if (ct.IsCancellationRequested)
            {
                throw;
            }

            throw new InvalidOperationException(
                $"'npm ci' in '{infra}' did not finish within {NpmTimeout.TotalMinutes:0} min. Output:{Environment.NewLine}{Snapshot(output)}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'npm ci --no-audit --no-fund' in '{infra}' failed with exit code {process.ExitCode}. Output:{Environment.NewLine}{Snapshot(output)}");
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
            if (output.Length > 64 * 1024)
            {
                output.Remove(0, output.Length - 32 * 1024);
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Voucher.LocalHost.Azurite;

/// <summary>Stopping Azurite: on dispose (SIGTERM, then a hard kill), and when this process exits or its assembly unloads.</summary>
public sealed partial class AzuriteInstance
{
    /// <summary>Stops Azurite: SIGTERM (graceful), then a hard kill of the process tree if it has not exited within 5 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        UnregisterExitHooks();
        try
        {
            if (!HasExited)
            {
                await SendTerminateAsync().ConfigureAwait(false);
                using var wait = new CancellationTokenSource(StopTimeout);
                try
                {
                    await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _log.LogWarning("Azurite (pid {Pid}) did not stop within {Seconds} s of SIGTERM; killing it", ProcessId, StopTimeout.TotalSeconds);
                    KillNow();
                    using var afterKill = new CancellationTokenSource(StopTimeout);
                    try
                    {
                        await _process.WaitForExitAsync(afterKill.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        _log.LogWarning("Azurite (pid {Pid}) still running after kill", ProcessId);
                    }
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task SendTerminateAsync()
    {
        if (OperatingSystem.IsWindows())
        {
            // No SIGTERM on Windows: closing stdin makes the watchdog stop Azurite.
            try
            {
                _process.StandardInput.Close();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                KillNow();
            }

            return;
        }

        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill")
            {
                ArgumentList = { "-TERM", ProcessId.ToString(CultureInfo.InvariantCulture) },
                UseShellExecute = false,
                RedirectStandardError = true,
                CreateNoWindow = true,
            });
            if (kill is not null)
            {
                await kill.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            KillNow();
        }
    }

    private void KillNow()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Not started, already gone or disposed.
        }
    }

    private void RegisterExitHooks()
    {
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
        if (_loadContext is not null)
        {
            _loadContext.Unloading += _onUnloading;
        }
    }

    private void UnregisterExitHooks()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        if (_loadContext is not null)
        {
            _loadContext.Unloading -= _onUnloading;
        }
    }
}

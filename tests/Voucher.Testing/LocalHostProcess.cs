using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Voucher.LocalHost.Azurite;

namespace Voucher.Testing;

/// <summary>
/// Runs the built local host (<c>functions/Voucher.LocalHost/bin/{Debug|Release}/net10.0/Voucher.LocalHost.dll</c>) as
/// a separate OS process, for end-to-end and crash tests. The caller passes the environment (connection strings, task
/// hub name, public base URL...). <see cref="StartAsync"/> returns once <c>GET /healthz</c> answers 200.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    /// <summary>Set to a full path to run a specific Voucher.LocalHost.dll instead of searching the build outputs.</summary>
    public const string DllOverrideVariable = "VOUCHER_LOCALHOST_DLL";

    private const int MaxOutputChars = 256 * 1024;
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly LinkedList<string> _output = new();
    private readonly EventHandler _onProcessExit;
    private int _outputChars;
    private int _disposed;

    private LocalHostProcess(Process process, int port, string dllPath)
    {
        _process = process;
        Port = port;
        DllPath = dllPath;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        Cookies = new CookieContainer();
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = Cookies, UseProxy = false })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        _onProcessExit = (_, _) => KillNow();
    }

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseAddress { get; }

    /// <summary>The port the host listens on.</summary>
    public int Port { get; }

    /// <summary>The dll that was started.</summary>
    public string DllPath { get; }

    /// <summary>Client for <see cref="BaseAddress"/>: does not follow redirects, keeps cookies in <see cref="Cookies"/>.</summary>
    public HttpClient Http { get; }

    /// <summary>The cookies <see cref="Http"/> keeps.</summary>
    public CookieContainer Cookies { get; }

    /// <summary>The OS process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the process has exited (crashed, killed or stopped).</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>Exit code once exited, otherwise null.</summary>
    public int? ExitCode => HasExited ? SafeExitCode() : null;

    /// <summary>The most recent stdout and stderr (stderr lines prefixed with "stderr: "), bounded to about 256 K characters.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>
    /// Starts <c>dotnet Voucher.LocalHost.dll --urls http://127.0.0.1:{port}</c> with <paramref name="env"/> added to
    /// this process's environment, and waits until <c>GET /healthz</c> returns 200.
    /// </summary>
    /// <param name="env">Environment variables for the host, e.g. VoucherStorage, DurableStorage, TaskHubName, Voucher__PublicBaseUrl.</param>
    /// <param name="port">Port to listen on; a free one when null (reuse the old port to restart after a crash).</param>
    /// <param name="timeout">How long to wait for /healthz; 90 s when null.</param>
    /// <exception cref="InvalidOperationException">No built dll, the process exited, or /healthz never answered 200 (the output is in the message).</exception>
    public static async Task<LocalHostProcess> StartAsync(IDictionary<string, string> env, int? port = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        var dll = FindDll();
        var chosenPort = port ?? FreeTcpPort();
        var psi = new ProcessStartInfo
        {
            FileName = DotnetHost(),
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add($"http://127.0.0.1:{chosenPort.ToString(CultureInfo.InvariantCulture)}");
        // Inherited settings that would fight --urls or the caller's choices.
        psi.Environment.Remove("ASPNETCORE_URLS");
        psi.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        psi.Environment.Remove("ASPNETCORE_HTTPS_PORTS");
        psi.Environment.Remove("DOTNET_URLS");
        foreach (var (key, value) in env)
        {
            psi.Environment[key] = value;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var host = new LocalHostProcess(process, chosenPort, dll);
        process.OutputDataReceived += (_, e) => host.Append(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data, isError: true);
        process.Start();
        AppDomain.CurrentDomain.ProcessExit += host._onProcessExit;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var limit = timeout ?? DefaultStartTimeout;
        var watch = Stopwatch.StartNew();
        string lastProblem = "no answer yet";
        using var probe = new HttpClient(new HttpClientHandler { UseProxy = false }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (host.HasExited)
            {
                var output = await host.DrainAsync().ConfigureAwait(false);
                var code = host.ExitCode;
                await host.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"The local host ({dll}) exited with code {code} before /healthz answered 200.{Environment.NewLine}Output:{Environment.NewLine}{output}");
            }

            try
            {
                using var response = await probe.GetAsync("healthz").ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return host;
                }

                lastProblem = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                lastProblem = e.Message;
            }

            if (watch.Elapsed >= limit)
            {
                await host.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"The local host ({dll}) on {host.BaseAddress} did not answer GET /healthz with 200 within {limit.TotalSeconds:0} s " +
                    $"(last: {lastProblem}).{Environment.NewLine}Output:{Environment.NewLine}{host.Output}");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    /// <summary>Hard kill of the whole process tree — simulates a crash. Returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        KillNow();
        await WaitForExitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>Graceful stop: SIGTERM (<c>kill -TERM pid</c>), then a hard kill if still running after 10 s.</summary>
    public async Task StopAsync()
    {
        if (HasExited)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            KillNow();
        }
        else
        {
            using var kill = Process.Start(new ProcessStartInfo("kill")
            {
                ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) },
                UseShellExecute = false,
                CreateNoWindow = true,
            });
            if (kill is not null)
            {
                await kill.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        if (!await WaitForExitAsync(GracefulStopTimeout).ConfigureAwait(false))
        {
            await KillAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Kills the process if it still runs and releases the client.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        if (!HasExited)
        {
            await KillAsync().ConfigureAwait(false);
        }

        Http.Dispose();
        _process.Dispose();
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>
    /// The Voucher.LocalHost.dll to run: <see cref="DllOverrideVariable"/> if set; otherwise under
    /// functions/Voucher.LocalHost/bin/, the configuration this test assembly was built with (Debug/Release, read from
    /// its path) if built, else the most recently built one.
    /// </summary>
    public static string FindDll()
    {
        var overridden = Environment.GetEnvironmentVariable(DllOverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return File.Exists(overridden)
                ? Path.GetFullPath(overridden)
                : throw new FileNotFoundException($"{DllOverrideVariable} points to '{overridden}', which does not exist.", overridden);
        }

        var bin = Path.Combine(RepoRoot.Find(), "functions", "Voucher.LocalHost", "bin");
        var candidates = Directory.Exists(bin)
            ? Directory.GetDirectories(bin)
                .Select(configDir => Path.Combine(configDir, "net10.0", "Voucher.LocalHost.dll"))
                .Where(File.Exists)
                .ToList()
            : [];
        if (candidates.Count == 0)
        {
            throw new FileNotFoundException(
                $"No built local host under '{bin}' (expected {{Debug|Release}}/net10.0/Voucher.LocalHost.dll). " +
                "Build the solution first, e.g. 'dotnet build Voucher.Functions.sln -c Release'.");
        }

        var configuration = OwnConfiguration();
        var sameConfiguration = candidates.FirstOrDefault(c =>
            configuration is not null &&
            string.Equals(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(c))), configuration, StringComparison.OrdinalIgnoreCase));
        return sameConfiguration ?? candidates.OrderByDescending(File.GetLastWriteTimeUtc).First();
    }

    /// <summary>The configuration in this test run's output path (…/bin/{Configuration}/{tfm}/), or null.</summary>
    private static string? OwnConfiguration()
    {
        var parts = AppContext.BaseDirectory.Split(
            [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        var binIndex = Array.FindLastIndex(parts, p => p.Equals("bin", StringComparison.OrdinalIgnoreCase));
        return binIndex >= 0 && binIndex + 1 < parts.Length ? parts[binIndex + 1] : null;
    }

    private static string DotnetHost()
    {
        // Set by the SDK for builds and `dotnet test`; the test host itself usually runs under the same muxer.
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        return "dotnet";
    }

    private async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private async Task<string> DrainAsync()
    {
        // After exit, WaitForExitAsync also waits for the redirected streams to reach end of file.
        await WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        return Output;
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
            // Already gone.
        }
    }

    private int? SafeExitCode()
    {
        try
        {
            return _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private void Append(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }

        var entry = isError ? "stderr: " + line : line;
        lock (_output)
        {
            _output.AddLast(entry);
            _outputChars += entry.Length;
            while (_outputChars > MaxOutputChars && _output.First is { } first)
            {
                _outputChars -= first.Value.Length;
                _output.RemoveFirst();
            }
        }
    }
}

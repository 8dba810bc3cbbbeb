using System.Diagnostics;
using System.Globalization;
using System.Runtime.Loader;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Voucher.LocalHost.Azurite;

/// <summary>
/// A running Azurite (blob, queue and table) child process. Start it with <see cref="StartAsync"/>; dispose it to stop it
/// (SIGTERM, then a hard kill after 5 s). The child is also killed when this process exits, and — because a small
/// watchdog makes Azurite stop itself when its stdin pipe closes — even when this process is killed hard.
/// </summary>
public sealed partial class AzuriteInstance : IAsyncDisposable
{
    /// <summary>The well-known development storage account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The well-known (public) development storage account key.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    // Preloaded with `node --import`: when the parent dies its end of our stdin pipe closes, and Azurite shuts down
    // through its own SIGTERM handler. unref() keeps the pipe from holding the event loop open after shutdown.
    private const string WatchdogScript =
        "let gone=false;const bye=()=>{if(gone)return;gone=true;process.kill(process.pid,'SIGTERM');};" +
        "if(process.stdin){process.stdin.on('end',bye);process.stdin.on('error',bye);process.stdin.resume();" +
        "if(typeof process.stdin.unref==='function')process.stdin.unref();}";

    private const int MaxOutputLines = 400;

    private readonly Process _process;
    private readonly ILogger _log;
    private readonly Queue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly EventHandler _onProcessExit;
    private readonly Action<AssemblyLoadContext> _onUnloading;
    private readonly AssemblyLoadContext? _loadContext;
    private int _blobPort;
    private int _queuePort;
    private int _tablePort;
    private int _disposed;

    private AzuriteInstance(Process process, string host, ILogger log)
    {
        _process = process;
        _log = log;
        Host = host;
        _onProcessExit = (_, _) => KillNow();
        _onUnloading = _ => KillNow();
        _loadContext = AssemblyLoadContext.GetLoadContext(typeof(AzuriteInstance).Assembly);
    }

    /// <summary>The host the services listen on, as passed in <see cref="AzuriteOptions.Host"/>.</summary>
    public string Host { get; }

    /// <summary>The blob service port (read from Azurite's output).</summary>
    public int BlobPort => _blobPort;

    /// <summary>The queue service port (read from Azurite's output).</summary>
    public int QueuePort => _queuePort;

    /// <summary>The table service port (read from Azurite's output).</summary>
    public int TablePort => _tablePort;

    /// <summary>The node process id.</summary>
    public int ProcessId { get; private set; }

    /// <summary>True once the node process has exited.</summary>
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

    /// <summary>Blob endpoint including the account, e.g. <c>http://127.0.0.1:10000/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint => Endpoint(BlobPort);

    /// <summary>Queue endpoint including the account.</summary>
    public Uri QueueEndpoint => Endpoint(QueuePort);

    /// <summary>Table endpoint including the account.</summary>
    public Uri TableEndpoint => Endpoint(TablePort);

    /// <summary>A connection string with explicit endpoints for the development account.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={BlobEndpoint.AbsoluteUri.TrimEnd('/')};" +
        $"QueueEndpoint={QueueEndpoint.AbsoluteUri.TrimEnd('/')};" +
        $"TableEndpoint={TableEndpoint.AbsoluteUri.TrimEnd('/')};";

    /// <summary>The last few hundred lines Azurite wrote to stdout and stderr (stderr lines start with "stderr: ").</summary>
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
    /// Starts <c>node &lt;azurite.js&gt; --silent --skipApiVersionCheck --disableTelemetry --loose ...</c> and waits (up to
    /// about 30 s) until all three services report "successfully listening".
    /// </summary>
    /// <param name="azuriteJsPath">Path of azurite.js, usually from <see cref="AzuriteInstaller.EnsureInstalledAsync"/>.</param>
    /// <param name="options">Host, ports and persistence.</param>
    /// <param name="log">Optional logger; Azurite's output is logged at Debug level.</param>
    /// <param name="ct">Cancels the start (the child is killed).</param>
    /// <exception cref="AzuriteStartException">
    /// Azurite exited early (for example a port already in use — <see cref="AzuriteStartException.PortInUse"/>),
    /// did not start within the timeout, or node could not be started.
    /// </exception>
    public static async Task<AzuriteInstance> StartAsync(string azuriteJsPath, AzuriteOptions options, ILogger? log, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(azuriteJsPath);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(azuriteJsPath))
        {
            throw new FileNotFoundException(
                $"Azurite script not found at '{azuriteJsPath}'. Run AzuriteInstaller.EnsureInstalledAsync or 'npm ci --prefix infra'.",
                azuriteJsPath);
        }

        var logger = log ?? NullLogger.Instance;
        var host = string.IsNullOrWhiteSpace(options.Host) ? "127.0.0.1" : options.Host;
        var psi = new ProcessStartInfo
        {
            FileName = "node",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in options.NodeArguments)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.ArgumentList.Add("--import");
        psi.ArgumentList.Add("data:text/javascript," + Uri.EscapeDataString(WatchdogScript));
        psi.ArgumentList.Add(Path.GetFullPath(azuriteJsPath));
        foreach (var arg in new[] { "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--loose" })
        {
            psi.ArgumentList.Add(arg);
        }

        AddPair(psi, "--blobHost", host);
        AddPair(psi, "--queueHost", host);
        AddPair(psi, "--tableHost", host);
        AddPair(psi, "--blobPort", options.BlobPort.ToString(CultureInfo.InvariantCulture));
        AddPair(psi, "--queuePort", options.QueuePort.ToString(CultureInfo.InvariantCulture));
        AddPair(psi, "--tablePort", options.TablePort.ToString(CultureInfo.InvariantCulture));
        if (options.Location is null)
        {
            psi.ArgumentList.Add("--inMemoryPersistence");
            // Azurite still touches its "location" (the working directory) for telemetry bookkeeping: keep it out of the repo.
            psi.WorkingDirectory = Path.GetTempPath();
        }
        else
        {
            var location = Path.GetFullPath(options.Location);
            Directory.CreateDirectory(location);
            AddPair(psi, "--location", location);
            psi.WorkingDirectory = location;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var instance = new AzuriteInstance(process, host, logger);
        process.OutputDataReceived += (_, e) => instance.OnOutput(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => instance.OnOutput(e.Data, isError: true);

        var watch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new AzuriteStartException(
                "Could not start 'node' to run Azurite: Node.js 20 or later must be on PATH.", portInUse: false, output: string.Empty, e);
        }

        instance.ProcessId = process.Id;
        instance.RegisterExitHooks();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        logger.LogDebug("Started Azurite (pid {Pid}): node {Args}", process.Id, string.Join(' ', psi.ArgumentList.Where(a => !a.StartsWith("data:", StringComparison.Ordinal))));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StartTimeout);
        var exited = process.WaitForExitAsync(timeout.Token);
        try
        {
            var first = await Task.WhenAny(instance._ready.Task, exited).ConfigureAwait(false);
            if (first == instance._ready.Task)
            {
                logger.LogInformation(
                    "Azurite started in {Elapsed:0.00} s on {Host}: blob {Blob}, queue {Queue}, table {Table} ({Persistence})",
                    watch.Elapsed.TotalSeconds, host, instance.BlobPort, instance.QueuePort, instance.TablePort,
                    options.Location is null ? "in memory" : options.Location);
                return instance;
            }

            await exited.ConfigureAwait(false); // throws OperationCanceledException on timeout or cancellation
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await instance.DisposeAsync().ConfigureAwait(false);
            throw new AzuriteStartException(
                $"Azurite did not report all three services listening within {StartTimeout.TotalSeconds:0} s " +
                $"(host {host}, ports {Describe(options)}). Output so far:{Environment.NewLine}{instance.Output}",
                portInUse: false, instance.Output);
        }
        catch (OperationCanceledException)
        {
            await instance.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // The process exited before it was ready: WaitForExitAsync has drained stdout and stderr.
        var output = instance.Output;
        var exitCode = process.ExitCode;
        await instance.DisposeAsync().ConfigureAwait(false);
        var inUse = PortInUseRegex().Match(output);
        if (inUse.Success)
        {
            throw new AzuriteStartException(
                $"Azurite could not start: address {inUse.Groups["addr"].Value} is already in use. Another Azurite (or another " +
                "program) is probably listening there — stop it, or use other ports (0 lets the OS choose). " +
                $"Requested host {host}, ports {Describe(options)}.{Environment.NewLine}Azurite output:{Environment.NewLine}{output}",
                portInUse: true, output);
        }

        throw new AzuriteStartException(
            $"Azurite exited with code {exitCode} before it was listening (host {host}, ports {Describe(options)}). " +
            $"Output:{Environment.NewLine}{output}",
            portInUse: false, output);
    }

    private void OnOutput(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(isError ? "stderr: " + line : line);
            while (_output.Count > MaxOutputLines)
            {
                _output.Dequeue();
            }
        }

        if (isError)
        {
            _log.LogWarning("Azurite: {Line}", line);
        }
        else
        {
            _log.LogDebug("Azurite: {Line}", line);
        }

        var match = ListeningRegex().Match(line);
        if (!match.Success)
        {
            return;
        }

        var port = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
        switch (match.Groups["service"].Value)
        {
            case "Blob":
                Volatile.Write(ref _blobPort, port);
                break;
            case "Queue":
                Volatile.Write(ref _queuePort, port);
                break;
            case "Table":
                Volatile.Write(ref _tablePort, port);
                break;
        }

        if (Volatile.Read(ref _blobPort) != 0 && Volatile.Read(ref _queuePort) != 0 && Volatile.Read(ref _tablePort) != 0)
        {
            _ready.TrySetResult();
        }
    }

    private Uri Endpoint(int port)
    {
        // A wildcard listen address is not something a client can connect to.
        var clientHost = Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "::" or "[::]" => "[::1]",
            _ when Host.Contains(':', StringComparison.Ordinal) && !Host.StartsWith('[') => $"[{Host}]",
            _ => Host,
        };
        return new Uri($"http://{clientHost}:{port.ToString(CultureInfo.InvariantCulture)}/{AccountName}");
    }

    private static void AddPair(ProcessStartInfo psi, string name, string value)
    {
        psi.ArgumentList.Add(name);
        psi.ArgumentList.Add(value);
    }

    private static string Describe(AzuriteOptions o) =>
        string.Create(CultureInfo.InvariantCulture, $"blob {Port(o.BlobPort)}, queue {Port(o.QueuePort)}, table {Port(o.TablePort)}");

    private static string Port(int port) => port == 0 ? "auto" : port.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at https?://(?<host>\S+):(?<port>\d+)")]
    private static partial Regex ListeningRegex();

    [GeneratedRegex(@"EADDRINUSE(?::\s*address already in use)?\s*(?<addr>\S*)")]
    private static partial Regex PortInUseRegex();
}

namespace Voucher.LocalHost.Azurite;

/// <summary>How to start Azurite. Ports of 0 let the operating system choose free ports.</summary>
public sealed class AzuriteOptions
{
    /// <summary>
    /// Folder for persistent data (<c>--location</c>; created if missing).
    /// Null runs Azurite with <c>--inMemoryPersistence</c>: everything is lost when it stops.
    /// </summary>
    public string? Location { get; set; }

    /// <summary>Address the three services listen on (<c>--blobHost/--queueHost/--tableHost</c>).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Blob port; 0 = chosen by the OS. The local host uses 10000.</summary>
    public int BlobPort { get; set; }

    /// <summary>Queue port; 0 = chosen by the OS. The local host uses 10001.</summary>
    public int QueuePort { get; set; }

    /// <summary>Table port; 0 = chosen by the OS. The local host uses 10002.</summary>
    public int TablePort { get; set; }

    /// <summary>
    /// Options for node itself, before Azurite's script (for example <c>--cpu-prof</c> and <c>--cpu-prof-dir=DIR</c>, which
    /// node refuses in <c>NODE_OPTIONS</c>). Empty by default.
    /// </summary>
    public IList<string> NodeArguments { get; } = [];
}

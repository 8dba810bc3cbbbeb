namespace Voucher.LocalHost.Azurite;

/// <summary>Azurite could not be started.</summary>
public sealed class AzuriteStartException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public AzuriteStartException(string message, bool portInUse, string output, Exception? inner = null)
        : base(message, inner)
    {
        PortInUse = portInUse;
        Output = output;
    }

    /// <summary>True when a requested port was already taken (typically another Azurite on 10000–10002).</summary>
    public bool PortInUse { get; }

    /// <summary>What Azurite printed before it gave up.</summary>
    public string Output { get; }
}

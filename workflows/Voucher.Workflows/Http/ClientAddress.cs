using System.Net;
using Microsoft.Extensions.Configuration;
using Voucher.Workflows.Configuration;

namespace Voucher.Workflows.Http;

/// <summary>
/// The one rule for "which address is the client of this request", used by the rate limiter and the logs.
/// <para>
/// The direct peer (<see cref="ConnectionInfo.RemoteIpAddress"/>) is the client unless it lies in one of the configured
/// proxy networks (<see cref="SettingNames.ForwardedHeadersKnownNetworks"/>, CIDR list, empty by default). Only then is
/// <c>X-Forwarded-For</c> read, from the right: each hop a trusted proxy appended is skipped while it is itself a trusted
/// proxy, and the first untrusted hop is the client. Entries further left were written by the client and are never
/// believed. A malformed hop where a trusted proxy's entry should be means the header cannot be trusted: the last
/// trusted address stands (the proxy) rather than anything the client wrote.
/// </para>
/// <para>
/// Azure: the Functions worker's ASP.NET Core integration already applies the <c>X-Forwarded-For</c> that the Functions
/// host (its loopback peer) sends, so the worker's <c>RemoteIpAddress</c> is the address the App Service front end
/// received the connection from; the default (no known networks) is correct there. Only a proxy placed in front of the
/// app (Front Door, Application Gateway) needs its networks listed. On the local host nothing is trusted by default, so a
/// client's own header changes nothing.
/// </para>
/// </summary>
public sealed class ClientAddress
{
    public const string ForwardedForHeader = "X-Forwarded-For";

    /// <summary>The longest X-Forwarded-For chain walked; a longer one is cut at this many hops from the right.</summary>
    const int MaxHops = 16;

    readonly IReadOnlyList<IPNetwork> knownNetworks;

    public ClientAddress(IReadOnlyList<IPNetwork> knownNetworks) => this.knownNetworks = knownNetworks;

    /// <summary>The trusted proxy networks of the configuration (<see cref="SettingNames.ForwardedHeadersKnownNetworks"/>).</summary>
    public static ClientAddress FromConfiguration(IConfiguration configuration) =>
        new(ParseNetworks(VoucherSettings.Read(configuration, SettingNames.ForwardedHeadersKnownNetworks)));

    /// <summary>The networks whose forwarded header is believed.</summary>
    public IReadOnlyList<IPNetwork> KnownNetworks => knownNetworks;

    /// <summary>The client's address as text (IPv4-mapped IPv6 shown as IPv4), or "unknown" when the host gives no peer.</summary>
    public string Of(HttpRequest request) => Resolve(request.HttpContext.Connection.RemoteIpAddress, request.Headers[ForwardedForHeader]) is { } address
        ? address.ToString()
        : "unknown";

    /// <summary>The rule itself, over the peer address and the X-Forwarded-For values (several headers are one list).</summary>
    public IPAddress? Resolve(IPAddress? peer, IEnumerable<string?> forwardedFor)
    {
        if (peer is null)
        {
            return null;
        }

        var client = Normalize(peer);
        if (!IsTrusted(client))
        {
            return client;
        }

        var hops = forwardedFor
            .SelectMany(v => (v ?? "").Split(','))
            .Select(h => h.Trim())
            .Where(h => h.Length > 0)
            .ToList();
        for (var i = hops.Count - 1; i >= 0 && hops.Count - i <= MaxHops; i--)
        {
            if (!TryParseHop(hops[i], out var hop))
            {
                // Garbage where a trusted proxy's entry belongs: believe nothing further left.
                return client;
            }

            client = hop;
            if (!IsTrusted(hop))
            {
                return hop;
            }
        }

        return client;
    }

    bool IsTrusted(IPAddress address) => knownNetworks.Any(n => n.Contains(address));

    /// <summary>A hop as proxies write it: an address, optionally with a port (<c>1.2.3.4:5678</c>, <c>[::1]:80</c>).</summary>
    static bool TryParseHop(string text, out IPAddress address)
    {
        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            address = Normalize(endpoint.Address);
            return true;
        }

        address = IPAddress.None;
        return false;
    }

    static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Parses a comma- or semicolon-separated CIDR list (a bare address is a /32 or /128); throws naming a bad entry.</summary>
    public static IReadOnlyList<IPNetwork> ParseNetworks(string? list)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in (list ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var single))
            {
                networks.Add(new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new InvalidOperationException($"{SettingNames.ForwardedHeadersKnownNetworks}: '{entry}' is not a network in CIDR notation (e.g. 10.0.0.0/8) or an address.");
            }
        }

        return networks;
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Http;

namespace Voucher.Security.Tests;

/// <summary>The trust rule of <see cref="ClientAddress"/>: forwarded hops are believed only from a configured proxy.</summary>
public sealed class ClientAddressTests
{
    static readonly ClientAddress BehindFrontEnd = new(ClientAddress.ParseNetworks("10.0.0.0/8, 127.0.0.1"));

    static readonly ClientAddress NoProxy = new(ClientAddress.ParseNetworks(""));

    static string? Resolve(ClientAddress rule, string peer, params string[] forwardedFor) =>
        rule.Resolve(IPAddress.Parse(peer), forwardedFor)?.ToString();

    [Fact]
    public void Peer_in_a_known_network_makes_the_last_untrusted_hop_the_client()
    {
        Assert.Equal("203.0.113.9", Resolve(BehindFrontEnd, "10.1.2.3", "203.0.113.9"));
        // The client's own entries (left) are skipped; so is a second trusted proxy's hop.
        Assert.Equal("203.0.113.9", Resolve(BehindFrontEnd, "10.1.2.3", "6.6.6.6, 203.0.113.9, 10.4.4.4"));
        // Several header lines are one list, in order.
        Assert.Equal("203.0.113.9", Resolve(BehindFrontEnd, "10.1.2.3", "6.6.6.6", "203.0.113.9"));
        // Ports as App Service writes them, IPv6 in brackets.
        Assert.Equal("203.0.113.9", Resolve(BehindFrontEnd, "127.0.0.1", "203.0.113.9:50123"));
        Assert.Equal("2001:db8::7", Resolve(BehindFrontEnd, "127.0.0.1", "[2001:db8::7]:443"));
    }

    [Fact]
    public void Peer_not_trusted_ignores_the_header()
    {
        Assert.Equal("198.51.100.4", Resolve(BehindFrontEnd, "198.51.100.4", "203.0.113.9"));
        Assert.Equal("127.0.0.1", Resolve(NoProxy, "127.0.0.1", "203.0.113.9"));
        Assert.Equal("127.0.0.1", Resolve(NoProxy, "::ffff:127.0.0.1", "203.0.113.9"));
    }

    [Fact]
    public void Malformed_hop_where_the_proxy_wrote_stops_at_the_proxy()
    {
        Assert.Equal("10.1.2.3", Resolve(BehindFrontEnd, "10.1.2.3", "203.0.113.9, not-an-address"));
        Assert.Equal("10.1.2.3", Resolve(BehindFrontEnd, "10.1.2.3", "unknown"));
        // Garbage further left than the first untrusted hop is never read.
        Assert.Equal("203.0.113.9", Resolve(BehindFrontEnd, "10.1.2.3", "<script>, 203.0.113.9"));
        // No header or an empty one: the peer.
        Assert.Equal("10.1.2.3", Resolve(BehindFrontEnd, "10.1.2.3"));
        Assert.Equal("10.1.2.3", Resolve(BehindFrontEnd, "10.1.2.3", " , "));
    }

    [Fact]
    public void Only_trusted_hops_means_the_leftmost_is_the_client()
    {
        Assert.Equal("10.7.7.7", Resolve(BehindFrontEnd, "10.1.2.3", "10.7.7.7, 10.4.4.4"));
    }

    [Fact]
    public void Of_a_request_reads_the_connection_and_the_header()
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse("127.0.0.1");
        http.Request.Headers[ClientAddress.ForwardedForHeader] = "203.0.113.50";
        Assert.Equal("203.0.113.50", BehindFrontEnd.Of(http.Request));
        Assert.Equal("127.0.0.1", NoProxy.Of(http.Request));
        Assert.Equal("unknown", NoProxy.Of(new DefaultHttpContext().Request));
    }

    [Fact]
    public void Setting_is_read_from_configuration_and_a_bad_entry_is_named()
    {
        var configured = ClientAddress.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [SettingNames.ForwardedHeadersKnownNetworks] = "10.0.0.0/8; 2001:db8::/32" }).Build());
        Assert.Equal(2, configured.KnownNetworks.Count);
        Assert.Empty(ClientAddress.FromConfiguration(new ConfigurationBuilder().Build()).KnownNetworks);

        var e = Assert.Throws<InvalidOperationException>(() => ClientAddress.ParseNetworks("10.0.0.0/8, 10.0.0.0/99"));
        Assert.Contains("10.0.0.0/99", e.Message, StringComparison.Ordinal);
        Assert.Contains(SettingNames.ForwardedHeadersKnownNetworks, e.Message, StringComparison.Ordinal);
    }
}

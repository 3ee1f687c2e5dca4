using System.Net;

namespace RxNet;

/// <summary>
/// What a <c>udp:</c> string says (<c>udp:9999:interface=127.0.0.1</c>, or connected:
/// <c>udp:0:remoteHost=127.0.0.1:remotePort=9999</c>), read and checked once for every reactor.
/// </summary>
/// <param name="Port">The local port (0 picks a free one).</param>
/// <param name="Interface">The local address to bind, if the string gives one.</param>
/// <param name="Remote">The peer of a connected endpoint, host as written, or <see langword="null"/>. Whether the host
/// may be a name is the reactor's to say: sockets take addresses only, a simulated network takes host names.</param>
public sealed record UdpParameters(int Port, IPAddress? Interface, DnsEndPoint? Remote)
{
    /// <summary>Reads a parsed <c>udp:</c> description.</summary>
    /// <param name="description">The parsed description.</param>
    /// <returns>The parameters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="description"/> is null.</exception>
    /// <exception cref="FormatException">Another scheme, no port or two, a bad port, an <c>interface</c> that is not
    /// an IP address, only one of <c>remoteHost</c> and <c>remotePort</c>, or an unknown parameter; the message points
    /// at it.</exception>
    public static UdpParameters Read(EndpointDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var d = description;
        if (d.Scheme != "udp")
            throw d.Invalid(d.Scheme, "a UDP endpoint starts with 'udp:'");
        int port = d.ReadListeningPort("udp:9999");
        d.CheckKeys("a UDP endpoint", "port", "interface", "remoteHost", "remotePort");
        IPAddress? address = null;
        if (d.Parameters.TryGetValue("interface", out var text) && !IPAddress.TryParse(text, out address))
            throw d.Invalid("interface", "interface must be an IP address");
        var remote = d.ReadRemote("udp:0:remoteHost=127.0.0.1:remotePort=9999") is { } peer ? new DnsEndPoint(peer.Host, peer.Port) : null;
        return new UdpParameters(port, address, remote);
    }
}

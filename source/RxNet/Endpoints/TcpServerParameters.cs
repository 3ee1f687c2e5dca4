using System.Net;
using System.Net.Sockets;

namespace RxNet;

/// <summary>
/// What a <c>tcp:</c> or <c>tcp6:</c> server string says (<c>tcp:8000:interface=127.0.0.1:backlog=128</c>), read
/// and checked once for every reactor: the socket reactor binds it, a simulated host listens on its port, and a
/// transport of your own reads a string the same way, with the same errors.
/// </summary>
/// <param name="EndPoint">The address and port to bind: the <c>interface</c> (all IPv4 interfaces for <c>tcp:</c>,
/// all IPv6 ones for <c>tcp6:</c> when absent) and the port (0 picks a free one).</param>
/// <param name="Backlog">The listen backlog, if the string gives one (1 to 65535).</param>
/// <remarks>The socket buffer sizes (<c>sndbuf=BYTES</c>, <c>rcvbuf=BYTES</c>) are read and checked here too; a
/// transport without kernel buffers (the simulated network) accepts and ignores them.</remarks>
public sealed record TcpServerParameters(IPEndPoint EndPoint, int? Backlog)
{
    /// <summary>The kernel send buffer each accepted socket asks for (<c>sndbuf=BYTES</c>, at least 1), if the string gives one.</summary>
    public int? SendBufferSize { get; init; }

    /// <summary>The kernel receive buffer each accepted socket asks for (<c>rcvbuf=BYTES</c>, at least 1), if the string gives one.</summary>
    public int? ReceiveBufferSize { get; init; }

    /// <summary>Reads a parsed <c>tcp:</c> or <c>tcp6:</c> server description.</summary>
    /// <param name="description">The parsed description.</param>
    /// <returns>The parameters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="description"/> is null.</exception>
    /// <exception cref="FormatException">Another scheme, no port or two, a bad port, an <c>interface</c> that is not an
    /// IP address (or an IPv6 one for <c>tcp:</c>), a bad backlog, a <c>sndbuf</c> or <c>rcvbuf</c> that is not a whole
    /// number of at least 1, or an unknown parameter; the message points at it.</exception>
    public static TcpServerParameters Read(EndpointDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (description.Scheme is not ("tcp" or "tcp6"))
            throw description.Invalid(description.Scheme, "a TCP server endpoint starts with 'tcp:' or 'tcp6:'");
        return ReadCore(description, "tcp:8000", "a TCP server", []);
    }

    /// <summary>Reads the TCP part of a server string whose scheme is a layer over TCP (as <c>tls:</c> is), for a
    /// transport of your own: port, <c>interface</c> (IPv4 only, as for <c>tcp:</c>), <c>backlog</c>, <c>sndbuf</c> and
    /// <c>rcvbuf</c> are read with the same rules and errors as a <c>tcp:</c> string's, and the layer's own keys
    /// are allowed beside them (left for the caller to read).</summary>
    /// <param name="description">The parsed description, of any scheme.</param>
    /// <param name="example">A valid string of the scheme, quoted when the port is missing (<c>tls:8443:certificate=cert.pem</c>).</param>
    /// <param name="what">What the endpoint is, for errors (<c>a TLS server</c>).</param>
    /// <param name="layerKeys">The keys the layer reads itself.</param>
    /// <returns>The TCP parameters.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="FormatException">No port or two, a bad port, a bad <c>interface</c>, backlog or buffer size,
    /// or a key that is neither TCP's nor the layer's; the message points at it.</exception>
    public static TcpServerParameters ReadLayered(EndpointDescription description, string example, string what, params string[] layerKeys)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(what);
        ArgumentNullException.ThrowIfNull(layerKeys);
        return ReadCore(description, example, what, layerKeys);
    }

    private static TcpServerParameters ReadCore(EndpointDescription d, string example, string what, string[] layerKeys)
    {
        int port = d.ReadListeningPort(example);
        d.CheckKeys(what, ["port", "interface", "backlog", "sndbuf", "rcvbuf", .. layerKeys]);
        IPAddress address = d.Scheme == "tcp6" ? IPAddress.IPv6Any : IPAddress.Any;
        if (d.Parameters.TryGetValue("interface", out var text))
        {
            if (!IPAddress.TryParse(text, out address!))
                throw d.Invalid("interface", "interface must be an IP address");
            if (d.Scheme != "tcp6" && address.AddressFamily != AddressFamily.InterNetwork)
                throw d.Invalid("interface", d.Scheme == "tcp" ? "'tcp:' takes an IPv4 interface; use 'tcp6:' for IPv6" : $"'{d.Scheme}:' takes an IPv4 interface");
        }
        int? backlog = d.Parameters.TryGetValue("backlog", out var backlogText) ? d.ReadInt32("backlog", backlogText, 1, 65535) : null;
        return new TcpServerParameters(new IPEndPoint(address, port), backlog)
        {
            SendBufferSize = d.ReadBufferSize("sndbuf"),
            ReceiveBufferSize = d.ReadBufferSize("rcvbuf"),
        };
    }
}

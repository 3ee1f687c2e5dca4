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
        var d = description;
        if (d.Scheme is not ("tcp" or "tcp6"))
            throw d.Invalid(d.Scheme, "a TCP server endpoint starts with 'tcp:' or 'tcp6:'");
        int port = d.ReadListeningPort("tcp:8000");
        d.CheckKeys("a TCP server", "port", "interface", "backlog", "sndbuf", "rcvbuf");
        IPAddress address = d.Scheme == "tcp6" ? IPAddress.IPv6Any : IPAddress.Any;
        if (d.Parameters.TryGetValue("interface", out var text))
        {
            if (!IPAddress.TryParse(text, out address!))
                throw d.Invalid("interface", "interface must be an IP address");
            if (d.Scheme == "tcp" && address.AddressFamily != AddressFamily.InterNetwork)
                throw d.Invalid("interface", "'tcp:' takes an IPv4 interface; use 'tcp6:' for IPv6");
        }
        int? backlog = d.Parameters.TryGetValue("backlog", out var backlogText) ? d.ReadInt32("backlog", backlogText, 1, 65535) : null;
        return new TcpServerParameters(new IPEndPoint(address, port), backlog)
        {
            SendBufferSize = d.ReadBufferSize("sndbuf"),
            ReceiveBufferSize = d.ReadBufferSize("rcvbuf"),
        };
    }
}

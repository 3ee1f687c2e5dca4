using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RxNet.Proxy.Internal;

namespace RxNet;

/// <summary>
/// A parsed or to-be-sent HAProxy PROXY protocol header: the original client and server addresses of a connection
/// relayed by a load balancer, and, in version 2, extra type-length-value entries.
/// </summary>
/// <remarks>
/// <para>Decoded headers come from <see cref="ProxyHeaderDecoder"/> (and the server operators of
/// <see cref="ProxyProtocolExtensions"/>, through <see cref="IProxiedConnection.ProxyHeader"/>); headers to send are
/// made with <see cref="V1(IPEndPoint, IPEndPoint)"/>, <see cref="V2(EndPoint, EndPoint, SocketType, IEnumerable{ProxyTlv}?)"/>,
/// <see cref="V1Unknown"/> or <see cref="V2Local"/> and written by <see cref="ProxyHeaderEncoder"/>.</para>
/// <para><see cref="Source"/> and <see cref="Destination"/> are set only when the header carries addresses: a
/// <see cref="ProxyCommand.Local"/> header, a version 1 <c>UNKNOWN</c> one and a version 2 one with an unspecified
/// family have none, and a server then keeps the connection's real endpoints.</para>
/// </remarks>
public sealed class ProxyHeader
{
    private ProxyHeader(int version, ProxyCommand command, AddressFamily addressFamily, SocketType socketType,
        EndPoint? source, EndPoint? destination, IReadOnlyList<ProxyTlv> tlvs)
    {
        Version = version;
        Command = command;
        AddressFamily = addressFamily;
        SocketType = socketType;
        Source = source;
        Destination = destination;
        Tlvs = tlvs;
    }

    /// <summary>A version 1 <c>PROXY UNKNOWN\r\n</c>: the sender cannot tell the addresses (the receiver keeps the real ones).</summary>
    public static ProxyHeader V1Unknown { get; } = new(1, ProxyCommand.Proxy, AddressFamily.Unspecified, SocketType.Unknown, null, null, []);

    /// <summary>The protocol version: 1 (text) or 2 (binary).</summary>
    public int Version { get; }

    /// <summary>Whether the connection is relayed (<see cref="ProxyCommand.Proxy"/>) or the proxy's own (<see cref="ProxyCommand.Local"/>).</summary>
    public ProxyCommand Command { get; }

    /// <summary>The family of the addresses: <see cref="AddressFamily.InterNetwork"/>, <see cref="AddressFamily.InterNetworkV6"/>,
    /// <see cref="AddressFamily.Unix"/> (version 2 only) or <see cref="AddressFamily.Unspecified"/> (no addresses).</summary>
    public AddressFamily AddressFamily { get; }

    /// <summary>The relayed transport: <see cref="SocketType.Stream"/> (TCP; every version 1 header with addresses),
    /// <see cref="SocketType.Dgram"/> (UDP, version 2 only) or <see cref="SocketType.Unknown"/>.</summary>
    public SocketType SocketType { get; }

    /// <summary>The original client's address (an <see cref="IPEndPoint"/> or a <see cref="UnixDomainSocketEndPoint"/>),
    /// or <see langword="null"/> when the header carries none.</summary>
    public EndPoint? Source { get; }

    /// <summary>The address the original client connected to, or <see langword="null"/> when the header carries none.</summary>
    public EndPoint? Destination { get; }

    /// <summary>The version 2 type-length-value entries, in order (empty for version 1 and for <see cref="ProxyCommand.Local"/>).</summary>
    public IReadOnlyList<ProxyTlv> Tlvs { get; }

    /// <summary>A version 1 header (<c>PROXY TCP4 ...</c> or <c>PROXY TCP6 ...</c>) for a relayed TCP connection.</summary>
    /// <param name="source">The original client's address and port.</param>
    /// <param name="destination">The address and port it connected to; of the same family as <paramref name="source"/>.</param>
    /// <returns>The header.</returns>
    /// <exception cref="ArgumentNullException">An address is null.</exception>
    /// <exception cref="ArgumentException">The addresses are not both IPv4 or both IPv6.</exception>
    public static ProxyHeader V1(IPEndPoint source, IPEndPoint destination)
    {
        var family = IpFamily(source, destination);
        return new ProxyHeader(1, ProxyCommand.Proxy, family, SocketType.Stream, source, destination, []);
    }

    /// <summary>A version 2 <see cref="ProxyCommand.Proxy"/> header for a relayed connection.</summary>
    /// <param name="source">The original client's address: an <see cref="IPEndPoint"/> or a <see cref="UnixDomainSocketEndPoint"/>.</param>
    /// <param name="destination">The address it connected to, of the same kind and family as <paramref name="source"/>.</param>
    /// <param name="socketType"><see cref="SocketType.Stream"/> (TCP, the default) or <see cref="SocketType.Dgram"/> (UDP).</param>
    /// <param name="tlvs">Extra entries to send after the addresses; a <see cref="ProxyTlv.Crc32C"/> entry is filled in by the encoder.</param>
    /// <returns>The header.</returns>
    /// <exception cref="ArgumentNullException">An address is null.</exception>
    /// <exception cref="ArgumentException">The addresses are of different kinds or families, a Unix path is longer than
    /// 108 bytes, or the entries do not fit in the 65535 bytes a header may carry.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="socketType"/> is neither stream nor datagram.</exception>
    public static ProxyHeader V2(EndPoint source, EndPoint destination, SocketType socketType = SocketType.Stream, IEnumerable<ProxyTlv>? tlvs = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (socketType is not (SocketType.Stream or SocketType.Dgram))
            throw new ArgumentOutOfRangeException(nameof(socketType), socketType, "A PROXY header relays a stream or a datagram transport.");
        AddressFamily family;
        if (source is IPEndPoint ipSource && destination is IPEndPoint ipDestination)
        {
            family = IpFamily(ipSource, ipDestination);
        }
        else if (source is UnixDomainSocketEndPoint && destination is UnixDomainSocketEndPoint)
        {
            family = AddressFamily.Unix;
            _ = ProxyV2.UnixPath(source);
            _ = ProxyV2.UnixPath(destination);
        }
        else
        {
            throw new ArgumentException($"A PROXY header carries two IP endpoints or two Unix socket endpoints, not {source.GetType().Name} and {destination.GetType().Name}.", nameof(destination));
        }
        var header = new ProxyHeader(2, ProxyCommand.Proxy, family, socketType, source, destination, Checked(tlvs));
        _ = ProxyV2.Length(header);
        return header;
    }

    /// <summary>A version 2 <see cref="ProxyCommand.Local"/> header: the proxy's own connection (a health check), without addresses.</summary>
    /// <param name="tlvs">Extra entries to send (a receiver ignores the block of a LOCAL header; RxNet's decoder does).</param>
    /// <returns>The header.</returns>
    /// <exception cref="ArgumentException">The entries do not fit in the 65535 bytes a header may carry.</exception>
    public static ProxyHeader V2Local(IEnumerable<ProxyTlv>? tlvs = null)
    {
        var header = new ProxyHeader(2, ProxyCommand.Local, AddressFamily.Unspecified, SocketType.Unknown, null, null, Checked(tlvs));
        _ = ProxyV2.Length(header);
        return header;
    }

    /// <summary>The value of the first entry of type <paramref name="type"/>.</summary>
    /// <param name="type">The type, for example <see cref="ProxyTlv.Authority"/>.</param>
    /// <param name="value">The entry's value, when there is one.</param>
    /// <returns>Whether the header has such an entry.</returns>
    public bool TryGetTlv(byte type, out ReadOnlyMemory<byte> value)
    {
        foreach (var tlv in Tlvs)
        {
            if (tlv.Type == type)
            {
                value = tlv.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>The header as a line: <c>v1 PROXY TCP4 192.0.2.1:56324 -&gt; 198.51.100.1:443</c>, <c>v2 LOCAL</c>, ...</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        string what = Command == ProxyCommand.Local ? "LOCAL"
            : Source is null ? "PROXY UNKNOWN"
            : $"PROXY {Protocol()} {Source} -> {Destination}";
        return string.Create(CultureInfo.InvariantCulture, $"v{Version} {what}{(Tlvs.Count > 0 ? $" (+{Tlvs.Count} TLVs)" : "")}");
    }

    /// <summary>A decoded header (no checks: the decoder made them).</summary>
    internal static ProxyHeader Decoded(int version, ProxyCommand command, AddressFamily family, SocketType socketType,
        EndPoint? source, EndPoint? destination, IReadOnlyList<ProxyTlv> tlvs) =>
        new(version, command, family, socketType, source, destination, tlvs);

    private string Protocol() => (AddressFamily, SocketType) switch
    {
        (AddressFamily.InterNetwork, SocketType.Stream) => "TCP4",
        (AddressFamily.InterNetworkV6, SocketType.Stream) => "TCP6",
        (AddressFamily.InterNetwork, _) => "UDP4",
        (AddressFamily.InterNetworkV6, _) => "UDP6",
        (_, SocketType.Stream) => "UNIX_STREAM",
        _ => "UNIX_DGRAM",
    };

    private static AddressFamily IpFamily(IPEndPoint source, IPEndPoint destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var family = source.AddressFamily;
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6) || destination.AddressFamily != family)
            throw new ArgumentException($"A PROXY header's addresses are both IPv4 or both IPv6, not {source.Address} and {destination.Address}.", nameof(destination));
        return family;
    }

    private static ProxyTlv[] Checked(IEnumerable<ProxyTlv>? tlvs)
    {
        var list = tlvs?.ToArray() ?? [];
        foreach (var tlv in list)
        {
            if (tlv.Value.Length > ushort.MaxValue)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"TLV 0x{tlv.Type:X2} has {tlv.Value.Length} bytes; an entry holds 65535 at most."), nameof(tlvs));
            if (tlv.Type == ProxyTlv.Crc32C && tlv.Value.Length != 4)
                throw new ArgumentException("A CRC32C entry holds 4 bytes (the encoder fills them in).", nameof(tlvs));
        }
        return list;
    }
}

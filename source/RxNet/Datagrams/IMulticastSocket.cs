using System.Net;

namespace RxNet;

/// <summary>
/// A datagram socket that can join IP multicast groups: Twisted's <c>joinGroup</c>, <c>leaveGroup</c>,
/// <c>setLoopbackMode</c>, <c>setTTL</c> and <c>setOutgoingInterface</c>. UDP sockets implement it; simulated
/// datagram sockets do not (test for it with <c>socket is IMulticastSocket m</c>).
/// </summary>
/// <remarks>
/// <para>To receive a group's datagrams, bind the group's port on the wildcard address (<c>udp:PORT</c>, not
/// <c>interface=127.0.0.1</c>: the kernel matches the destination, which is the group) and join the group on
/// an interface. To send to a group, send to <c>group:port</c>; <see cref="MulticastInterface"/> picks the
/// interface it leaves by, and <see cref="MulticastLoopback"/> whether this host's own members get it.</para>
/// <para>Membership is a lifetime: <see cref="JoinGroup"/> returns it and disposing it leaves the group
/// (Twisted's <c>leaveGroup</c>); disposing the socket leaves every group.</para>
/// </remarks>
public interface IMulticastSocket : IDatagramSocket
{
    /// <summary>Joins <paramref name="group"/> on <paramref name="localInterface"/>: from now on the socket
    /// receives datagrams sent to the group at its port.</summary>
    /// <param name="group">A multicast address (224.0.0.0/4 or ff00::/8) of the socket's address family.</param>
    /// <param name="localInterface">The address of the interface to join on (for IPv6, one of the interface's
    /// addresses), or <see langword="null"/> to let the system choose.</param>
    /// <returns>The membership: dispose it to leave the group (idempotent).</returns>
    /// <exception cref="ArgumentException"><paramref name="group"/> is not a multicast address of the socket's
    /// family, or <paramref name="localInterface"/> is no interface's address.</exception>
    /// <exception cref="IOException">The system refused, for example because the group is already joined on that interface.</exception>
    /// <exception cref="ObjectDisposedException">The socket is disposed.</exception>
    IDisposable JoinGroup(IPAddress group, IPAddress? localInterface = null);

    /// <summary>Whether datagrams this socket sends to a group are also delivered to members on this host
    /// (<c>IP_MULTICAST_LOOP</c>); on by default.</summary>
    bool MulticastLoopback { get; set; }

    /// <summary>How many routers a datagram sent to a group may cross (<c>IP_MULTICAST_TTL</c>, 0 to 255);
    /// 1 by default, which keeps it on the local network.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside 0 to 255.</exception>
    int MulticastTimeToLive { get; set; }

    /// <summary>The interface datagrams to a group leave by (<c>IP_MULTICAST_IF</c>), given by one of its addresses;
    /// <see langword="null"/> (the default) lets the routing table choose.</summary>
    /// <exception cref="ArgumentException">Set to an address no interface has.</exception>
    IPAddress? MulticastInterface { get; set; }
}

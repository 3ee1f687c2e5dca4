using System.Net;

namespace RxNet;

/// <summary>One decision or release of a <see cref="ConnectionLimiter"/>, with the counts right after it:
/// what <see cref="ConnectionLimiter.Events"/> emits, for logs and metrics.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Peer">The connection's remote address, if the transport has one.</param>
/// <param name="PeerKey">The peer as the limiter counts it (by default its address without the port).</param>
/// <param name="OpenConnections">Connections held after the event.</param>
/// <param name="OpenConnectionsFromPeer">Connections held from this peer after the event.</param>
public sealed record ConnectionLimitEvent(
    ConnectionLimitEventKind Kind,
    EndPoint? Peer,
    string PeerKey,
    int OpenConnections,
    int OpenConnectionsFromPeer);

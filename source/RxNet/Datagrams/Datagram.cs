using System.Net;

namespace RxNet;

/// <summary>
/// One datagram: its payload and the other side's address, the sender's on receipt and the
/// destination's when sending. Datagrams are never merged or split.
/// </summary>
/// <param name="Payload">The datagram's bytes. A received payload belongs to the subscriber and stays
/// valid forever; a payload given to <see cref="IDatagramSocket.Output"/> is copied before the call returns.</param>
/// <param name="RemoteEndPoint">Where it came from, or where it goes.</param>
public readonly record struct Datagram(ReadOnlyMemory<byte> Payload, EndPoint RemoteEndPoint);

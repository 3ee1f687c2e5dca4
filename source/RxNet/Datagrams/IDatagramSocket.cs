using System.Net;

namespace RxNet;

/// <summary>
/// A bound datagram socket (UDP, or a simulated datagram link): received datagrams as an observable,
/// datagrams to send as an observer. Twisted's <c>DatagramProtocol</c> with its transport.
/// </summary>
/// <remarks>
/// <para>Delivery is what the network gives: a datagram may be lost, duplicated or reordered, but is
/// never merged with another or split. Nothing is acknowledged, so nothing is retried.</para>
/// <para><see cref="Input"/> is cold and unicast, like a connection's: it delivers while subscribed;
/// datagrams arriving meanwhile wait in the receive buffer (and are dropped once it is full, as the
/// kernel drops them). A second concurrent subscriber gets <see cref="InvalidOperationException"/>.</para>
/// <para>Disposing unbinds: <see cref="Input"/> completes and later sends are ignored.</para>
/// <para>A <em>connected</em> socket (Twisted's <c>transport.connect(host, port)</c>; <c>udp:…:remoteHost=…:remotePort=…</c>)
/// has one <see cref="RemoteEndPoint"/>: it receives only that peer's datagrams, sends only to it, and learns
/// when the peer's port is closed: <see cref="Input"/> then fails with <see cref="ConnectionRefusedException"/>
/// (Twisted's <c>connectionRefused()</c>), and the socket stays bound, so subscribing again (or <c>Retry()</c>)
/// reads on.</para>
/// </remarks>
public interface IDatagramSocket : IDisposable
{
    /// <summary>The datagrams received, each with its sender's address.</summary>
    IObservable<Datagram> Input { get; }

    /// <summary>
    /// Sends each datagram to its <see cref="Datagram.RemoteEndPoint"/>. <c>OnCompleted</c> ends sending
    /// (receiving goes on until disposed); <c>OnError</c> disposes the socket.
    /// </summary>
    /// <remarks><c>OnNext</c> throws <see cref="ArgumentException"/> for a payload larger than
    /// <see cref="MaxDatagramSize"/>, an address the socket cannot reach, or, on a connected socket, an address
    /// other than <see cref="RemoteEndPoint"/>: that is a bug of the caller, not a network event.</remarks>
    IObserver<Datagram> Output { get; }

    /// <summary>The address the socket is bound to (the real port when port 0 was asked for).</summary>
    EndPoint LocalEndPoint { get; }

    /// <summary>The one peer of a connected socket, or <see langword="null"/> for a socket that sends anywhere
    /// and receives from anyone.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>The largest payload this socket sends or receives whole (65 507 bytes for UDP over IPv4).</summary>
    int MaxDatagramSize { get; }
}

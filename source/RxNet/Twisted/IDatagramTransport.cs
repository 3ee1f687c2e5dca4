using System.Net;

namespace RxNet.Twisted;

/// <summary>What a <see cref="DatagramProtocol"/> sends through: Twisted's UDP transport (<c>IUDPTransport</c>) over an
/// <see cref="IDatagramSocket"/>.</summary>
/// <remarks>Writes are copied before they return and may be made from any thread. Sending is UDP's: nothing waits for
/// the peer and nothing is retried.</remarks>
public interface IDatagramTransport
{
    /// <summary>Sends one datagram to <paramref name="address"/> (Twisted's <c>transport.write(data, addr)</c>).</summary>
    /// <param name="data">The payload, at most the socket's <see cref="IDatagramSocket.MaxDatagramSize"/> bytes.</param>
    /// <param name="address">Where to: typically the address a datagram came from. On a connected port, the peer's only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    /// <exception cref="ArgumentException">The payload is too large, or the address cannot be reached from this socket
    /// (another peer than a connected port's, a host name on a UDP socket): a bug of the caller (Twisted's
    /// <c>MessageLengthError</c> for the size).</exception>
    void Write(ReadOnlyMemory<byte> data, EndPoint address);

    /// <summary>Sends one datagram to the peer of a connected port (Twisted's <c>transport.write(data)</c> after
    /// <c>transport.connect(host, port)</c>).</summary>
    /// <param name="data">The payload.</param>
    /// <exception cref="InvalidOperationException">The port is not connected: each datagram needs its address.</exception>
    /// <exception cref="ArgumentException">The payload is too large.</exception>
    void Write(ReadOnlyMemory<byte> data);

    /// <summary>The bound address, with the real port when port 0 was asked for (Twisted's <c>getHost</c>).</summary>
    EndPoint Host { get; }

    /// <summary>The peer of a connected port, or <see langword="null"/> for a port that sends anywhere.</summary>
    EndPoint? Peer { get; }

    /// <summary>Stops listening and unbinds (Twisted's <c>stopListening</c> and <c>loseConnection</c>);
    /// <see cref="DatagramProtocol.StopProtocol"/> follows. Idempotent.</summary>
    void StopListening();

    /// <summary>The datagram socket underneath, for mixing both styles.</summary>
    IDatagramSocket Socket { get; }
}

using System.Reactive;

namespace RxNet;

/// <summary>Operators on datagram sockets.</summary>
public static class DatagramSocketExtensions
{
    /// <summary>
    /// The output of a connected socket as payloads, each sent to its <see cref="IDatagramSocket.RemoteEndPoint"/>:
    /// Twisted's <c>transport.write(data)</c> on a connected <c>DatagramProtocol</c>.
    /// </summary>
    /// <param name="socket">A connected datagram socket.</param>
    /// <returns>An observer whose <c>OnNext</c> sends one datagram to the peer (copied before it returns, and
    /// throwing <see cref="ArgumentException"/> above <see cref="IDatagramSocket.MaxDatagramSize"/>);
    /// <c>OnCompleted</c> and <c>OnError</c> are the socket output's.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="socket"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The socket is not connected: each datagram needs its address.</exception>
    public static IObserver<ReadOnlyMemory<byte>> PeerOutput(this IDatagramSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var peer = socket.RemoteEndPoint
            ?? throw new InvalidOperationException($"{socket} is not connected, so a datagram needs its address: send a Datagram to its Output instead.");
        var output = socket.Output;
        return Observer.Create<ReadOnlyMemory<byte>>(payload => output.OnNext(new Datagram(payload, peer)), output.OnError, output.OnCompleted);
    }
}

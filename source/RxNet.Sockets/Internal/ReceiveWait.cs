using System.Net.Sockets;

namespace RxNet.Sockets.Internal;

/// <summary>
/// A connection's receive, as the socket's own event args: the zero-byte wait for data (or the read into the
/// connection's own block) completes by calling the connection back. Used instead of
/// <c>Socket.ReceiveAsync(Memory)</c>, whose awaitable args the socket keeps for its lifetime, plus the
/// connection's continuation delegate and awaiter: this subclass holds one reference instead, about 120 B less
/// per idle connection (docs/benchmarks.md).
/// </summary>
internal sealed class ReceiveWait : SocketAsyncEventArgs
{
    private readonly SocketConnection _connection;

    /// <summary>Creates the receive args of <paramref name="connection"/>; execution context never flows (the
    /// reactor's I/O carries none).</summary>
    /// <param name="connection">The connection to call back when a receive completes asynchronously.</param>
    public ReceiveWait(SocketConnection connection)
        : base(unsafeSuppressExecutionContextFlow: true) => _connection = connection;

    protected override void OnCompleted(SocketAsyncEventArgs e) => _connection.OnReceived();
}

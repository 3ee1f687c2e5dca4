using System.Net;

namespace RxNet.Twisted;

/// <summary>Runs a <see cref="Protocol"/> over an <see cref="IConnection"/>.</summary>
internal sealed class ConnectionTransport : ITransport
{
    private readonly IConnection _connection;
    private bool _disconnecting;

    private ConnectionTransport(IConnection connection) => _connection = connection;

    public EndPoint? Peer => _connection.RemoteEndPoint;

    public EndPoint? Host => _connection.LocalEndPoint;

    public IConnection Connection => _connection;

    public bool Disconnecting => Volatile.Read(ref _disconnecting);

    /// <summary>Fires <see cref="Protocol.ConnectionMade"/>, feeds the input to <see cref="Protocol.DataReceived"/>
    /// and reports the end through <see cref="Protocol.ConnectionLost"/> and then <paramref name="lost"/>.</summary>
    public static void Attach(IConnection connection, Protocol protocol, Action<ConnectionClosed>? lost = null)
    {
        var transport = new ConnectionTransport(connection);
        // Subscribed only after ConnectionMade, so ConnectionLost never overlaps or precedes it, even
        // when ConnectionMade aborted the connection or it had closed already (Closed replays).
        void WatchClosed() => connection.Closed.Subscribe(reason =>
        {
            try
            {
                protocol.Disconnected(reason);
            }
            finally
            {
                lost?.Invoke(reason);
            }
        });
        try
        {
            protocol.MakeConnection(transport);
        }
        catch
        {
            WatchClosed();
            connection.Dispose();
            throw;
        }
        WatchClosed();
        // The peer closed its side: finish sending and close ours, as Twisted does for protocols
        // that are not half-close aware. Errors end the connection and reach ConnectionLost.
        bool failed = false;
        connection.Input.Subscribe(
            data =>
            {
                if (failed)
                    return;
                try
                {
                    protocol.DataReceived(data);
                }
                catch (Exception e)
                {
                    // A protocol's exception ends its own connection, never the transport's loop.
                    failed = true;
                    connection.Output.OnError(e);
                }
            },
            _ => { },
            transport.LoseConnection);
    }

    public void Write(ReadOnlyMemory<byte> data) => _connection.Output.OnNext(data);

    public void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var piece in data)
            _connection.Output.OnNext(piece);
    }

    public void LoseConnection()
    {
        Volatile.Write(ref _disconnecting, true);
        _connection.Output.OnCompleted();
    }

    public void AbortConnection()
    {
        Volatile.Write(ref _disconnecting, true);
        _connection.Dispose();
    }
}

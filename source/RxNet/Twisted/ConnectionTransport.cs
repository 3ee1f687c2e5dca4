using System.Net;

namespace RxNet.Twisted;

/// <summary>Runs a <see cref="Protocol"/> over an <see cref="IConnection"/>.</summary>
internal sealed class ConnectionTransport : ITransport
{
    private readonly IConnection _connection;
    private readonly Protocol _protocol;
    private bool _disconnecting;
    private int _writeLost;

    private ConnectionTransport(IConnection connection, Protocol protocol) => (_connection, _protocol) = (connection, protocol);

    public EndPoint? Peer => _connection.RemoteEndPoint;

    public EndPoint? Host => _connection.LocalEndPoint;

    public IConnection Connection => _connection;

    /// <summary>Whether the protocol called <see cref="LoseConnection"/> or <see cref="AbortConnection"/>
    /// (Twisted's <c>transport.disconnecting</c>): line receivers stop delivering lines then, as Twisted's do.</summary>
    public bool Disconnecting => Volatile.Read(ref _disconnecting);

    /// <summary>Fires <see cref="Protocol.ConnectionMade"/>, feeds the input to <see cref="Protocol.DataReceived"/>
    /// and reports the end through <see cref="Protocol.ConnectionLost"/> and then <paramref name="lost"/>.</summary>
    public static void Attach(IConnection connection, Protocol protocol, Action<ConnectionClosed>? lost = null)
    {
        var transport = new ConnectionTransport(connection, protocol);
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
        // The peer closed its side: finish sending and close, as Twisted does for protocols that are not
        // half-close aware; a half-closeable one is told and keeps writing. Errors end the connection and
        // reach ConnectionLost.
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
            () =>
            {
                if (failed)
                    return;
                if (protocol is IHalfCloseableProtocol halfCloseable)
                    transport.Notify(halfCloseable.ReadConnectionLost);
                else
                    transport.LoseConnection();
            });
    }

    /// <summary>Runs a half-close event; its exception aborts the connection, as any event's does.</summary>
    private void Notify(Action handler)
    {
        try
        {
            handler();
        }
        catch (Exception e)
        {
            _connection.Output.OnError(e);
        }
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
        _connection.Close();
    }

    public void LoseWriteConnection()
    {
        if (Interlocked.Exchange(ref _writeLost, 1) != 0)
            return;
        _connection.Output.OnCompleted();
        if (_protocol is IHalfCloseableProtocol halfCloseable)
        {
            // Writable completes once everything queued has been handed on, just before the FIN.
            _connection.Output.Writable.Subscribe(_ => { }, _ => { }, () =>
            {
                if (_protocol.Connected)
                    Notify(halfCloseable.WriteConnectionLost);
            });
        }
    }

    public void AbortConnection()
    {
        Volatile.Write(ref _disconnecting, true);
        _connection.Dispose();
    }
}

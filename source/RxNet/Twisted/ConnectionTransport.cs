using System.Net;
using System.Reactive;
using System.Reactive.Subjects;
using RxNet.Twisted.Internal;

namespace RxNet.Twisted;

/// <summary>Runs a <see cref="Protocol"/> over an <see cref="IConnection"/>.</summary>
#pragma warning disable CA1001 // the demand subject holds no unmanaged state; it lives as long as the connection
internal sealed class ConnectionTransport : ITransport
#pragma warning restore CA1001
{
    private readonly IConnection _connection;
    private readonly BehaviorSubject<bool> _reading = new(true); // the input's demand: PauseProducing turns it off
    private readonly ProducerSlot _producer;
    private readonly Protocol _protocol;
    private bool _disconnecting;
    private int _writeLost;

    private ConnectionTransport(IConnection connection, Protocol protocol)
    {
        _connection = connection;
        _protocol = protocol;
        _producer = new ProducerSlot(connection.Output, e => ProtocolLog.Failed(protocol, "a registered producer", connection.RemoteEndPoint, e));
    }

    public EndPoint? Peer => _connection.RemoteEndPoint;

    public EndPoint? Host => _connection.LocalEndPoint;

    public IConnection Connection => _connection;

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
            transport._producer.End(); // as Twisted stops the producer before connectionLost
            try
            {
                protocol.Disconnected(reason);
            }
            catch (Exception e)
            {
                // The connection has ended already: logged, never thrown into the transport that reported the end.
                ProtocolLog.Failed(protocol, nameof(Protocol.ConnectionLost), connection.RemoteEndPoint, e);
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
        catch (Exception e)
        {
            ProtocolLog.Failed(protocol, nameof(Protocol.ConnectionMade), connection.RemoteEndPoint, e);
            WatchClosed();
            connection.Dispose();
            throw;
        }
        WatchClosed();
        // The peer closed its side: finish sending and close, as Twisted does for protocols that are not
        // half-close aware; a half-closeable one is told and keeps writing. Errors end the connection and
        // reach ConnectionLost.
        bool failed = false;
        connection.Input.Subscribe(Observer.Create<ReadOnlyMemory<byte>>(
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
                    ProtocolLog.Failed(protocol, nameof(Protocol.DataReceived), connection.RemoteEndPoint, e);
                    connection.Output.OnError(e);
                }
            },
            _ => { },
            () =>
            {
                if (failed)
                    return;
                if (protocol is IHalfCloseableProtocol halfCloseable)
                    transport.Notify(halfCloseable.ReadConnectionLost, nameof(IHalfCloseableProtocol.ReadConnectionLost));
                else
                    transport.LoseConnection();
            }), transport._reading);
    }

    /// <summary>Runs a half-close event; its exception aborts the connection, as any event's does.</summary>
    private void Notify(Action handler, string name)
    {
        try
        {
            handler();
        }
        catch (Exception e)
        {
            ProtocolLog.Failed(_protocol, name, _connection.RemoteEndPoint, e);
            _connection.Output.OnError(e);
        }
    }

    public void Write(ReadOnlyMemory<byte> data)
    {
        _connection.Output.OnNext(data);
        _producer.Wrote();
    }

    public void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var piece in data)
            Write(piece);
    }

    public void RegisterProducer(IProducer producer, bool streaming) => _producer.Register(producer, streaming);

    public void UnregisterProducer() => _producer.Unregister();

    /// <summary>Pauses reading the input (Twisted's <c>pauseProducing</c> on a transport): at most the chunk
    /// being read still arrives.</summary>
    public void PauseProducing() => _reading.OnNext(false);

    public void ResumeProducing() => _reading.OnNext(true);

    /// <summary>Loses the connection, as Twisted's transports do when asked to stop producing.</summary>
    public void StopProducing() => LoseConnection();

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
                    Notify(halfCloseable.WriteConnectionLost, nameof(IHalfCloseableProtocol.WriteConnectionLost));
            });
        }
    }

    public void AbortConnection()
    {
        Volatile.Write(ref _disconnecting, true);
        _connection.Dispose();
    }
}

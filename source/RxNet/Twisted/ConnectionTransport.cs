using System.Net;
using System.Reactive.Subjects;
using RxNet.Twisted.Internal;

namespace RxNet.Twisted;

/// <summary>Runs a <see cref="Protocol"/> over an <see cref="IConnection"/>.</summary>
/// <remarks>It is itself the observer of the connection's input and of its <c>Closed</c>, and makes the producer
/// slot only when a producer registers: an idle connection then holds no closures, delegates or Rx observers of
/// its own (about 600 B less per connection, docs/benchmarks.md).</remarks>
#pragma warning disable CA1001 // the demand subject holds no unmanaged state; it lives as long as the connection
internal sealed class ConnectionTransport : ITransport, IObserver<ReadOnlyMemory<byte>>, IObserver<ConnectionClosed>
#pragma warning restore CA1001
{
    private readonly IConnection _connection;
    private readonly BehaviorSubject<bool> _reading = new(true); // the input's demand: PauseProducing turns it off
    private readonly Protocol _protocol;
    private readonly Action<ConnectionClosed>? _lost;
    private ProducerSlot? _producer; // made on the first RegisterProducer: most protocols never register one
    private int _closed; // 1 once Closed has fired: a producer slot made later is ended at once
    private bool _disconnecting;
    private bool _failed; // DataReceived threw: the rest of the input is ignored
    private int _writeLost;

    private ConnectionTransport(IConnection connection, Protocol protocol, Action<ConnectionClosed>? lost)
    {
        _connection = connection;
        _protocol = protocol;
        _lost = lost;
    }

    public EndPoint? Peer => _connection.RemoteEndPoint;

    public EndPoint? Host => _connection.LocalEndPoint;

    public IConnection Connection => _connection;

    public bool Disconnecting => Volatile.Read(ref _disconnecting);

    private ProducerSlot Producer
    {
        get
        {
            if (Volatile.Read(ref _producer) is { } made)
                return made;
            var slot = new ProducerSlot(_connection.Output, ProducerFailed);
            if (Interlocked.CompareExchange(ref _producer, slot, null) is { } raced)
                return raced;
            // Both sides use interlocked operations: either Closed sees this slot, or this sees Closed's flag.
            if (Interlocked.CompareExchange(ref _closed, 1, 1) == 1)
                slot.End();
            return slot;
        }
    }

    /// <summary>Fires <see cref="Protocol.ConnectionMade"/>, feeds the input to <see cref="Protocol.DataReceived"/>
    /// and reports the end through <see cref="Protocol.ConnectionLost"/> and then <paramref name="lost"/>.</summary>
    public static void Attach(IConnection connection, Protocol protocol, Action<ConnectionClosed>? lost = null)
    {
        var transport = new ConnectionTransport(connection, protocol, lost);
        // Closed is subscribed only after ConnectionMade, so ConnectionLost never overlaps or precedes it, even
        // when ConnectionMade aborted the connection or it had closed already (Closed replays).
        try
        {
            protocol.MakeConnection(transport);
        }
        catch (Exception e)
        {
            ProtocolLog.Failed(protocol, nameof(Protocol.ConnectionMade), connection.RemoteEndPoint, e);
            connection.Closed.Subscribe(transport);
            connection.Dispose();
            throw;
        }
        connection.Closed.Subscribe(transport);
        connection.Input.Subscribe(transport, transport._reading);
    }

    void IObserver<ConnectionClosed>.OnNext(ConnectionClosed value)
    {
        Interlocked.Exchange(ref _closed, 1);
        Volatile.Read(ref _producer)?.End(); // as Twisted stops the producer before connectionLost
        try
        {
            _protocol.Disconnected(value);
        }
        catch (Exception e)
        {
            // The connection has ended already: logged, never thrown into the transport that reported the end.
            ProtocolLog.Failed(_protocol, nameof(Protocol.ConnectionLost), _connection.RemoteEndPoint, e);
        }
        finally
        {
            _lost?.Invoke(value);
        }
    }

    void IObserver<ConnectionClosed>.OnError(Exception error)
    {
        // Closed never fails; its end is OnNext.
    }

    void IObserver<ConnectionClosed>.OnCompleted()
    {
    }

    void IObserver<ReadOnlyMemory<byte>>.OnNext(ReadOnlyMemory<byte> value)
    {
        if (_failed)
            return;
        try
        {
            _protocol.DataReceived(value);
        }
        catch (Exception e)
        {
            // A protocol's exception ends its own connection, never the transport's loop.
            _failed = true;
            ProtocolLog.Failed(_protocol, nameof(Protocol.DataReceived), _connection.RemoteEndPoint, e);
            _connection.Output.OnError(e);
        }
    }

    void IObserver<ReadOnlyMemory<byte>>.OnError(Exception error)
    {
        // Errors end the connection and reach ConnectionLost through Closed.
    }

    // The peer closed its side: finish sending and close, as Twisted does for protocols that are not half-close
    // aware; a half-closeable one is told and keeps writing.
    void IObserver<ReadOnlyMemory<byte>>.OnCompleted()
    {
        if (_failed)
            return;
        if (_protocol is IHalfCloseableProtocol halfCloseable)
            Notify(halfCloseable.ReadConnectionLost, nameof(IHalfCloseableProtocol.ReadConnectionLost));
        else
            LoseConnection();
    }

    private void ProducerFailed(Exception error) => ProtocolLog.Failed(_protocol, "a registered producer", _connection.RemoteEndPoint, error);

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
        Volatile.Read(ref _producer)?.Wrote(); // only a registered producer's pull loop counts writes
    }

    public void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var piece in data)
            Write(piece);
    }

    public void RegisterProducer(IProducer producer, bool streaming) => Producer.Register(producer, streaming);

    public void UnregisterProducer() => Volatile.Read(ref _producer)?.Unregister();

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

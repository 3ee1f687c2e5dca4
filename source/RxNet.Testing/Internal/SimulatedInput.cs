using System.Reactive.Disposables;
using RxNet.Internal;
using RxNet.Transport;

namespace RxNet.Testing.Internal;

/// <summary>
/// The receiving side of a simulated connection: keeps what arrives (within the receive window) and
/// hands it to the one subscriber while it wants more and the connection's own output is not above
/// its high-water mark, as <c>SocketInput</c> does.
/// </summary>
internal sealed class SimulatedInput : IPausableObservable<ReadOnlyMemory<byte>>
{
    private readonly SimulatedConnection _connection;
    private readonly SimulatedNetwork _network;
    private readonly Queue<byte[]> _buffer = new();
    private readonly SubscriberSlot<ReadOnlyMemory<byte>> _slot;
    private bool _fin;
    private bool _ended;
    private Exception? _error;
    private bool _pumping;
    private bool _wakeScheduled;
    private bool _paused;

    public SimulatedInput(SimulatedConnection connection, SimulatedNetwork network)
    {
        _connection = connection;
        _network = network;
        // The network is single-threaded: the slot's lock is never contended.
        _slot = new SubscriberSlot<ReadOnlyMemory<byte>>(_buffer, Wake);
    }

    /// <summary>Bytes kept for the subscriber and not yet delivered.</summary>
    public long Buffered { get; private set; }

    /// <summary>Bytes delivered to subscribers so far.</summary>
    public long BytesReceived { get; private set; }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, SubscriberSlot<ReadOnlyMemory<byte>>.AlwaysDemand);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(canProduce);
        if (_slot.Observer is not null)
        {
            observer.OnError(SubscriberSlot<ReadOnlyMemory<byte>>.AlreadySubscribed(_connection));
            return Disposable.Empty;
        }
        if (_ended && _buffer.Count == 0 && !_fin)
        {
            Terminate(observer, _error);
            return Disposable.Empty;
        }
        _slot.TryAttach(observer);
        _slot.FollowDemand(observer, canProduce);
        Wake();
        return _slot.Subscription(observer);
    }

    /// <summary>A data segment arrived.</summary>
    public void Enqueue(byte[] data)
    {
        if (_ended)
            return;
        _buffer.Enqueue(data);
        Buffered += data.Length;
        Pump();
    }

    /// <summary>The peer's FIN arrived, after every byte it sent.</summary>
    public void EnqueueFin()
    {
        if (_ended)
            return;
        _fin = true;
        Pump();
    }

    /// <summary>Ends the input with an error (reset or abort): what was kept is dropped.</summary>
    public void End(Exception error)
    {
        if (_ended)
            return; // already finished (FIN delivered) or failed
        _ended = true;
        _error = error;
        _fin = false;
        _buffer.Clear();
        Buffered = 0;
        Pump();
    }

    /// <summary>Re-checks, in a turn of its own, whether delivery may go on.</summary>
    public void Wake()
    {
        if (_wakeScheduled)
            return;
        _wakeScheduled = true;
        _network.ScheduleAt(_network.Now, () =>
        {
            _wakeScheduled = false;
            Pump();
        });
    }

    /// <summary>Delivers while there is a subscriber, demand and room in the connection's own output.
    /// Not re-entrant: a call made while delivering is answered by the running loop.</summary>
    private void Pump()
    {
        if (_pumping)
            return;
        _pumping = true;
        try
        {
            while (_slot.Observer is { } observer)
            {
                if (_error is not null)
                {
                    _slot.Detach();
                    Terminate(observer, _error);
                    return;
                }
                if (!_slot.Demand || _connection.Output.PausesInput)
                {
                    if ((_buffer.Count > 0 || _fin) && !_paused)
                    {
                        _paused = true; // counted once per pause, not per arrival meanwhile
                        _connection.Metrics.InputPaused();
                    }
                    return;
                }
                if (_buffer.Count == 0 && !_fin)
                    return;
                if (_buffer.Count > 0)
                {
                    var chunk = _buffer.Dequeue();
                    Buffered -= chunk.Length;
                    _paused = false;
                    BytesReceived += chunk.Length;
                    _connection.Metrics.Received(chunk.Length);
                    _connection.WindowConsumed(chunk.Length);
                    Deliver(observer, chunk);
                    continue;
                }
                _fin = false;
                _ended = true;
                _slot.Detach();
                _connection.InputEnding(null); // before the subscriber reacts (say, by completing the output)
                Terminate(observer, null);
                _connection.InputFinished();
                return;
            }
        }
        finally
        {
            _pumping = false;
        }
    }

    private void Deliver(IObserver<ReadOnlyMemory<byte>> observer, byte[] chunk)
    {
        var outer = ConnectionTurn.Begin(_connection);
        try
        {
            observer.OnNext(chunk);
        }
        catch (Exception e)
        {
            _connection.Fail(e);
        }
        finally
        {
            ConnectionTurn.End(outer);
        }
    }

    private void Terminate(IObserver<ReadOnlyMemory<byte>> observer, Exception? error) =>
        SubscriberSlot<ReadOnlyMemory<byte>>.Terminate(observer, error, _connection.Fail);
}

using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace RxNet.Testing.Internal;

/// <summary>
/// The receiving side of a simulated connection: keeps what arrives (within the receive window) and
/// hands it to the one subscriber while it wants more and the connection's own output is not above
/// its high-water mark, as <c>SocketInput</c> does.
/// </summary>
internal sealed class SimulatedInput(SimulatedConnection connection, SimulatedNetwork network) : IPausableObservable<ReadOnlyMemory<byte>>
{
    private static readonly IObservable<bool> AlwaysDemand = Observable.Never<bool>();

    private readonly Queue<byte[]> _buffer = new();
    private IObserver<ReadOnlyMemory<byte>>? _observer;
    private IDisposable? _demandSubscription;
    private bool _demand = true;
    private bool _fin;
    private bool _ended;
    private Exception? _error;
    private bool _pumping;
    private bool _wakeScheduled;

    /// <summary>Bytes kept for the subscriber and not yet delivered.</summary>
    public long Buffered { get; private set; }

    /// <summary>Bytes delivered to subscribers so far.</summary>
    public long BytesReceived { get; private set; }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, AlwaysDemand);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(canProduce);
        if (_observer is not null)
        {
            observer.OnError(new InvalidOperationException(
                $"The input of {connection} already has a subscriber; it is unicast. Use Publish() to share it."));
            return Disposable.Empty;
        }
        if (_ended && _buffer.Count == 0 && !_fin)
        {
            Terminate(observer, _error);
            return Disposable.Empty;
        }
        _observer = observer;
        _demand = true;
        if (!ReferenceEquals(canProduce, AlwaysDemand))
        {
            var demand = canProduce.Subscribe(
                on => SetDemand(observer, on),
                _ => SetDemand(observer, true),
                () => SetDemand(observer, true));
            if (ReferenceEquals(_observer, observer))
                _demandSubscription = demand;
            else
                demand.Dispose();
        }
        Wake();
        return Disposable.Create(() => Unsubscribe(observer));
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
        network.ScheduleAt(network.Now, () =>
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
            while (_observer is { } observer)
            {
                if (_error is not null)
                {
                    Detach();
                    Terminate(observer, _error);
                    return;
                }
                if (!_demand || connection.Output.PausesInput || (_buffer.Count == 0 && !_fin))
                    return;
                if (_buffer.Count > 0)
                {
                    var chunk = _buffer.Dequeue();
                    Buffered -= chunk.Length;
                    BytesReceived += chunk.Length;
                    connection.WindowConsumed(chunk.Length);
                    Deliver(observer, chunk);
                    continue;
                }
                _fin = false;
                _ended = true;
                Detach();
                connection.InputEnding(null); // before the subscriber reacts (say, by completing the output)
                Terminate(observer, null);
                connection.InputFinished();
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
        var previous = network.TurnOwner;
        network.TurnOwner = connection;
        try
        {
            observer.OnNext(chunk);
        }
        catch (Exception e)
        {
            connection.Fail(e);
        }
        finally
        {
            network.TurnOwner = previous;
        }
    }

    private void SetDemand(IObserver<ReadOnlyMemory<byte>> observer, bool on)
    {
        if (!ReferenceEquals(_observer, observer))
            return;
        _demand = on;
        if (on)
            Wake();
    }

    private void Unsubscribe(IObserver<ReadOnlyMemory<byte>> observer)
    {
        if (ReferenceEquals(_observer, observer))
            Detach();
    }

    private void Detach()
    {
        _observer = null;
        _demand = true;
        _demandSubscription?.Dispose();
        _demandSubscription = null;
    }

    private void Terminate(IObserver<ReadOnlyMemory<byte>> observer, Exception? error)
    {
        try
        {
            if (error is null)
                observer.OnCompleted();
            else
                observer.OnError(error);
        }
        catch (Exception e)
        {
            connection.Fail(e);
        }
    }
}

using System.Reactive.Disposables;
using RxNet.Internal;

namespace RxNet.Operators.Internal;

/// <summary>
/// The one bounded buffer between a source that cannot pause and a consumer that can ask it to wait
/// (<see cref="ConnectionExtensions.ToConnectionInput"/> for bytes, <c>WriteTo</c> for frames): while demand is off it
/// holds what arrives, in order, up to a limit of total weight (bytes, or one per frame), and past it applies the
/// overflow policy; when demand returns it delivers what it held, one notification at a time.
/// </summary>
/// <remarks>Dropping is decided before a value is held: fail (the source is unsubscribed, the held values dropped,
/// and the error delivered at once), drop the newcomer, drop the oldest until it fits, or keep only the newcomer.
/// A value of no weight (an empty chunk) is ignored.</remarks>
internal sealed class HoldingSink<T> : IObserver<T>, IDisposable
{
    private readonly IObserver<T> _observer;
    private readonly Func<T, int> _weight;
    private readonly long _limit;
    private readonly OverflowPolicy _policy;
    private readonly Func<long, Exception> _overflow;
    private readonly Action<int>? _dropped;
    private readonly Lock _gate = new();
    private readonly Queue<T> _held = new();
    private readonly SingleAssignmentDisposable _demandSubscription = new();
    private readonly SingleAssignmentDisposable _upstream = new();
    private long _heldWeight;
    private bool _demand = true;
    private readonly SerialDrain _drain;
    private bool _ended;   // the source ended or overflowed: _error (or completion) goes after the held values
    private bool _stopped; // the end was delivered or the subscription disposed: nothing more goes out
    private Exception? _error;

    private HoldingSink(IObserver<T> observer, Func<T, int> weight, long limit, OverflowPolicy policy, Func<long, Exception> overflow, Action<int>? dropped)
    {
        _observer = observer;
        _weight = weight;
        _limit = limit;
        _policy = policy;
        _overflow = overflow;
        _dropped = dropped;
        _drain = new SerialDrain(_gate);
    }

    /// <summary>Subscribes <paramref name="source"/> through a new sink that follows <paramref name="demand"/>.</summary>
    /// <param name="source">The source that cannot pause.</param>
    /// <param name="observer">The consumer.</param>
    /// <param name="demand">The consumer's demand signal; before its first value, and after it ends, demand is on.</param>
    /// <param name="weight">What one value counts towards the limit.</param>
    /// <param name="limit">The most weight held.</param>
    /// <param name="policy">What happens past the limit.</param>
    /// <param name="overflow">Makes the error of <see cref="OverflowPolicy.Fail"/>, given the weight that would be held.</param>
    /// <param name="dropped">Told how many values a drop policy dropped.</param>
    /// <returns>The subscription.</returns>
    public static IDisposable Subscribe(IObservable<T> source, IObserver<T> observer, IObservable<bool> demand, Func<T, int> weight,
        long limit, OverflowPolicy policy, Func<long, Exception> overflow, Action<int>? dropped = null)
    {
        var sink = new HoldingSink<T>(observer, weight, limit, policy, overflow, dropped);
        // Demand first, so a source that pushes while being subscribed already sees a pause.
        sink._demandSubscription.Disposable = demand.Subscribe(sink.SetDemand, _ => sink.SetDemand(true), () => sink.SetDemand(true));
        sink._upstream.Disposable = source.Subscribe(sink);
        return sink;
    }

    public void OnNext(T value)
    {
        int weight = _weight(value);
        if (weight == 0)
            return;
        bool overflow = false;
        int dropped = 0;
        lock (_gate)
        {
            if (_ended || _stopped)
                return;
            if (!_demand && _heldWeight + weight > _limit)
            {
                switch (_policy)
                {
                    case OverflowPolicy.DropNewest:
                        dropped = 1;
                        break;
                    case OverflowPolicy.DropOldest:
                        while (_held.Count > 0 && _heldWeight + weight > _limit)
                        {
                            _heldWeight -= _weight(_held.Dequeue());
                            dropped++;
                        }
                        break;
                    case OverflowPolicy.KeepLatest:
                        dropped = _held.Count;
                        _held.Clear();
                        _heldWeight = 0;
                        break;
                    default:
                        // Bounded: fail at once rather than after the held values, which are dropped.
                        _error = _overflow(_heldWeight + weight);
                        _ended = overflow = true;
                        _held.Clear();
                        _heldWeight = 0;
                        break;
                }
            }
            if (!overflow && !(_policy == OverflowPolicy.DropNewest && dropped > 0))
            {
                _held.Enqueue(value);
                _heldWeight += weight;
            }
        }
        if (dropped > 0)
            _dropped?.Invoke(dropped);
        if (overflow)
            _upstream.Dispose();
        Drain();
    }

    public void OnCompleted() => End(null);

    public void OnError(Exception error) => End(error);

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            _held.Clear();
            _heldWeight = 0;
        }
        _upstream.Dispose();
        _demandSubscription.Dispose();
    }

    private void SetDemand(bool on)
    {
        lock (_gate)
            _demand = on;
        if (on)
            Drain();
    }

    private void End(Exception? error)
    {
        lock (_gate)
        {
            if (_ended || _stopped)
                return;
            _ended = true;
            _error = error;
        }
        Drain();
    }

    /// <summary>Delivers what may go now; one thread at a time, another leaves its work to the one draining. A
    /// subscriber's exception goes back to whoever pushed the value.</summary>
    private void Drain() => _drain.Run(this, static self => self.DrainStep());

    // Delivers one value, or the end: whether to go round again.
    private bool DrainStep()
    {
        T value = default!;
        bool end = false;
        Exception? error = null;
        lock (_gate)
        {
            if (_stopped || (_held.Count > 0 && !_demand) || (_held.Count == 0 && !_ended))
                return !_drain.TryLeave();
            if (_held.Count > 0)
            {
                value = _held.Dequeue();
                _heldWeight -= _weight(value);
            }
            else
            {
                _stopped = end = true;
                error = _error;
            }
        }
        if (!end)
        {
            _observer.OnNext(value);
            return true;
        }
        _demandSubscription.Dispose();
        if (error is null)
            _observer.OnCompleted();
        else
            _observer.OnError(error);
        return false; // the end went out: nothing drains again
    }
}

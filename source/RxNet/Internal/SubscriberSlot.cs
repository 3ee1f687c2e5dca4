using System.Reactive.Linq;

namespace RxNet.Internal;

/// <summary>
/// The one subscriber of a unicast transport input and its demand (<see cref="IConnectionInput"/>):
/// the bookkeeping every transport shares, so that they all answer a second subscriber, a demand
/// change and an unsubscribe the same way. Guarded by the owner's lock.
/// </summary>
/// <typeparam name="T">What the input delivers.</typeparam>
internal sealed class SubscriberSlot<T>
{
    /// <summary>The demand of a plain <c>Subscribe</c>: always on, never changes.</summary>
    public static readonly IObservable<bool> AlwaysDemand = Observable.Never<bool>();

    private readonly object _gate;
    private readonly Action<object> _wake;
    private readonly object _wakeState;
    private IDisposable? _demandSubscription;

    /// <summary>Creates an empty slot that wakes its owner through a static callback, so that a slot costs no
    /// delegate of its own (an idle connection keeps one).</summary>
    /// <param name="gate">The owner's lock; members marked "under the gate" expect it held.</param>
    /// <param name="wake">Called with <paramref name="wakeState"/>, outside the gate, when demand comes back on.</param>
    /// <param name="wakeState">What <paramref name="wake"/> is given: usually the owner.</param>
    public SubscriberSlot(object gate, Action<object> wake, object wakeState)
    {
        _gate = gate;
        _wake = wake;
        _wakeState = wakeState;
    }

    /// <summary>The current subscriber, or null (under the gate).</summary>
    public IObserver<T>? Observer { get; private set; }

    /// <summary>A subscriber that came while the current one was inside <c>OnNext</c>, waiting to learn whether that
    /// one leaves before its <c>OnNext</c> returns (under the gate); see <see cref="RxNet.Transport.TransportInput"/>.</summary>
    public IObserver<T>? Pending { get; set; }

    /// <summary>Whether the subscriber wants more now (under the gate).</summary>
    public bool Demand { get; private set; } = true;

    /// <summary>The error a second concurrent subscriber gets.</summary>
    public static InvalidOperationException AlreadySubscribed(object input) =>
        new($"The input of {input} already has a subscriber; it is unicast. Use Publish() to share it.");

    /// <summary>Takes the slot for <paramref name="observer"/> if it is free (under the gate).</summary>
    public bool TryAttach(IObserver<T> observer)
    {
        if (Observer is not null)
            return false;
        Observer = observer;
        Demand = true;
        return true;
    }

    /// <summary>Frees the slot (under the gate).</summary>
    public void Detach()
    {
        Observer = null;
        Demand = true;
        _demandSubscription?.Dispose();
        _demandSubscription = null;
    }

    /// <summary>Follows <paramref name="canProduce"/> for as long as <paramref name="observer"/> holds the
    /// slot; an error or completion of it means "produce". Call outside the gate, after attaching.</summary>
    public void FollowDemand(IObserver<T> observer, IObservable<bool> canProduce)
    {
        if (ReferenceEquals(canProduce, AlwaysDemand))
            return;
        var demand = canProduce.Subscribe(new DemandWatch(this, observer));
        lock (_gate)
        {
            if (ReferenceEquals(Observer, observer))
            {
                _demandSubscription = demand;
                return;
            }
        }
        demand.Dispose();
    }

    /// <summary>Ends <paramref name="observer"/> with <c>OnCompleted</c> (no error) or <c>OnError</c>; an exception
    /// it throws goes to <paramref name="threw"/> (which fails the connection), never to the caller's thread.</summary>
    public static void Terminate(IObserver<T> observer, Exception? error, Action<Exception> threw)
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
            threw(e);
        }
    }

    /// <summary>A subscription whose disposal frees the slot if <paramref name="observer"/> still holds it (or gives up
    /// its wait if it is <see cref="Pending"/>).</summary>
    public IDisposable Subscription(IObserver<T> observer) => new Leaving(this, observer);

    private void SetDemand(IObserver<T> observer, bool on)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(Observer, observer))
                return;
            Demand = on;
        }
        if (on)
            _wake(_wakeState);
    }

    /// <summary>Follows the demand signal for one subscriber: one small object where three lambdas, their closure and
    /// an Rx observer took about 270 B per pausable subscriber.</summary>
    private sealed class DemandWatch(SubscriberSlot<T> slot, IObserver<T> observer) : IObserver<bool>
    {
        public void OnNext(bool value) => slot.SetDemand(observer, value);

        public void OnError(Exception error) => slot.SetDemand(observer, true);

        public void OnCompleted() => slot.SetDemand(observer, true);
    }

    private sealed class Leaving(SubscriberSlot<T> slot, IObserver<T> observer) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
                return;
            lock (slot._gate)
            {
                if (ReferenceEquals(slot.Observer, observer))
                    slot.Detach();
                else if (ReferenceEquals(slot.Pending, observer))
                    slot.Pending = null; // left before it was let in
            }
        }
    }
}

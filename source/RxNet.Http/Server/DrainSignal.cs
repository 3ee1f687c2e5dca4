using System.Reactive;
using System.Reactive.Disposables;

namespace RxNet.Http;

/// <summary>
/// The moment a server starts draining, as an observable: one <see cref="Unit"/> then completion, at once for a
/// subscriber that comes after it.
/// </summary>
/// <remarks>
/// Long-lived work the server no longer tracks (an upgraded connection, such as a WebSocket) subscribes to end
/// gracefully. Subscribing and disposing are O(1): a server may hold one subscription per open socket, and an
/// <c>AsyncSubject</c> copies its whole observer array on each. Thread-safe; the observers are called on the
/// thread that called <see cref="HttpServer.Drain"/>, outside the lock.
/// </remarks>
internal sealed class DrainSignal : IObservable<Unit>
{
    private readonly Lock _gate = new();
    private readonly HashSet<Subscription> _subscriptions = new(ReferenceEqualityComparer.Instance);
    private bool _fired;

    public IDisposable Subscribe(IObserver<Unit> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_gate)
        {
            if (!_fired)
            {
                var subscription = new Subscription(this, observer);
                _subscriptions.Add(subscription);
                return subscription;
            }
        }
        observer.OnNext(Unit.Default);
        observer.OnCompleted();
        return Disposable.Empty;
    }

    /// <summary>Signals every subscriber once; later calls do nothing.</summary>
    public void Fire()
    {
        Subscription[] subscribed;
        lock (_gate)
        {
            if (_fired)
                return;
            _fired = true;
            subscribed = [.. _subscriptions];
            _subscriptions.Clear();
        }
        foreach (var subscription in subscribed)
        {
            subscription.Observer.OnNext(Unit.Default);
            subscription.Observer.OnCompleted();
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
            _subscriptions.Remove(subscription);
    }

    private sealed class Subscription(DrainSignal signal, IObserver<Unit> observer) : IDisposable
    {
        public IObserver<Unit> Observer { get; } = observer;

        public void Dispose() => signal.Remove(this);
    }
}

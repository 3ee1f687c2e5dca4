using System.Reactive.Disposables;

namespace RxNet.Endpoints.Internal;

/// <summary>A listener that one subscription at a time may use (see <see cref="Listeners.Exclusive"/>).</summary>
internal sealed class ExclusiveListener(IObservable<IConnection> listen, string endpoint) : IObservable<IConnection>
{
    private int _busy;

    public IDisposable Subscribe(IObserver<IConnection> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            observer.OnError(new InvalidOperationException(
                $"The listener of {endpoint} already has a subscriber. Each subscription to one Listen() would bind again " +
                "(another port for port 0, 'address in use' for a fixed one), so a second one at the same time is refused. " +
                "Share the listener among several queries with Publish(), for example listener.Publish().RefCount(), " +
                "or call Listen() again for a binding of its own."));
            return Disposable.Empty;
        }
        var slot = new Slot(this, observer);
        slot.Inner.Disposable = listen.Subscribe(slot);
        return slot;
    }

    private void Release() => Volatile.Write(ref _busy, 0);

    /// <summary>One subscription: frees the listener once, when it ends or is disposed.</summary>
    private sealed class Slot(ExclusiveListener owner, IObserver<IConnection> observer) : IObserver<IConnection>, IDisposable
    {
        private int _released;

        public SingleAssignmentDisposable Inner { get; } = new();

        public void OnNext(IConnection value) => observer.OnNext(value);

        public void OnError(Exception error)
        {
            Free();
            observer.OnError(error);
        }

        public void OnCompleted()
        {
            Free();
            observer.OnCompleted();
        }

        public void Dispose()
        {
            Inner.Dispose();
            Free();
        }

        private void Free()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                owner.Release();
        }
    }
}

using System.Reactive.Disposables;
using RxNet.Internal;

namespace RxNet.Operators.Internal;

/// <summary>
/// A plain observable of bytes as an <see cref="IConnectionInput"/> (see
/// <see cref="ConnectionExtensions.ToConnectionInput"/>): each subscription holds what arrives while its demand is
/// off, up to a limit, and delivers it in order, one notification at a time, when demand comes back.
/// </summary>
internal sealed class HeldInput(IObservable<ReadOnlyMemory<byte>> source, int maxHeldBytes) : IConnectionInput
{
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, SubscriberSlot<ReadOnlyMemory<byte>>.AlwaysDemand);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(canProduce);
        var sink = new Sink(observer, maxHeldBytes);
        // Demand first, so a source that pushes while being subscribed already sees a pause.
        sink.Demand.Disposable = canProduce.Subscribe(sink.SetDemand, _ => sink.SetDemand(true), () => sink.SetDemand(true));
        sink.Upstream.Disposable = source.Subscribe(sink);
        return sink;
    }

    private sealed class Sink(IObserver<ReadOnlyMemory<byte>> observer, int limit) : IObserver<ReadOnlyMemory<byte>>, IDisposable
    {
        private readonly Lock _gate = new();
        private readonly Queue<ReadOnlyMemory<byte>> _held = new();
        private long _heldBytes;
        private bool _demand = true;
        private bool _draining;
        private bool _ended;   // the source ended or overflowed: _error (or completion) goes after the held chunks
        private bool _stopped; // the end was delivered or the subscription disposed: nothing more goes out
        private Exception? _error;

        public SingleAssignmentDisposable Demand { get; } = new();

        public SingleAssignmentDisposable Upstream { get; } = new();

        public void SetDemand(bool on)
        {
            lock (_gate)
                _demand = on;
            if (on)
                Drain();
        }

        public void OnNext(ReadOnlyMemory<byte> value)
        {
            if (value.IsEmpty)
                return;
            bool overflow = false;
            lock (_gate)
            {
                if (_ended || _stopped)
                    return;
                _held.Enqueue(value);
                _heldBytes += value.Length;
                if (!_demand && _heldBytes > limit)
                {
                    // Bounded: fail at once rather than after the held bytes, which are dropped.
                    _error = new InputOverflowException(limit, _heldBytes);
                    _ended = overflow = true;
                    _held.Clear();
                    _heldBytes = 0;
                }
            }
            if (overflow)
                Upstream.Dispose();
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
                _heldBytes = 0;
            }
            Upstream.Dispose();
            Demand.Dispose();
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

        /// <summary>Delivers what may go now; one thread at a time, another leaves its work to the one draining.</summary>
        private void Drain()
        {
            lock (_gate)
            {
                if (_draining)
                    return;
                _draining = true;
            }
            try
            {
                while (true)
                {
                    ReadOnlyMemory<byte> chunk = default;
                    Exception? error = null;
                    lock (_gate)
                    {
                        if (_stopped || (_held.Count > 0 && !_demand) || (_held.Count == 0 && !_ended))
                        {
                            _draining = false;
                            return;
                        }
                        if (_held.Count == 0)
                        {
                            _stopped = true;
                            error = _error;
                        }
                        else
                        {
                            chunk = _held.Dequeue();
                            _heldBytes -= chunk.Length;
                        }
                    }
                    if (!chunk.IsEmpty)
                    {
                        observer.OnNext(chunk);
                        continue;
                    }
                    Demand.Dispose();
                    if (error is null)
                        observer.OnCompleted();
                    else
                        observer.OnError(error);
                    return;
                }
            }
            catch
            {
                lock (_gate)
                    _draining = false;
                throw; // a subscriber's exception goes back to whoever pushed the chunk
            }
        }
    }
}

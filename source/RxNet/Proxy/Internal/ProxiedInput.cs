using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using RxNet.Internal;

namespace RxNet.Proxy.Internal;

/// <summary>
/// The input of a <see cref="ProxiedConnection"/>: first the bytes that came in the header's last chunk after the
/// header (usually none), then the connection's own input from where the header reader left it. While such bytes
/// are held, a subscriber gets them in a turn of the scheduler of its own, as a transport delivers, only while its
/// demand is on; then (or at once when nothing is held) it is handed to the connection's input, which stays cold,
/// unicast and pausable and keeps its bytes between subscribers.
/// </summary>
internal sealed class ProxiedInput : IConnectionInput
{
    private readonly IConnectionInput _source;
    private readonly IScheduler _scheduler;
    private readonly ProxiedConnection _owner;
    private readonly object _gate = new();
    private readonly Queue<ReadOnlyMemory<byte>> _held;
    private HeldDelivery? _delivery; // the subscriber being given the held bytes

    public ProxiedInput(IConnectionInput source, IReadOnlyList<ReadOnlyMemory<byte>> rest, IScheduler scheduler, ProxiedConnection owner)
    {
        _source = source;
        _scheduler = scheduler;
        _owner = owner;
        _held = new Queue<ReadOnlyMemory<byte>>(rest);
    }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, SubscriberSlot<ReadOnlyMemory<byte>>.AlwaysDemand);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(canProduce);
        HeldDelivery delivery;
        lock (_gate)
        {
            if (_delivery is not null)
            {
                observer.OnError(SubscriberSlot<ReadOnlyMemory<byte>>.AlreadySubscribed(_owner));
                return Disposable.Empty;
            }
            if (_held.Count == 0)
                return SubscribeSource(observer, canProduce);
            _delivery = delivery = new HeldDelivery(this, observer, canProduce);
        }
        delivery.Start();
        return delivery;
    }

    /// <summary>The connection was aborted: bytes not yet read are dropped.</summary>
    public void Drop()
    {
        lock (_gate)
            _held.Clear();
    }

    private IDisposable SubscribeSource(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce) =>
        ReferenceEquals(canProduce, SubscriberSlot<ReadOnlyMemory<byte>>.AlwaysDemand)
            ? _source.Subscribe(observer)
            : _source.Subscribe(observer, canProduce);

    /// <summary>One subscriber's way through the held bytes, then on to the source.</summary>
    private sealed class HeldDelivery(ProxiedInput input, IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce) : IDisposable
    {
        private readonly SerialDisposable _demand = new();
        private readonly SerialDisposable _next = new(); // the scheduled turn, then the source's subscription
        private bool _wanted = true;
        private bool _disposed;
        private bool _handedOver;

        public void Start()
        {
            if (!ReferenceEquals(canProduce, SubscriberSlot<ReadOnlyMemory<byte>>.AlwaysDemand))
                _demand.Disposable = canProduce.Subscribe(OnDemand, _ => OnDemand(true), () => OnDemand(true));
            Schedule();
        }

        public void Dispose()
        {
            lock (input._gate)
            {
                if (_disposed)
                    return;
                _disposed = true;
                if (ReferenceEquals(input._delivery, this))
                    input._delivery = null;
            }
            _demand.Dispose();
            _next.Dispose();
        }

        private void OnDemand(bool on)
        {
            lock (input._gate)
                _wanted = on;
            if (on)
                Schedule();
        }

        private void Schedule()
        {
            lock (input._gate)
            {
                if (_disposed || _handedOver)
                    return;
            }
            _next.Disposable = input._scheduler.Schedule(Step);
        }

        /// <summary>One turn: deliver one held chunk, or, with none left, hand the subscriber over to the source.</summary>
        private void Step()
        {
            ReadOnlyMemory<byte> chunk;
            lock (input._gate)
            {
                if (_disposed || _handedOver || !_wanted)
                    return;
                if (!input._held.TryDequeue(out chunk))
                    _handedOver = true;
            }
            if (_handedOver)
            {
                // Subscribed before the slot is freed, so a second subscriber meanwhile is refused by one or the other.
                _next.Disposable = input.SubscribeSource(observer, canProduce);
                _demand.Dispose();
                lock (input._gate)
                {
                    if (ReferenceEquals(input._delivery, this))
                        input._delivery = null;
                }
                return;
            }
            try
            {
                observer.OnNext(chunk);
            }
            catch (Exception e)
            {
                input.Drop();
                input._owner.Fail(e); // as a transport does: the subscriber's exception ends its connection
            }
            Schedule();
        }
    }
}

using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using RxNet.Internal;
using RxNet.Transport;

namespace RxNet.Proxy.Internal;

/// <summary>
/// The input of a <see cref="ProxiedConnection"/>: first the bytes that came in the header's last chunk after the
/// header (usually none), then the connection's own input from where the header reader left it. The held bytes are a
/// <see cref="TransportInput"/> of their own (this is its read step), which gives them the one subscriber, its demand,
/// a turn of the scheduler of their own and the chunk kept between subscribers; when they are gone it completes, and
/// the subscriber is handed to the connection's input, which stays cold, unicast and pausable, with its own turns.
/// </summary>
/// <remarks>Handing over, rather than pumping every later chunk through a second input, keeps each delivery in the
/// transport's own turn: its output sees an echo's writes as fed by its input and pauses it (ADR 0003), at no cost.</remarks>
internal sealed class ProxiedInput : IConnectionInput, IInputReader
{
    private readonly IConnectionInput _source;
    private readonly IScheduler _scheduler;
    private readonly ProxiedConnection _owner;
    private readonly Queue<ReadOnlyMemory<byte>> _rest;
    private readonly TransportInput _held;
    private volatile bool _handedOver; // the held bytes are gone: subscribers go straight to the connection's input

    public ProxiedInput(IConnectionInput source, IReadOnlyList<ReadOnlyMemory<byte>> rest, IScheduler scheduler, ProxiedConnection owner)
    {
        _source = source;
        _scheduler = scheduler;
        _owner = owner;
        _rest = new Queue<ReadOnlyMemory<byte>>(rest);
        _held = new TransportInput(this, owner);
        _handedOver = rest.Count == 0;
    }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, SubscriberSlot<ReadOnlyMemory<byte>>.AlwaysDemand);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(canProduce);
        if (_handedOver)
            return SubscribeSource(observer, canProduce);
        var handover = new Handover(this, observer, canProduce);
        handover.Start();
        return handover;
    }

    public void Unread(ReadOnlyMemory<byte> rest)
    {
        if (_handedOver)
            _source.Unread(rest);
        else
            _held.Unread(rest); // read before the connection's own bytes: the held subscriber's successor gets them first
    }

    /// <summary>This side closed the connection: held bytes not yet read are dropped, and their subscriber (now or next)
    /// completes.</summary>
    public void Close() => _held.Close();

    /// <summary>The connection was aborted: held bytes not yet read are dropped, and their subscriber (now or next)
    /// gets the abort.</summary>
    public void Drop() => _held.Abort(new ConnectionAbortedException($"{_owner} was aborted by this side."));

    void IInputReader.Read(TransportInput input)
    {
        ReadOnlyMemory<byte> chunk;
        bool any;
        lock (_rest)
            any = _rest.TryDequeue(out chunk);
        if (any)
            input.Receive(chunk);
        else
            input.End(null); // the handover
    }

    void IInputReader.ScheduleRun(TransportInput input) => _scheduler.Schedule(input.Run);

    void IInputReader.Ending(Exception? error)
    {
    }

    void IInputReader.Ended(Exception? error) => _handedOver |= error is null;

    void IInputReader.SubscriberThrew(Exception error)
    {
        Drop();
        _owner.Fail(error); // as a transport does: the subscriber's exception ends its connection
    }

    private IDisposable SubscribeSource(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce) =>
        ReferenceEquals(canProduce, SubscriberSlot<ReadOnlyMemory<byte>>.AlwaysDemand)
            ? _source.Subscribe(observer)
            : _source.Subscribe(observer, canProduce);

    /// <summary>One subscriber on the held bytes; their end hands it to the connection's input.</summary>
    private sealed class Handover(ProxiedInput input, IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
        : IObserver<ReadOnlyMemory<byte>>, IDisposable
    {
        private readonly SerialDisposable _subscription = new(); // the held bytes', then the connection input's
        private bool _handed;

        public void Start()
        {
            var held = input._held.Subscribe(this, canProduce); // may hand over at once, from inside
            lock (_subscription)
            {
                if (!_handed)
                    _subscription.Disposable = held;
            }
        }

        public void Dispose() => _subscription.Dispose();

        public void OnNext(ReadOnlyMemory<byte> value) => observer.OnNext(value);

        public void OnCompleted()
        {
            lock (_subscription)
                _handed = true;
            var source = input.SubscribeSource(observer, canProduce);
            lock (_subscription)
                _subscription.Disposable = source;
        }

        public void OnError(Exception error) => observer.OnError(error);
    }
}

using RxNet.Twisted;

namespace RxNet.Http.Web.Internal;

/// <summary>
/// The body of the response a <see cref="Request"/> writes: what <see cref="Request.Write"/> and a registered producer
/// write, as the pausable observable the server subscribes to. Writes made before the server subscribes wait in a
/// list; a registered producer is driven by the server's demand signal (the connection output's <c>Writable</c>): a
/// push producer is paused while it is <see langword="false"/>, a pull producer is asked for a chunk only while it is
/// <see langword="true"/>, so a client that does not read holds the producer and nothing grows.
/// </summary>
/// <remarks>Ends exactly once: completed by <see cref="Finish"/>, failed by <see cref="Fail"/>, or aborted when the
/// server lets go of the body before its end (the client went away); <c>ended</c> then gets <see langword="null"/> or
/// the reason. Writes and <see cref="Finish"/> come from the resource, one at a time; demand changes may come from the
/// server's threads, and the producer is never called under this object's lock.</remarks>
internal sealed class ResponseChannel(Action<Exception?> ended) : IPausableObservable<ReadOnlyMemory<byte>>
{
    private readonly Lock _gate = new();
    private List<ReadOnlyMemory<byte>> _pending = [];
    private IObserver<ReadOnlyMemory<byte>>? _observer;
    private IDisposable? _demand;
    private Exception? _failure;
    private IProducer? _producer;
    private bool _streaming;
    private bool _paused;
    private bool _subscribed;
    private bool _finished;
    private bool _over;      // ended: completion or error delivered, or aborted
    private bool _discard;   // a response without a body (HEAD, 304): writes are dropped
    private bool _canProduce;
    private bool _pumping;
    private bool _again;
    private long _writes;
    private long _bytesSent;

    /// <summary>The body bytes handed to the server so far.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Whether <see cref="Finish"/> was called.</summary>
    public bool Finished
    {
        get
        {
            lock (_gate)
                return _finished;
        }
    }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, null);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool>? canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_gate)
        {
            if (_subscribed)
                throw new InvalidOperationException("A response body is unicast: it can be subscribed to once.");
            _subscribed = true;
        }
        // Hand over what was written before, then go live; writes made meanwhile join the list and go next.
        bool finished = false;
        Exception? failure = null;
        while (true)
        {
            List<ReadOnlyMemory<byte>> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _observer = observer;
                    if (!_over && (_finished || _failure is not null))
                    {
                        _over = true;
                        (finished, failure) = (_failure is null, _failure);
                    }
                    break;
                }
                batch = _pending;
                _pending = [];
                foreach (var chunk in batch)
                    _bytesSent += chunk.Length;
            }
            foreach (var chunk in batch)
                observer.OnNext(chunk);
        }
        if (failure is not null)
            FailObserver(observer, failure);
        else if (finished)
            Complete(observer);
        // The demand signal replays its state (an output's Writable does); one that has said nothing yet counts as true.
        bool told = false;
        if (canProduce is not null)
        {
            var demand = canProduce.Subscribe(value =>
            {
                told = true;
                OnDemand(value);
            }, _ => { }, () => { });
            lock (_gate)
            {
                if (!_over)
                {
                    _demand = demand;
                    demand = null;
                }
            }
            demand?.Dispose();
        }
        if (!told)
            OnDemand(true);
        return new Unsubscriber(this);
    }

    /// <summary>Queues a copy of <paramref name="data"/> for the server.</summary>
    /// <exception cref="InvalidOperationException">After <see cref="Finish"/>.</exception>
    public void Write(ReadOnlyMemory<byte> data)
    {
        IObserver<ReadOnlyMemory<byte>>? observer;
        ReadOnlyMemory<byte> copy;
        lock (_gate)
        {
            if (_finished)
                throw new InvalidOperationException("Request.Write was called after Request.Finish.");
            _writes++;
            if (_over || _discard || data.IsEmpty)
                return;
            copy = data.ToArray();
            observer = _observer;
            if (observer is null)
            {
                _pending.Add(copy);
                return;
            }
            _bytesSent += copy.Length;
        }
        observer.OnNext(copy);
    }

    /// <summary>Ends the body after what was written. A second call does nothing.</summary>
    public void Finish()
    {
        IObserver<ReadOnlyMemory<byte>>? observer;
        bool endNow;
        lock (_gate)
        {
            if (_finished || _over)
                return;
            _finished = true;
            observer = _observer;
            endNow = observer is not null || _discard;
            if (endNow)
                _over = true;
        }
        StopProducer(stop: false);
        if (observer is not null)
            Complete(observer);
        else if (endNow)
            ended(null);
    }

    /// <summary>The response has no body (HEAD, 304): what was and will be written is dropped, and the response
    /// ends at <see cref="Finish"/> without a subscriber.</summary>
    public void Discard()
    {
        bool endNow;
        lock (_gate)
        {
            _discard = true;
            _pending.Clear();
            endNow = _finished && !_over;
            if (endNow)
                _over = true;
        }
        OnDemand(true); // no client to wait for
        if (endNow)
            ended(null);
    }

    /// <summary>Fails the body (the resource failed after the response head went out): the server aborts the connection.</summary>
    public void Fail(Exception error)
    {
        IObserver<ReadOnlyMemory<byte>>? observer;
        lock (_gate)
        {
            if (_over)
                return;
            _failure = error;
            observer = _observer;
            if (observer is null && !_discard)
                return; // delivered at subscription
            _over = true;
        }
        StopProducer(stop: true);
        if (observer is not null)
            FailObserver(observer, error);
        else
            ended(error);
    }

    /// <summary>Nobody will read the rest (the client went away): stops the producer and ends with <paramref name="reason"/>.</summary>
    public void Abort(Exception reason)
    {
        lock (_gate)
        {
            if (_over)
                return;
            _over = true;
        }
        StopProducer(stop: true);
        ended(reason);
    }

    public void RegisterProducer(IProducer producer, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(producer);
        if (streaming ? producer is not IPushProducer : producer is not (IPullProducer or IPushProducer))
            throw new ArgumentException($"{producer.GetType().Name} is registered as a {(streaming ? "push (streaming)" : "pull")} producer but is not an {(streaming ? nameof(IPushProducer) : nameof(IPullProducer))}.", nameof(producer));
        bool over, pause;
        lock (_gate)
        {
            if (_producer is not null)
                throw new InvalidOperationException($"Cannot register producer {producer}, because producer {_producer} was never unregistered.");
            over = _over;
            pause = streaming && !_canProduce;
            if (!over)
            {
                (_producer, _streaming, _paused) = (producer, streaming, pause);
            }
        }
        if (over)
            producer.StopProducing(); // as Twisted does for a request whose connection is gone
        else if (pause)
            Call(((IPushProducer)producer).PauseProducing);
        else if (!streaming)
            Pump();
    }

    public void UnregisterProducer()
    {
        lock (_gate)
            _producer = null;
    }

    private void OnDemand(bool canProduce)
    {
        IProducer? producer;
        bool pause = false, resume = false;
        lock (_gate)
        {
            _canProduce = canProduce || _discard;
            producer = _producer;
            if (producer is null)
                return;
            if (_streaming)
            {
                pause = !_canProduce && !_paused;
                resume = _canProduce && _paused;
                _paused = !_canProduce;
            }
        }
        if (pause)
            Call(((IPushProducer)producer).PauseProducing);
        else if (resume)
            Call(((IPushProducer)producer).ResumeProducing);
        else if (!_streaming && canProduce)
            Pump();
    }

    /// <summary>Asks the pull producer for chunks while it is registered, the server wants more and it writes.</summary>
    private void Pump()
    {
        lock (_gate)
        {
            if (_pumping)
            {
                _again = true; // the pumping thread asks once more instead of missing this wake
                return;
            }
            _pumping = true;
        }
        while (true)
        {
            IProducer producer;
            long before;
            lock (_gate)
            {
                _again = false;
                if (_producer is null || _streaming || !_canProduce || _over)
                {
                    _pumping = false;
                    return;
                }
                producer = _producer;
                before = _writes;
            }
            bool asked = Call(producer is IPullProducer pull ? pull.ResumeProducing : ((IPushProducer)producer).ResumeProducing);
            lock (_gate)
            {
                // A call that wrote nothing is not repeated at once (it would spin) unless a wake came meanwhile.
                if (!asked || (_writes == before && !_again))
                {
                    _pumping = false;
                    return;
                }
            }
        }
    }

    /// <summary>Calls the producer; its exception fails the response instead of reaching the server's loop.</summary>
    private bool Call(Action call)
    {
        try
        {
            call();
            return true;
        }
#pragma warning disable CA1031 // a producer's failure becomes the response's, whatever it is
        catch (Exception e)
#pragma warning restore CA1031
        {
            UnregisterProducer();
            Fail(e);
            return false;
        }
    }

    private void StopProducer(bool stop)
    {
        IProducer? producer;
        IDisposable? demand;
        lock (_gate)
        {
            producer = stop ? _producer : null;
            if (stop)
                _producer = null;
            demand = _demand;
            _demand = null;
        }
        demand?.Dispose();
        producer?.StopProducing();
    }

    private void Complete(IObserver<ReadOnlyMemory<byte>> observer)
    {
        observer.OnCompleted();
        ended(null);
    }

    private void FailObserver(IObserver<ReadOnlyMemory<byte>> observer, Exception error)
    {
        observer.OnError(error);
        ended(error);
    }

    private sealed class Unsubscriber(ResponseChannel channel) : IDisposable
    {
        public void Dispose() => channel.Abort(new ConnectionAbortedException("The client went away before the response was finished."));
    }
}

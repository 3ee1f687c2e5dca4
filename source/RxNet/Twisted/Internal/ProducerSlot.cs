namespace RxNet.Twisted.Internal;

/// <summary>
/// The one producer registered with a transport (Twisted's <c>FileDescriptor.producer</c>), driven by the output's
/// <see cref="IConnectionOutput.Writable"/>: a push producer is paused when it turns <see langword="false"/> and resumed
/// when it turns <see langword="true"/>; a pull producer is asked for a chunk at registration and after each chunk
/// while the output is writable. Stopped when the connection ends.
/// </summary>
/// <remarks>
/// <para>Writable's changes come under the output's lock, in order; the pull loop runs on one thread at a time, and a
/// trigger that comes while it runs is left to it (it reads the state after each chunk). The producer is never called
/// under this object's own lock.</para>
/// <para>Bounded: a chunk is asked for only while the output is writable, that is at most the high-water mark is
/// queued, so the queue never exceeds the mark plus one chunk.</para>
/// </remarks>
internal sealed class ProducerSlot
{
    private readonly IConnectionOutput _output;
    private readonly Action<Exception> _failed; // logs a producer's exception
    private readonly Lock _gate = new();
    private IProducer? _producer;
    private IDisposable? _writableSubscription;
    private bool _streaming;
    private bool _writable = true;
    private bool _paused; // a push producer paused by this slot
    private bool _pumping;
    private bool _again; // woken while pumping
    private bool _ended;
    private long _writes;

    public ProducerSlot(IConnectionOutput output, Action<Exception> failed) => (_output, _failed) = (output, failed);

    /// <summary>Counts a write, so the pull loop knows whether the producer wrote when asked.</summary>
    public void Wrote() => Interlocked.Increment(ref _writes);

    public void Register(IProducer producer, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(producer);
        if (streaming ? producer is not IPushProducer : producer is not (IPullProducer or IPushProducer))
            throw new ArgumentException($"{producer.GetType().Name} is registered as a {(streaming ? "push (streaming)" : "pull")} producer but is not an {(streaming ? nameof(IPushProducer) : nameof(IPullProducer))}.", nameof(producer));
        bool ended;
        lock (_gate)
        {
            if (_producer is not null)
                throw new InvalidOperationException($"Cannot register producer {producer}, because producer {_producer} was never unregistered.");
            ended = _ended;
            if (!ended)
            {
                _producer = producer;
                _streaming = streaming;
                _paused = false;
            }
        }
        if (ended)
        {
            producer.StopProducing(); // as Twisted does for a transport already disconnected
            return;
        }
        // Writable replays its state at once: a full output pauses a push producer now, a writable one starts the pull.
        var subscription = _output.Writable.Subscribe(OnWritable, _ => End(), End);
        lock (_gate)
        {
            if (_producer == producer && _writableSubscription is null)
            {
                _writableSubscription = subscription;
                subscription = null;
            }
        }
        subscription?.Dispose();
    }

    public void Unregister()
    {
        IDisposable? subscription;
        lock (_gate)
        {
            _producer = null;
            subscription = _writableSubscription;
            _writableSubscription = null;
        }
        subscription?.Dispose();
    }

    /// <summary>The connection ended: the producer is stopped and let go, and any later one is stopped at once.</summary>
    public void End()
    {
        IProducer? producer;
        lock (_gate)
        {
            if (_ended)
                return;
            _ended = true;
            producer = _producer;
        }
        Unregister();
        if (producer is not null)
            Call(producer.StopProducing);
    }

    private void OnWritable(bool writable)
    {
        IProducer? producer;
        bool pause = false, resume = false, pull;
        lock (_gate)
        {
            _writable = writable;
            producer = _producer;
            if (producer is null)
                return;
            pull = !_streaming;
            if (_streaming)
            {
                pause = !writable && !_paused;
                resume = writable && _paused;
                _paused = !writable;
            }
        }
        if (pause)
            Call(((IPushProducer)producer).PauseProducing);
        else if (resume)
            Call(((IPushProducer)producer).ResumeProducing);
        else if (pull && writable)
            Pump();
    }

    /// <summary>Calls the producer; its exception aborts the connection, as a protocol event's does, instead of
    /// reaching the output's loop that signalled.</summary>
    private bool Call(Action call)
    {
        try
        {
            call();
            return true;
        }
        catch (Exception e)
        {
            Unregister();
            _failed(e);
            _output.OnError(e);
            return false;
        }
    }

    /// <summary>Asks the pull producer for chunks while it is registered, the output writable and it writes.</summary>
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
            lock (_gate)
            {
                _again = false;
                if (_producer is null || _streaming || !_writable || _ended)
                {
                    _pumping = false;
                    return;
                }
                producer = _producer;
            }
            long before = Interlocked.Read(ref _writes);
            bool asked = Call(producer is IPullProducer pull ? pull.ResumeProducing : ((IPushProducer)producer).ResumeProducing);
            lock (_gate)
            {
                // Stop when it failed, or wrote nothing (asking again at once would spin) and nothing woke it meanwhile;
                // in the same lock as the wake's check, so no wake falls between the two.
                if (!asked || (Interlocked.Read(ref _writes) == before && !_again))
                {
                    _pumping = false;
                    return;
                }
            }
        }
    }
}

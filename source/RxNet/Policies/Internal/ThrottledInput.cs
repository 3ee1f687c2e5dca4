using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Subjects;
using RxNet.Internal;

namespace RxNet.Policies.Internal;

/// <summary>
/// The input of a <see cref="ThrottledConnection"/>: reads the connection's input a little ahead (at most a
/// slice's worth beyond the slice in progress, and one chunk the source may deliver after being paused) and
/// hands it to its one subscriber in slices paced by a <see cref="ThrottleRate"/>, pausing the source while it
/// holds enough. Like a transport's input it is cold, unicast and pausable, keeps its bytes between
/// subscribers, and delivers sequentially: every delivery, timer and source event goes through one pump.
/// </summary>
#pragma warning disable CA1001 // the subject and timer are released when the connection ends
internal sealed class ThrottledInput : IConnectionInput
#pragma warning restore CA1001
{
    private const int MaxReadAhead = 64 * 1024;

    private readonly ThrottledConnection _owner;
    private readonly IConnectionInput _source;
    private readonly IScheduler _scheduler;
    private readonly ThrottleRate _rate;
    private readonly object _gate = new();
    private readonly SubscriberSlot<ReadOnlyMemory<byte>> _slot;
    private readonly Queue<ReadOnlyMemory<byte>> _queue = new();
    private readonly BehaviorSubject<bool> _sourceDemand = new(false);
    private readonly SerialDisposable _timer = new();
    private readonly int _readAhead;
    private long _queued;
    private int _headOffset;
    private int _slice;       // bytes of the head slice being paced, 0 if none
    private long _sliceDue;   // when that slice may be delivered
    private bool _timerSet;
    private bool _completed;  // the source completed; delivered once the queue is empty
    private Exception? _error; // the source failed (or the connection was aborted); delivered at once
    private bool _ended;      // the end was delivered
    private bool _sourceSubscribed;
    private bool _demandPublished;
    private bool _pumping;
    private int _deliveringThread;

    public ThrottledInput(ThrottledConnection owner, IConnectionInput source, IScheduler scheduler, ThrottleRate rate)
    {
        _owner = owner;
        _source = source;
        _scheduler = scheduler;
        _rate = rate;
        _readAhead = Math.Min(rate.SliceSize, MaxReadAhead);
        _slot = new SubscriberSlot<ReadOnlyMemory<byte>>(_gate, Pump);
    }

    /// <summary>Whether the input read the source's end and has not delivered it yet: the connection's
    /// <c>Closed</c> waits for it, as a transport's waits for its input to end.</summary>
    public bool HoldsClose
    {
        get
        {
            lock (_gate)
                return _completed && !_ended && _error is null;
        }
    }

    /// <summary>Whether the current thread is inside a delivery to the subscriber (writes made then feed the output from the input).</summary>
    public bool IsDeliveringOnCurrentThread => Volatile.Read(ref _deliveringThread) == Environment.CurrentManagedThreadId;

    private long Now => _scheduler.Now.UtcTicks;

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, SubscriberSlot<ReadOnlyMemory<byte>>.AlwaysDemand);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(canProduce);
        bool subscribeSource;
        Exception? ended = null;
        bool alreadyEnded;
        lock (_gate)
        {
            if (_slot.Observer is not null)
            {
                ended = SubscriberSlot<ReadOnlyMemory<byte>>.AlreadySubscribed(_owner);
                alreadyEnded = true;
            }
            else if (_ended)
            {
                ended = _error;
                alreadyEnded = true;
            }
            else
            {
                alreadyEnded = false;
                _slot.TryAttach(observer);
            }
            subscribeSource = !alreadyEnded && !_sourceSubscribed;
            _sourceSubscribed |= subscribeSource;
        }
        if (alreadyEnded)
        {
            if (ended is null)
                observer.OnCompleted();
            else
                observer.OnError(ended);
            return Disposable.Empty;
        }
        _slot.FollowDemand(observer, canProduce);
        if (subscribeSource)
        {
            // One subscription for the connection's life: the demand (false while nobody reads here) pauses
            // it, so the source keeps what arrives meanwhile, as it would between two subscribers.
            var sourceObserver = new SourceObserver(this);
            _ = _source.Subscribe(sourceObserver, _sourceDemand);
        }
        // Delivery starts in a turn of its own, as a transport's does, never inside Subscribe.
        _scheduler.Schedule(Pump);
        var leaving = _slot.Subscription(observer);
        return Disposable.Create(() =>
        {
            leaving.Dispose();
            Pump(); // stop reading the source at once
        });
    }

    /// <summary>Demand may have come back (the subscriber's, or the output fell below its mark).</summary>
    public void Wake() => Pump();

    /// <summary>The connection was aborted here: what is held is dropped and the subscriber (now or next) gets the error.</summary>
    public void Abort(Exception error)
    {
        lock (_gate)
        {
            if (!_ended)
                _error ??= error;
        }
        Pump();
    }

    private void OnTimer()
    {
        lock (_gate)
            _timerSet = false;
        Pump();
    }

    /// <summary>
    /// Does what is due, one step at a time, outside the lock: deliver an error, a slice whose time has come
    /// or the completion; arm the timer for the next slice; tell the source whether to read. Only one thread
    /// pumps at a time; another caller's change is seen by the pumping thread's next step.
    /// </summary>
    private void Pump()
    {
        lock (_gate)
        {
            if (_pumping)
                return;
            _pumping = true;
        }
        while (true)
        {
            IObserver<ReadOnlyMemory<byte>>? target = null;
            ReadOnlyMemory<byte> slice = default;
            Exception? error = null;
            bool deliver = false, complete = false;
            long armIn = -1;
            bool? publish = null;
            lock (_gate)
            {
                var observer = _slot.Observer;
                if (observer is not null && _error is not null && !_ended)
                {
                    target = observer;
                    error = _error;
                    End();
                }
                else if (_queue.Count > 0 && _error is null)
                {
                    long now = Now;
                    if (_slice == 0)
                    {
                        _slice = Math.Min(_queue.Peek().Length - _headOffset, _rate.SliceSize);
                        _sliceDue = _rate.Due(now, _slice);
                    }
                    if (now >= _sliceDue)
                    {
                        if (observer is not null && _slot.Demand && !_owner.OutputPausesInput)
                        {
                            target = observer;
                            slice = TakeSlice();
                            deliver = true;
                        }
                    }
                    else if (!_timerSet)
                    {
                        _timerSet = true;
                        armIn = _sliceDue - now;
                    }
                }
                else if (observer is not null && _completed && _error is null && !_ended)
                {
                    target = observer;
                    complete = true;
                    End();
                }
                bool want = _slot.Observer is not null && _slot.Demand && !_ended && _error is null && !_completed
                    && _queued <= _readAhead && !_owner.OutputPausesInput;
                if (want != _demandPublished)
                {
                    _demandPublished = want;
                    publish = want;
                }
                if (target is null && armIn < 0 && publish is null)
                {
                    _pumping = false;
                    return;
                }
            }
            if (armIn >= 0)
                _timer.Disposable = _scheduler.Schedule(TimeSpan.FromTicks(armIn), OnTimer);
            if (publish is bool on)
                _sourceDemand.OnNext(on);
            if (deliver)
                Deliver(target!, slice);
            else if (error is not null)
                Terminate(target!, error);
            else if (complete)
            {
                Terminate(target!, null);
                _owner.InputEnded();
            }
        }
    }

    /// <summary>The end is being delivered: nothing more is held (under the gate).</summary>
    private void End()
    {
        _ended = true;
        _slot.Detach();
        _queue.Clear();
        _queued = 0;
        _headOffset = 0;
        _slice = 0;
        _timer.Disposable = Disposable.Empty;
    }

    /// <summary>The head slice, taken off the queue (under the gate). Chunks are the subscriber's to keep, so a
    /// slice of one needs no copy.</summary>
    private ReadOnlyMemory<byte> TakeSlice()
    {
        var head = _queue.Peek();
        var slice = head.Slice(_headOffset, _slice);
        _headOffset += _slice;
        if (_headOffset == head.Length)
        {
            _queue.Dequeue();
            _headOffset = 0;
        }
        _queued -= _slice;
        _slice = 0;
        return slice;
    }

    private void Deliver(IObserver<ReadOnlyMemory<byte>> observer, ReadOnlyMemory<byte> slice)
    {
        Volatile.Write(ref _deliveringThread, Environment.CurrentManagedThreadId);
        try
        {
            observer.OnNext(slice);
        }
        catch (Exception e)
        {
            _owner.Fail(e); // a subscriber that throws ends its connection, never the scheduler's loop
        }
        finally
        {
            Volatile.Write(ref _deliveringThread, 0);
        }
    }

    private void Terminate(IObserver<ReadOnlyMemory<byte>> observer, Exception? error) =>
        SubscriberSlot<ReadOnlyMemory<byte>>.Terminate(observer, error, _owner.Fail);

    private sealed class SourceObserver(ThrottledInput input) : IObserver<ReadOnlyMemory<byte>>
    {
        public void OnNext(ReadOnlyMemory<byte> value)
        {
            if (value.IsEmpty)
                return;
            lock (input._gate)
            {
                if (input._ended || input._error is not null)
                    return;
                input._queue.Enqueue(value);
                input._queued += value.Length;
            }
            input.Pump();
        }

        public void OnCompleted()
        {
            lock (input._gate)
                input._completed = true;
            input.Pump();
        }

        public void OnError(Exception error)
        {
            lock (input._gate)
            {
                if (!input._ended)
                    input._error ??= error;
            }
            input.Pump();
        }
    }
}

using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Subjects;
using RxNet.Transport;

namespace RxNet.Policies.Internal;

/// <summary>
/// The read step of a <see cref="ThrottledConnection"/>'s <see cref="TransportInput"/>: answers each read with the
/// next slice of what the connection's input delivered, once a <see cref="ThrottleRate"/> says it is due. The input
/// owns the subscriber, its demand, the chunk kept between subscribers and the turns; this owns only the pacing and
/// a small read-ahead (a slice's worth, at most 64 KiB, and the one chunk the source may deliver after it is paused).
/// </summary>
/// <remarks>The source is subscribed once, at the first read, for the connection's life; its demand is off while
/// the read-ahead is full, so the source keeps the rest, as it would between two subscribers.</remarks>
#pragma warning disable CA1001 // the subject and timer are released when the connection ends
internal sealed class ThrottledReader(ThrottledConnection owner, IConnectionInput source, IScheduler scheduler, ThrottleRate rate)
    : IInputReader, IObserver<ReadOnlyMemory<byte>>
#pragma warning restore CA1001
{
    private const int MaxReadAhead = 64 * 1024;

    private readonly ThrottledConnection _owner = owner;
    private readonly IConnectionInput _source = source;
    private readonly IScheduler _scheduler = scheduler;
    private readonly ThrottleRate _rate = rate;
    private readonly int _readAhead = Math.Min(rate.SliceSize, MaxReadAhead);
    private readonly object _gate = new();
    private readonly Queue<ReadOnlyMemory<byte>> _queue = new();
    private readonly BehaviorSubject<bool> _demand = new(true);
    private readonly SerialDisposable _timer = new();
    private readonly SingleAssignmentDisposable _subscription = new();
    private TransportInput? _asking; // the input, while a read is outstanding
    private long _queued;
    private int _headOffset;
    private int _slice;     // bytes of the head slice being paced, 0 if none
    private long _sliceDue; // when that slice may be delivered
    private bool _timerSet;
    private bool _subscribed;
    private bool _completed; // the source completed; answered once the queue is empty
    private Exception? _error; // the source failed, or the connection was aborted: answered at once
    private bool _endReported;

    /// <summary>Whether the source's end was read and not yet delivered: the connection's <c>Closed</c> waits for
    /// it, as a transport's waits for its input to end.</summary>
    public bool HoldsEnd
    {
        get
        {
            lock (_gate)
                return _completed && _error is null && !_endReported;
        }
    }

    public bool PausedByOutput => _owner.OutputPausesInput;

    private long Now => _scheduler.Now.UtcTicks;

    public void Read(TransportInput input)
    {
        bool subscribe;
        lock (_gate)
        {
            _asking = input;
            subscribe = !_subscribed;
            _subscribed = true;
        }
        if (subscribe)
            _subscription.Disposable = _source.Subscribe(this, _demand);
        Step();
    }

    public void ScheduleRun(TransportInput input) => _scheduler.Schedule(input.Run);

    public void Ending(Exception? error)
    {
        // The reason is the wrapped connection's (ThrottledConnection notes it when that one closes).
    }

    public void Ended(Exception? error)
    {
        lock (_gate)
            _endReported = true;
        _owner.InputEnded();
    }

    public void SubscriberThrew(Exception error) => _owner.Fail(error);

    /// <summary>The connection was aborted: what is held is dropped, and an outstanding read is answered (the input
    /// already has its error).</summary>
    public void Abort(Exception error)
    {
        TransportInput? asking;
        lock (_gate)
        {
            _error ??= error;
            asking = Drop();
        }
        _subscription.Dispose();
        asking?.End(error);
    }

    void IObserver<ReadOnlyMemory<byte>>.OnNext(ReadOnlyMemory<byte> value)
    {
        lock (_gate)
        {
            if (_error is not null || value.IsEmpty)
                return;
            _queue.Enqueue(value);
            _queued += value.Length;
        }
        Step();
    }

    void IObserver<ReadOnlyMemory<byte>>.OnCompleted()
    {
        lock (_gate)
            _completed = true;
        Step();
    }

    void IObserver<ReadOnlyMemory<byte>>.OnError(Exception error)
    {
        lock (_gate)
            _error ??= error;
        Step();
    }

    private void OnTimer()
    {
        lock (_gate)
            _timerSet = false;
        Step();
    }

    /// <summary>Answers the outstanding read if it can (an error, a slice now due, or the end once nothing is left),
    /// arms the timer for a slice not yet due, and tells the source whether to read on.</summary>
    private void Step()
    {
        TransportInput? answer = null;
        ReadOnlyMemory<byte> slice = default;
        Exception? error = null;
        bool ends = false;
        long armIn = -1;
        lock (_gate)
        {
            if (_error is not null)
            {
                (answer, error, ends) = (Drop(), _error, true);
            }
            else if (_queue.Count > 0)
            {
                long now = Now;
                if (_slice == 0)
                {
                    _slice = Math.Min(_queue.Peek().Length - _headOffset, _rate.SliceSize);
                    _sliceDue = _rate.Due(now, _slice);
                }
                if (now < _sliceDue)
                {
                    if (!_timerSet)
                        (_timerSet, armIn) = (true, _sliceDue - now);
                }
                else if (_asking is not null)
                {
                    (answer, _asking) = (_asking, null);
                    slice = TakeSlice();
                }
            }
            else if (_completed && _asking is not null)
            {
                (answer, _asking, ends) = (_asking, null, true);
            }
            bool want = _error is null && !_completed && _queued <= _readAhead;
            if (want != _demand.Value)
                _demand.OnNext(want); // the source only wakes or parks its pump: safe under this lock
            if (armIn >= 0)
                _timer.Disposable = _scheduler.Schedule(TimeSpan.FromTicks(armIn), OnTimer);
        }
        if (answer is null)
            return;
        if (ends)
            answer.End(error);
        else
            answer.Receive(slice);
    }

    /// <summary>Drops what is held and takes the outstanding read, if any (under the gate).</summary>
    private TransportInput? Drop()
    {
        var asking = _asking;
        _asking = null;
        _queue.Clear();
        _queued = 0;
        _headOffset = 0;
        _slice = 0;
        _timer.Disposable = Disposable.Empty;
        return asking;
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
}

using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace RxNet.Policies.Internal;

/// <summary>
/// The output of a <see cref="ThrottledConnection"/>: copies each write into its own queue and passes it to
/// the connection's output in slices paced by a <see cref="ThrottleRate"/>; completes the connection's output
/// once the queue is empty.
/// </summary>
/// <remarks>
/// <para><b>Stalls.</b> Slices are held back while the connection's output is not writable (the peer does not
/// read, or a partition holds), and pacing starts afresh when it is writable again: a stall costs at most
/// what the connection's output holds (its high-water mark and a slice) leaving at once, never a catch-up of
/// the whole stall. Nothing polls: the connection's output says when it is writable again.</para>
/// <para><b>Water marks</b> apply to <see cref="PendingBytes"/>, this queue plus the connection's output:
/// not writable once a write takes it above the high-water mark; writable again when, at a slice or a
/// re-check, it is below the low-water mark, or this queue is empty and the total is at most the high-water
/// mark (the connection's output drains without telling). <see cref="Writable"/> is also false while the
/// connection's output is not writable. When written to from its connection's input deliveries (echo), it
/// pauses that input while not writable, as a transport's output does (ADR 0003).</para>
/// </remarks>
#pragma warning disable CA1001 // the subject and timer are released when the output finishes
internal sealed class ThrottledOutput : IConnectionOutput
#pragma warning restore CA1001
{
    private readonly ThrottledConnection _owner;
    private readonly IConnectionOutput _inner;
    private readonly IScheduler _scheduler;
    private readonly ThrottleRate _rate;
    private readonly ConnectionOptions _marks;
    private readonly object _gate = new();
    private readonly Queue<byte[]> _queue = new();
    private readonly BehaviorSubject<bool> _ownWritable = new(true);
    private readonly SerialDisposable _timer = new();
    private readonly SingleAssignmentDisposable _innerWritableSubscription = new();
    private long _queued;
    private int _headOffset;
    private int _slice;
    private long _sliceDue;
    private bool _timerSet;
    private bool _completing;
    private bool _finished;
    private bool _pumping;
    private volatile bool _isOwnWritable = true;
    private volatile bool _isInnerWritable = true;
    private volatile bool _fedByInput;

    public ThrottledOutput(ThrottledConnection owner, IConnectionOutput inner, IScheduler scheduler, ThrottleRate rate, ConnectionOptions marks)
    {
        _owner = owner;
        _inner = inner;
        _scheduler = scheduler;
        _rate = rate;
        _marks = marks;
        Writable = _ownWritable.CombineLatest(inner.Writable, static (own, below) => own && below).DistinctUntilChanged();
    }

    public IObservable<bool> Writable { get; }

    public long PendingBytes => Interlocked.Read(ref _queued) + _inner.PendingBytes;

    /// <summary>Whether the connection's input must pause: fed by it, and not writable.</summary>
    public bool PausesInput => _fedByInput && (!_isOwnWritable || !_isInnerWritable);

    /// <summary>Writes ignored because the output had finished.</summary>
    public long WritesAfterClose { get; private set; }

    private long Now => _scheduler.Now.UtcTicks;

    /// <summary>Starts following the connection's output's writability; called once the connection is built.</summary>
    public void Start() =>
        _innerWritableSubscription.Disposable = _inner.Writable.Subscribe(writable =>
        {
            _isInnerWritable = writable;
            if (!writable)
                return;
            lock (_gate)
            {
                if (_finished)
                    return;
                RecheckWritable(_inner.PendingBytes);
            }
            _owner.WakeInput();
            Pump(); // a stalled slice may go now
        });

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (value.IsEmpty)
            return;
        bool direct = false;
        lock (_gate)
        {
            if (_completing || _finished)
            {
                WritesAfterClose++;
                return;
            }
            if (_owner.IsDeliveringInputOnCurrentThread)
                _fedByInput = true;
            if (_rate.IsUnlimited && _queue.Count == 0)
                direct = true;
            else
            {
                _queue.Enqueue(value.ToArray()); // the caller may reuse its buffer at once
                Interlocked.Add(ref _queued, value.Length);
                if (_isOwnWritable && _queued + _inner.PendingBytes > _marks.HighWaterMark)
                {
                    _isOwnWritable = false;
                    _ownWritable.OnNext(false);
                }
            }
        }
        if (direct)
            _inner.OnNext(value); // it copies, and keeps its own marks
        else
            Pump();
    }

    public void OnCompleted()
    {
        lock (_gate)
        {
            if (_completing || _finished)
                return;
            _completing = true;
        }
        Pump();
    }

    public void OnError(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Finish())
            _inner.OnError(error);
    }

    /// <summary>The connection ended or was aborted: what is queued is dropped.</summary>
    public void Abort() => Finish();

    private bool Finish()
    {
        lock (_gate)
        {
            if (_finished)
                return false;
            _finished = true;
            _queue.Clear();
            Interlocked.Exchange(ref _queued, 0);
            _headOffset = 0;
            _slice = 0;
            _timer.Dispose();
            _ownWritable.OnCompleted();
        }
        _innerWritableSubscription.Dispose();
        return true;
    }

    private void OnTimer()
    {
        lock (_gate)
            _timerSet = false;
        Pump();
    }

    /// <summary>Turns writable again if the total is low enough (under the gate); returns whether it did.</summary>
    /// <param name="innerPending">The connection's output's pending bytes.</param>
    private bool RecheckWritable(long innerPending)
    {
        if (_isOwnWritable)
            return false;
        long total = _queued + innerPending;
        if (total >= _marks.LowWaterMark && !(_queue.Count == 0 && total <= _marks.HighWaterMark))
            return false;
        _isOwnWritable = true;
        _ownWritable.OnNext(true);
        return true;
    }

    /// <summary>Passes on the slices whose time has come, arms the timer for the next (or for a re-check while the
    /// connection's output is stalled), and completes the connection's output once everything queued has gone.
    /// One thread at a time.</summary>
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
            ReadOnlyMemory<byte> slice = default;
            bool send = false, complete = false, wake = false;
            long armIn = -1;
            lock (_gate)
            {
                if (_finished)
                {
                    _pumping = false;
                    return;
                }
                if (_queue.Count > 0)
                {
                    long now = Now;
                    if (_slice == 0)
                    {
                        _slice = Math.Min(_queue.Peek().Length - _headOffset, _rate.SliceSize);
                        _sliceDue = _rate.Due(now, _slice);
                    }
                    long innerPending = _inner.PendingBytes;
                    if (now < _sliceDue)
                    {
                        if (!_timerSet)
                            armIn = _sliceDue - now;
                    }
                    else if (!_isInnerWritable)
                    {
                        // Stalled: the connection's output says when it takes more again (Start); the slice
                        // then goes at once, and pacing starts afresh.
                        wake = RecheckWritable(innerPending);
                    }
                    else
                    {
                        slice = TakeSlice();
                        send = true;
                    }
                    _timerSet |= armIn >= 0;
                }
                else if (_completing)
                {
                    _finished = true;
                    complete = true;
                    _ownWritable.OnCompleted();
                }
                if (!send && !complete && armIn < 0)
                {
                    _pumping = false;
                    if (!wake)
                        return;
                }
            }
            if (armIn >= 0)
                _timer.Disposable = _scheduler.Schedule(TimeSpan.FromTicks(armIn), OnTimer);
            if (send)
            {
                _inner.OnNext(slice);
                lock (_gate) // counted with the slice where it is now: in the connection's output, until it leaves
                    wake = !_finished && RecheckWritable(_inner.PendingBytes);
            }
            if (wake)
                _owner.WakeInput();
            if (complete)
            {
                _innerWritableSubscription.Dispose();
                _inner.OnCompleted(); // flush, then FIN
            }
            if (!send && !complete && armIn < 0)
                return; // only woke the input
        }
    }

    private ReadOnlyMemory<byte> TakeSlice()
    {
        var head = _queue.Peek();
        var slice = new ReadOnlyMemory<byte>(head, _headOffset, _slice);
        _headOffset += _slice;
        if (_headOffset == head.Length)
        {
            _queue.Dequeue();
            _headOffset = 0;
        }
        Interlocked.Add(ref _queued, -_slice);
        _slice = 0;
        return slice;
    }
}

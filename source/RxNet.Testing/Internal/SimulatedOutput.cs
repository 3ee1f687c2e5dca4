using System.Reactive.Subjects;

namespace RxNet.Testing.Internal;

/// <summary>
/// The sending side of a simulated connection: copies writes, coalesces those of one scheduler turn
/// into one transmission, sends only what the peer's receive window allows, tracks the water marks
/// and half-closes on completion, as <c>SocketOutput</c> does.
/// </summary>
#pragma warning disable CA1001 // the subject holds no unmanaged state; it is completed when the output finishes
internal sealed class SimulatedOutput(SimulatedConnection connection, SimulatedNetwork network, ConnectionOptions options) : IConnectionOutput
#pragma warning restore CA1001
{
    private readonly Queue<byte[]> _queue = new();
    private int _headOffset;
    private long _pending;
    private long _unacknowledged; // sent and not yet consumed by the peer's subscriber
    private BehaviorSubject<bool>? _writable;
    private bool _isWritable = true;
    private bool _fedByInput;
    private bool _flushScheduled;
    private long _flushAt;
    private bool _completing;
    private bool _finished;

    public IObservable<bool> Writable
    {
        get
        {
            if (_writable is null)
            {
                _writable = new BehaviorSubject<bool>(_isWritable);
                if (_finished)
                    _writable.OnCompleted();
            }
            return _writable;
        }
    }

    public long PendingBytes => _pending;

    /// <summary>Whether the connection's own input must pause: above the mark and fed by that input (ADR 0003).</summary>
    public bool PausesInput => !_isWritable && _fedByInput;

    /// <summary>Writes ignored because the output had finished.</summary>
    public long WritesAfterClose { get; private set; }

    /// <summary>Transmissions made: what coalescing saves.</summary>
    public long Transmissions { get; private set; }

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (value.IsEmpty)
            return;
        if (_completing || _finished)
        {
            WritesAfterClose++;
            return;
        }
        _queue.Enqueue(value.ToArray());
        _pending += value.Length;
        if (ReferenceEquals(network.TurnOwner, connection))
            _fedByInput = true;
        if (_isWritable && _pending > options.HighWaterMark)
        {
            _isWritable = false;
            _writable?.OnNext(false);
        }
        ScheduleFlush();
    }

    public void OnCompleted()
    {
        if (_completing || _finished)
            return;
        _completing = true;
        ScheduleFlush();
    }

    public void OnError(Exception error) => connection.Abort(error);

    /// <summary>Drops what is queued; called by the connection when it aborts or is reset.</summary>
    public void Abort()
    {
        if (_finished)
            return;
        _finished = true;
        _queue.Clear();
        _headOffset = 0;
        _pending = 0;
        _writable?.OnCompleted();
    }

    /// <summary>The peer's subscriber consumed <paramref name="count"/> bytes: the window opened.</summary>
    public void WindowOpened(int count)
    {
        _unacknowledged -= count;
        if (_pending > 0)
            ScheduleFlush();
    }

    /// <summary>The partition healed: send what waited.</summary>
    public void Resume()
    {
        if (_pending > 0 || _completing)
            ScheduleFlush();
    }

    /// <summary>One flush per turn: everything written before it runs leaves in one transmission.
    /// It is sent as of the turn's virtual time (the TestScheduler runs "now" one tick later).</summary>
    private void ScheduleFlush()
    {
        if (_flushScheduled || _finished)
            return;
        _flushScheduled = true;
        _flushAt = network.Now;
        network.ScheduleAt(_flushAt, Flush);
    }

    private void Flush()
    {
        _flushScheduled = false;
        if (_finished || network.IsPartitioned(connection.LocalHost, connection.RemoteHost))
            return; // Heal resumes
        long room = network.ReceiveWindow - _unacknowledged;
        int take = (int)Math.Min(_pending, Math.Max(0, room));
        if (take > 0)
        {
            var data = Take(take);
            _pending -= take;
            _unacknowledged += take;
            Transmissions++;
            connection.Metrics.Sent(take);
            Transmit(data);
            if (!_isWritable && _pending < options.LowWaterMark)
            {
                _isWritable = true;
                _writable?.OnNext(true);
                connection.OutputDrained();
            }
        }
        if (_pending == 0 && _completing && !_finished)
        {
            _finished = true;
            _writable?.OnCompleted();
            connection.OutputEnding(); // before the FIN, whose answer may come back
            connection.Send(new Segment(SegmentKind.Fin, null), _flushAt);
            connection.OutputFinished();
        }
    }

    /// <summary>Cuts one transmission into segments as the link says (random sizes from the seed).</summary>
    private void Transmit(byte[] data)
    {
        int max = network.LinkFor(connection.LocalHost, connection.RemoteHost).Options.MaxSegmentSize;
        if (max <= 0 || data.Length <= 1)
        {
            connection.Send(new Segment(SegmentKind.Data, data), _flushAt);
            return;
        }
        for (int offset = 0; offset < data.Length;)
        {
            int size = Math.Min(network.Random.Next(1, max + 1), data.Length - offset);
            connection.Send(new Segment(SegmentKind.Data, data.AsSpan(offset, size).ToArray()), _flushAt);
            offset += size;
        }
    }

    private byte[] Take(int count)
    {
        var data = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            var head = _queue.Peek();
            int n = Math.Min(head.Length - _headOffset, count - filled);
            head.AsSpan(_headOffset, n).CopyTo(data.AsSpan(filled));
            filled += n;
            _headOffset += n;
            if (_headOffset == head.Length)
            {
                _queue.Dequeue();
                _headOffset = 0;
            }
        }
        return data;
    }
}

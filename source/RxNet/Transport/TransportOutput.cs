using System.Buffers;
using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RxNet.Transport.Internal;

namespace RxNet.Transport;

/// <summary>
/// A connection's output, ready for a transport to plug its sending into: it copies writes into pooled
/// segments, coalesces the writes of one <see cref="ConnectionTurn"/> into one batch, keeps the water marks
/// and <see cref="Writable"/>, knows whether its own input feeds it (<see cref="PausesInput"/>), completes
/// (drain, then shut down the sending side) and aborts; writes after the end are counted and logged. The
/// transport supplies an <see cref="IOutputDrain"/>: how a batch leaves and how the sending side finishes.
/// </summary>
/// <remarks>
/// <para>It keeps the whole <see cref="IConnectionOutput"/> contract (ADR 0003): a transport hands it out as
/// its connection's <c>Output</c> as it is.</para>
/// <para><b>Threading.</b> Writers may call from any thread; state changes happen under the object's own lock
/// (as <see cref="ConnectionLifetime"/>'s: one object less per connection), and <see cref="Writable"/>'s
/// subscribers are told under it, so changes arrive in order. The queue never calls its drain while holding
/// the lock.</para>
/// <para><b>Limits.</b> Nothing is refused: a writer that ignores <see cref="Writable"/> makes the queue
/// grow; the input fed by it pauses at the high-water mark, so echo and request/response stay bounded.</para>
/// </remarks>
#pragma warning disable CA1001 // the subject holds no unmanaged state; it is completed when the output finishes
public sealed class TransportOutput : IConnectionOutput, IThreadPoolWorkItem, Operators.Internal.ILoggingOutput
#pragma warning restore CA1001
{
    private readonly IOutputDrain _drain;
    private readonly object _owner;
    private readonly ConnectionOptions _options;
    private readonly ILogger _logger;

    ILogger Operators.Internal.ILoggingOutput.Logger => _logger;
    private readonly int _segmentSize;
    private BehaviorSubject<bool>? _writable; // made on first use: most connections never look
    private ArraySegment<byte> _head; // the queue while it has needed one segment only: most connections need no list
    private List<ArraySegment<byte>>? _queued; // the queue once it needed two segments (then _head stays empty)
    private List<ArraySegment<byte>>? _inFlight;
    private byte[]? _splitArray; // the buffer a partial batch shares with what stays queued
    private long _pending;
    private long _writesAfterClose;
    private long _sends;
    private bool _isWritable = true;
    private bool _fedByInput;
    private bool _drainScheduled;
    private bool _draining;
    private bool _completing;
    private bool _finished;

    /// <summary>Creates an empty, writable queue.</summary>
    /// <param name="drain">The transport's sending.</param>
    /// <param name="owner">The connection this output belongs to: what its input passes to
    /// <see cref="ConnectionTurn.Begin"/>, and what log messages name.</param>
    /// <param name="options">The water marks.</param>
    /// <param name="logger">Where writes after the end are logged; none by default.</param>
    /// <param name="segmentSize">The size of the pooled segments writes are copied into (4 KiB by default;
    /// TLS uses one record's worth).</param>
    /// <exception cref="ArgumentNullException"><paramref name="drain"/>, <paramref name="owner"/> or
    /// <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="segmentSize"/> is not positive.</exception>
    public TransportOutput(IOutputDrain drain, object owner, ConnectionOptions options, ILogger? logger = null, int segmentSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(drain);
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(segmentSize);
        _drain = drain;
        _owner = owner;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _segmentSize = segmentSize;
    }

    /// <inheritdoc/>
    public IObservable<bool> Writable
    {
        get
        {
            lock (this)
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
    }

    /// <inheritdoc/>
    public long PendingBytes => Volatile.Read(ref _pending);

    /// <summary>
    /// Whether the owner's own input must pause: pending bytes are above the high-water mark (and not yet
    /// below the low one) and this output is fed by that input (it was written to during one of its turns).
    /// An output fed only from elsewhere never pauses its input, so a client that streams while it reads the
    /// replies cannot deadlock with an echoing peer (ADR 0003).
    /// </summary>
    public bool PausesInput => !Volatile.Read(ref _isWritable) && Volatile.Read(ref _fedByInput);

    /// <summary>Writes ignored because the output had completed or aborted.</summary>
    public long WritesAfterClose => Interlocked.Read(ref _writesAfterClose);

    /// <summary>Batches handed to the drain: what coalescing saves.</summary>
    public long Sends => Interlocked.Read(ref _sends);

    /// <summary>Whether the output has finished: completed and drained, or aborted.</summary>
    public bool IsFinished
    {
        get
        {
            lock (this)
                return _finished;
        }
    }

    /// <summary>Copies <paramref name="value"/> to the end of the queue; see <see cref="IConnectionOutput"/>.</summary>
    /// <param name="value">The bytes; empty chunks are ignored.</param>
    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (value.IsEmpty)
            return;
        bool schedule;
        lock (this)
        {
            if (_completing || _finished)
            {
                _writesAfterClose++;
                TransportLog.WriteAfterClose(_logger, value.Length, _owner);
                return;
            }
            Append(value.Span);
            _pending += value.Length;
            if (!_fedByInput && ReferenceEquals(ConnectionTurn.Owner, _owner))
                Volatile.Write(ref _fedByInput, true);
            if (_isWritable && _pending > _options.HighWaterMark)
            {
                Volatile.Write(ref _isWritable, false);
                Signal(false);
            }
            schedule = !_drainScheduled && !_draining;
            _drainScheduled |= schedule;
        }
        if (schedule)
            _drain.ScheduleDrain(this);
    }

    /// <summary>Sends everything queued, then shuts the sending side down; later calls do nothing.</summary>
    public void OnCompleted()
    {
        bool schedule;
        lock (this)
        {
            if (_completing || _finished)
                return;
            _completing = true;
            schedule = !_drainScheduled && !_draining;
            _drainScheduled |= schedule;
        }
        if (schedule)
            _drain.ScheduleDrain(this);
    }

    /// <summary>Aborts the connection, through <see cref="IOutputDrain.Abort"/>.</summary>
    /// <param name="error">The writer's error.</param>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public void OnError(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _drain.Abort(error);
    }

    /// <summary>Drops what is queued and finishes the output (<see cref="Writable"/> completes); the batch in
    /// flight, if any, is released when its send ends. For the transport, when its connection aborts.</summary>
    public void Abort()
    {
        lock (this)
        {
            if (_finished)
                return;
            _finished = true;
            var skip = _draining ? _splitArray : null;
            PooledSegments.Return(_queued, skip);
            if (_head.Array is not null && !ReferenceEquals(_head.Array, skip))
                ArrayPool<byte>.Shared.Return(_head.Array);
            _head = default;
            _pending = 0;
            _writable?.OnCompleted();
        }
    }

    /// <summary>Asks for a drain if bytes or the completion wait and none is scheduled or running: for the
    /// transport, when what held the queue (<see cref="IOutputDrain.Room"/>) has gone.</summary>
    public void RequestDrain()
    {
        bool schedule;
        lock (this)
        {
            schedule = !_finished && !_drainScheduled && !_draining && (_pending > 0 || _completing);
            _drainScheduled |= schedule;
        }
        if (schedule)
            _drain.ScheduleDrain(this);
    }

    /// <summary>Sends what is queued, batch after batch, then the completion if asked; at most one drain
    /// runs at a time (a call while one runs returns at once: the running one takes the new bytes).</summary>
    public void Drain()
    {
        lock (this)
        {
            _drainScheduled = false;
            if (_draining || _finished)
                return;
            _draining = true;
        }
        _ = DrainAsync();
    }

    void IThreadPoolWorkItem.Execute() => Drain();

    private async Task DrainAsync()
    {
        while (true)
        {
            long room = _drain.Room;
            OutputBatch batch;
            bool shutdown = false;
            lock (this)
            {
                if (_finished)
                {
                    _draining = false;
                    return;
                }
                if (_queued is null ? _head.Array is null : _queued.Count == 0)
                {
                    if (!_completing)
                    {
                        _draining = false;
                        return;
                    }
                    _finished = true; // stays draining: nothing runs after the shutdown
                    _writable?.OnCompleted();
                    shutdown = true;
                    batch = default;
                }
                else if (room <= 0)
                {
                    _draining = false;
                    return; // the transport asks again when there is room
                }
                else
                    batch = Take(room);
            }
            if (shutdown)
            {
                try
                {
                    await _drain.ShutdownAsync().ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    _drain.Failed(e);
                }
                return;
            }

            try
            {
                Interlocked.Increment(ref _sends);
                await _drain.SendAsync(batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                lock (this)
                {
                    Release(batch);
                    _draining = false;
                }
                _drain.Failed(e);
                return;
            }

            bool drained = false;
            lock (this)
            {
                Release(batch);
                if (_finished)
                {
                    _draining = false;
                    return;
                }
                _pending -= batch.Length;
                if (!_isWritable && _pending < _options.LowWaterMark)
                {
                    Volatile.Write(ref _isWritable, true);
                    Signal(true);
                    drained = true;
                }
            }
            if (drained)
                _drain.Drained();
        }
    }

    /// <summary>Takes up to <paramref name="room"/> bytes off the queue (under the lock); the usual batch is
    /// one segment and needs no list.</summary>
    private OutputBatch Take(long room)
    {
        if (_queued is null)
        {
            var head = _head;
            if (head.Count <= room)
            {
                _head = default;
                return new OutputBatch(head, null, head.Count);
            }
            // Split: the sent part and the rest share one buffer, returned with the rest.
            _head = head[(int)room..];
            _splitArray = head.Array;
            return new OutputBatch(head[..(int)room], null, room);
        }
        var queued = _queued;
        if (queued.Count == 1 && queued[0].Count <= room)
        {
            var single = queued[0];
            queued.Clear();
            return new OutputBatch(single, null, single.Count);
        }
        var several = _inFlight ??= [];
        long length = 0;
        int taken = 0;
        while (taken < queued.Count && length < room)
        {
            var segment = queued[taken];
            if (length + segment.Count > room)
            {
                // Split: the sent part and the rest share one buffer, returned with the rest.
                int part = (int)(room - length);
                several.Add(segment[..part]);
                queued[taken] = segment[part..];
                _splitArray = segment.Array;
                length += part;
                break;
            }
            several.Add(segment);
            length += segment.Count;
            taken++;
        }
        queued.RemoveRange(0, taken);
        return several.Count == 1 ? new OutputBatch(several[0], null, length) : new OutputBatch(default, several, length);
    }

    /// <summary>Copies <paramref name="data"/> to the end of the queue (under the lock): into the one segment while it
    /// has room, into a list of segments once it has not.</summary>
    private void Append(ReadOnlySpan<byte> data)
    {
        if (_queued is null)
        {
            if (_head.Array is null)
            {
                _head = PooledSegments.Rent(data, _segmentSize);
                return;
            }
            data = PooledSegments.Fill(ref _head, data);
            if (data.IsEmpty)
                return;
            _queued = [_head];
            _head = default;
        }
        PooledSegments.Append(ref _queued, data, _segmentSize);
    }

    /// <summary>Returns a sent batch's buffers to the pool (under the lock).</summary>
    private void Release(OutputBatch batch)
    {
        var split = _splitArray;
        _splitArray = null;
        if (_finished)
            split = null; // the rest was dropped by Abort, which left the shared buffer to this batch
        for (int i = 0; i < batch.Count; i++)
        {
            var array = batch[i].Array!;
            if (!ReferenceEquals(array, split))
                ArrayPool<byte>.Shared.Return(array);
        }
        _inFlight?.Clear();
    }

    /// <summary>Tells <see cref="Writable"/>'s subscribers (under the lock, so that changes arrive in order).</summary>
    private void Signal(bool writable)
    {
        try
        {
            _writable?.OnNext(writable);
        }
        catch (Exception e)
        {
            TransportLog.WritableSubscriberThrew(_logger, e, _owner);
        }
    }
}

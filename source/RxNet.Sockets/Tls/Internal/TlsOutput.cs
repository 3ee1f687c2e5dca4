using System.Buffers;
using System.Net.Security;
using System.Reactive.Subjects;
using RxNet.Sockets.Internal;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// The plain-text output of a TLS connection: copies writes into pooled segments, encrypts them in
/// batches (one batch per turn), tracks the water marks over the plain text not yet handed to the
/// connection underneath, and on completion sends <c>close_notify</c>, then half-closes that connection.
/// </summary>
#pragma warning disable CA1001 // the subject holds no unmanaged state; it is completed when the output finishes
internal sealed class TlsOutput : IConnectionOutput
#pragma warning restore CA1001
{
    private const int SegmentSize = 16 * 1024; // one TLS record's worth of plain text

    private readonly TlsConnection _connection;
    private readonly SslStream _ssl;
    private readonly TlsDispatch _dispatch;
    private readonly ConnectionOptions _options;
    private readonly object _lock = new();
    private BehaviorSubject<bool>? _writable;
    private List<ArraySegment<byte>>? _queued;
    private List<ArraySegment<byte>>? _inFlight;
    private long _pending;
    private bool _isWritable = true;
    private bool _fedByInput;
    private bool _flushScheduled;
    private bool _sending;
    private bool _completing;
    private bool _finished;
    private long _writesAfterClose;

    public TlsOutput(TlsConnection connection, SslStream ssl, ConnectionOptions options, TlsDispatch dispatch)
    {
        _dispatch = dispatch;
        _connection = connection;
        _ssl = ssl;
        _options = options;
    }

    public IObservable<bool> Writable
    {
        get
        {
            lock (_lock)
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

    public long PendingBytes => Volatile.Read(ref _pending);

    /// <summary>Whether the connection's own input must pause: above the high-water mark and fed by that input.</summary>
    public bool PausesInput => !Volatile.Read(ref _isWritable) && Volatile.Read(ref _fedByInput);

    /// <summary>Writes ignored because the output had finished.</summary>
    public long WritesAfterClose => Interlocked.Read(ref _writesAfterClose);

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (value.IsEmpty)
            return;
        bool schedule;
        lock (_lock)
        {
            if (_completing || _finished)
            {
                // Ignored, counted and logged, as on every transport.
                _writesAfterClose++;
                RxNet.Sockets.Internal.Log.WriteAfterClose(_connection.Logger, value.Length, _connection);
                return;
            }
            Append(value.Span);
            _pending += value.Length;
            if (!_fedByInput && ReferenceEquals(TlsTurn.Owner, _connection))
                Volatile.Write(ref _fedByInput, true);
            if (_isWritable && _pending > _options.HighWaterMark)
            {
                Volatile.Write(ref _isWritable, false);
                Signal(false);
            }
            schedule = !_flushScheduled && !_sending;
            _flushScheduled |= schedule;
        }
        if (schedule)
            ScheduleFlush();
    }

    public void OnCompleted()
    {
        bool schedule;
        lock (_lock)
        {
            if (_completing || _finished)
                return;
            _completing = true;
            schedule = !_flushScheduled && !_sending;
            _flushScheduled |= schedule;
        }
        if (schedule)
            ScheduleFlush();
    }

    public void OnError(Exception error) => _connection.Abort(error);

    /// <summary>Drops what is queued; called when the connection aborts or the one underneath is gone.</summary>
    public void Abort()
    {
        lock (_lock)
        {
            if (_finished)
                return;
            _finished = true;
            ReturnSegments(_queued);
            _pending = 0;
            _writable?.OnCompleted();
        }
    }

    /// <summary>Encrypts what is queued; at most one flush runs at a time.</summary>
    public void Flush() => _ = SendLoopAsync();

    private void ScheduleFlush()
    {
        if (TlsTurn.Owner is not null)
            TlsTurn.Enlist(this);
        else
            _dispatch.Post(Flush);
    }

    private void Signal(bool writable)
    {
        try
        {
            _writable?.OnNext(writable);
        }
        catch (Exception e)
        {
            // Called under _lock: failing the connection here would run Closed's subscribers and the transport
            // underneath while holding it, so the failure is posted instead.
            _dispatch.Post(() => _connection.Fail(e));
        }
    }

    private async Task SendLoopAsync()
    {
        while (true)
        {
            List<ArraySegment<byte>> batch;
            lock (_lock)
            {
                _flushScheduled = false;
                if (_finished || _sending)
                    return;
                if (_queued is null || _queued.Count == 0)
                {
                    if (!_completing)
                        return;
                    _sending = true;
                    batch = [];
                }
                else
                {
                    _sending = true;
                    batch = _inFlight ??= [];
                    batch.AddRange(_queued);
                    _queued.Clear();
                }
            }
            if (batch.Count == 0)
            {
                await ShutdownAsync().ConfigureAwait(false);
                return;
            }
            for (int i = 0; i < batch.Count; i++)
            {
                var segment = batch[i];
                try
                {
                    await _ssl.WriteAsync(segment.AsMemory()).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    lock (_lock)
                    {
                        ReturnSegments(batch);
                        _sending = false;
                    }
                    _connection.OutputFailed(e);
                    return;
                }
                bool drained = false;
                lock (_lock)
                {
                    ArrayPool<byte>.Shared.Return(segment.Array!);
                    batch[i] = default;
                    if (_finished)
                    {
                        ReturnSegments(batch);
                        _sending = false;
                        return;
                    }
                    _pending -= segment.Count;
                    if (!_isWritable && _pending < _options.LowWaterMark)
                    {
                        Volatile.Write(ref _isWritable, true);
                        Signal(true);
                        drained = true;
                    }
                }
                if (drained)
                    _connection.OutputDrained();
            }
            lock (_lock)
            {
                batch.Clear();
                _sending = false;
            }
        }
    }

    private async Task ShutdownAsync()
    {
        lock (_lock)
        {
            _finished = true;
            _writable?.OnCompleted();
        }
        _connection.OutputEnding(); // before the close_notify, whose answer may come back at once
        try
        {
            await _ssl.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _connection.OutputFailed(e);
            return;
        }
        _connection.OutputFinished();
    }

    private void Append(ReadOnlySpan<byte> data) => PooledSegments.Append(ref _queued, data, SegmentSize);

    private static void ReturnSegments(List<ArraySegment<byte>>? segments) => PooledSegments.Return(segments);
}

using System.Buffers;
using System.Reactive.Subjects;
using RxNet.Sockets.Internal;
using RxNet.Transport.Internal;

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
    private readonly SslStreamLease _ssl;
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

    public TlsOutput(TlsConnection connection, SslStreamLease ssl, ConnectionOptions options, TlsDispatch dispatch)
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
            if (!await SendBatchAsync(batch).ConfigureAwait(false))
                return;
            lock (_lock)
            {
                batch.Clear();
                _sending = false;
            }
        }
    }

    /// <summary>Encrypts <paramref name="batch"/> segment by segment, inside the session's lease; <see langword="false"/>
    /// when the output failed or finished meanwhile (the batch's segments are returned then).</summary>
    private async Task<bool> SendBatchAsync(List<ArraySegment<byte>> batch)
    {
        Exception? failure = null;
        bool entered = _ssl.TryEnter();
        try
        {
            if (!entered)
                failure = Closed();
            for (int i = 0; failure is null && i < batch.Count; i++)
            {
                var segment = batch[i];
                try
                {
                    await _ssl.Stream.WriteAsync(segment.AsMemory()).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    failure = e;
                    break;
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
                        return false;
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
        }
        finally
        {
            if (entered)
                _ssl.Exit();
        }
        if (failure is null)
            return true;
        lock (_lock)
        {
            ReturnSegments(batch);
            _sending = false;
        }
        _connection.OutputFailed(failure);
        return false;
    }

    private async Task ShutdownAsync()
    {
        lock (_lock)
        {
            _finished = true;
            _writable?.OnCompleted();
        }
        _connection.OutputEnding(); // before the close_notify, whose answer may come back at once
        if (!_ssl.TryEnter())
        {
            _connection.OutputFailed(Closed());
            return;
        }
        try
        {
            var writing = await _ssl.Gate.ShutdownAsync(_ssl.Stream).ConfigureAwait(false);
            await writing.ConfigureAwait(false);
        }
        catch (Exception e) when (!_connection.UnderneathFailed)
        {
            // OpenSSL refuses close_notify in some states ("shutdown while in init": a post-handshake message such as a
            // session ticket is half processed). Everything written was encrypted and handed on already, so the
            // connection underneath is still half-closed: the peer gets all the data, only without close_notify.
            TlsLog.CloseNotifyFailed(_connection.Logger, _connection, e.Message);
        }
        catch (Exception e)
        {
            _connection.OutputFailed(e);
            return;
        }
        finally
        {
            _ssl.Exit();
        }
        _connection.OutputFinished();
    }

    private IOException Closed() => new($"The TLS session on {_connection} is closed.");

    private void Append(ReadOnlySpan<byte> data) => PooledSegments.Append(ref _queued, data, SegmentSize);

    private static void ReturnSegments(List<ArraySegment<byte>>? segments) => PooledSegments.Return(segments);
}

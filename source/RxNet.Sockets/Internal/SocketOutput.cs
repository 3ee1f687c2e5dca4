using System.Buffers;
using System.Net.Sockets;
using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;

namespace RxNet.Sockets.Internal;

/// <summary>
/// The sending side of a socket connection: copies writes into pooled segments, sends them in
/// batches (one send per turn), tracks the water marks and half-closes on completion.
/// </summary>
#pragma warning disable CA1001 // the subject holds no unmanaged state; it is completed when the output finishes
internal sealed class SocketOutput : IConnectionOutput, IThreadPoolWorkItem
#pragma warning restore CA1001
{
    private const int SegmentSize = 4096;

    private readonly SocketConnection _connection;
    private readonly Socket _socket;
    private readonly ConnectionOptions _options;
    private readonly object _lock = new(); // a plain monitor: 16 bytes less per connection than Lock
    private BehaviorSubject<bool>? _writable; // made on first use: most connections never look
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
    private long _sends;

    public SocketOutput(SocketConnection connection, Socket socket, ConnectionOptions options)
    {
        _connection = connection;
        _socket = socket;
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

    /// <summary>
    /// Whether the connection's own input must pause: pending output is above the high-water mark
    /// and this output is fed by that input (it was written to while the input delivered). An output
    /// fed only from elsewhere never pauses its input, so a client that streams while it reads the
    /// replies cannot deadlock with an echoing peer.
    /// </summary>
    public bool PausesInput => !Volatile.Read(ref _isWritable) && Volatile.Read(ref _fedByInput);

    /// <summary>Writes ignored because the output had finished.</summary>
    public long WritesAfterClose => Interlocked.Read(ref _writesAfterClose);

    /// <summary>Send calls made: what write coalescing saves.</summary>
    public long Sends => Interlocked.Read(ref _sends);

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (value.IsEmpty)
            return;
        bool schedule;
        lock (_lock)
        {
            if (_completing || _finished)
            {
                _writesAfterClose++;
                Log.WriteAfterClose(_connection.Logger, value.Length, _connection);
                return;
            }
            Append(value.Span);
            _pending += value.Length;
            if (!_fedByInput && ReferenceEquals(WriteTurn.Owner, _connection))
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

    /// <summary>Drops what is queued; called by the connection when it aborts.</summary>
    public void Abort()
    {
        lock (_lock)
        {
            if (_finished)
                return;
            _finished = true;
            ReturnSegments(_queued); // the batch in flight, if any, is returned when its send ends
            _pending = 0;
            _writable?.OnCompleted();
        }
    }

    void IThreadPoolWorkItem.Execute() => Flush();

    /// <summary>Sends what is queued; at most one flush runs at a time.</summary>
    public void Flush() => _ = SendLoopAsync();

    /// <summary>Tells <see cref="Writable"/>'s subscribers, under the lock so that changes arrive in order.</summary>
    private void Signal(bool writable)
    {
        try
        {
            _writable?.OnNext(writable);
        }
        catch (Exception e)
        {
            Log.SubscriberThrew(_connection.Logger, e, _connection);
        }
    }

    private void ScheduleFlush()
    {
        if (WriteTurn.IsActive)
            WriteTurn.Enlist(this);
        else
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    private async Task SendLoopAsync()
    {
        while (true)
        {
            ArraySegment<byte> single = default; // the usual batch: one segment, no list
            List<ArraySegment<byte>>? several = null;
            long bytes = 0;
            lock (_lock)
            {
                _flushScheduled = false;
                if (_finished)
                {
                    _sending = false;
                    return;
                }
                if (_queued is null || _queued.Count == 0)
                {
                    _sending = false;
                    if (!_completing)
                        return;
                    _finished = true;
                    _writable?.OnCompleted();
                }
                else
                {
                    _sending = true;
                    if (_queued.Count == 1)
                    {
                        single = _queued[0];
                        bytes = single.Count;
                    }
                    else
                    {
                        several = _inFlight ??= [];
                        several.AddRange(_queued);
                        foreach (var segment in several)
                            bytes += segment.Count;
                    }
                    _queued.Clear();
                }
            }
            if (bytes == 0)
            {
                _connection.OutputEnding(); // before the FIN, whose answer may come back at once
                ShutdownSend();
                return;
            }

            try
            {
                Interlocked.Increment(ref _sends);
                if (several is null)
                    await _socket.SendAsync(single.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                else
                    await _socket.SendAsync(several, SocketFlags.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                lock (_lock)
                {
                    Return(single, several);
                    _sending = false;
                }
                _connection.OutputFailed(e);
                return;
            }

            _connection.Metrics.Sent(bytes);
            bool drained = false;
            lock (_lock)
            {
                Return(single, several);
                if (_finished)
                {
                    _sending = false;
                    return;
                }
                _pending -= bytes;
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

    private static void Return(ArraySegment<byte> single, List<ArraySegment<byte>>? several)
    {
        if (several is null)
            ArrayPool<byte>.Shared.Return(single.Array!);
        else
            ReturnSegments(several);
    }

    private void ShutdownSend()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _connection.OutputFailed(e);
            return;
        }
        _connection.OutputFinished();
    }

    private void Append(ReadOnlySpan<byte> data) => PooledSegments.Append(ref _queued, data, SegmentSize);

    private static void ReturnSegments(List<ArraySegment<byte>>? segments) => PooledSegments.Return(segments);
}

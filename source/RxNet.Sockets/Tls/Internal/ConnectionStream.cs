using System.Reactive.Subjects;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// An <see cref="IConnection"/> seen as a <see cref="Stream"/>, for <see cref="System.Net.Security.SslStream"/>
/// to run on: reads take the connection's input chunks from a bounded queue (the input pauses while the
/// queue is full, through its <see cref="IConnectionInput"/> demand), writes go to its output and complete only
/// once that output is writable again, so back-pressure crosses the layer both ways.
/// </summary>
/// <remarks>
/// The inner input is subscribed from construction to the end, whoever reads the TLS side: its end (FIN or
/// reset) is seen at once, and the inner connection is released as soon as both of its directions finish.
/// Waits are resumed through the <see cref="TlsDispatch"/> (the thread pool, or a scheduler), never inside the inner
/// input's delivery or the inner output's <c>Writable</c> signal: TLS's own writes then never count as fed by the inner input (which would pause it
/// before the TLS output's own water mark is reached) and never run under the inner output's lock.
/// </remarks>
internal sealed class ConnectionStream : Stream, IObserver<ReadOnlyMemory<byte>>
{
    /// <summary>Queued input above which the inner input is paused: one TLS record (16 KiB) and a bit.</summary>
    private const int QueueLimit = 17 * 1024;

    private readonly IConnection _inner;
    private readonly TlsDispatch _dispatch;
    private readonly object _lock = new();
    private readonly object _demandLock = new();
    private readonly Queue<ReadOnlyMemory<byte>> _chunks = new();
    private ReadOnlyMemory<byte> _head; // the rest of a chunk read in part
    private readonly BehaviorSubject<bool> _demand = new(true);
    private IDisposable? _inputSubscription;
    private IDisposable? _writableSubscription;
    private TaskCompletionSource? _readable;
    private TaskCompletionSource? _writable;
    private bool _innerWritable = true;
    private bool _published = true;
    private long _queued;
    private bool _ended;
    private Exception? _inputError;
    private Exception? _aborted;
    private readonly TlsSessionGate _gate;

    public ConnectionStream(IConnection inner, IConnectionInput input, TlsDispatch dispatch, TlsSessionGate gate)
    {
        _gate = gate;
        _inner = inner;
        _dispatch = dispatch;
        _writableSubscription = inner.Output.Writable.Subscribe(OnWritable, _ => OnWritable(true), () => OnWritable(true));
        _inputSubscription = input.Subscribe(this, _demand);
    }

    /// <summary>The error that ended the inner input (a reset, say), if any: the TLS side reports it as it is.</summary>
    public Exception? InputError
    {
        get
        {
            lock (_lock)
                return _inputError;
        }
    }

    /// <summary>Whether the stream was aborted or the inner input ended with an error.</summary>
    public bool Faulted
    {
        get
        {
            lock (_lock)
                return _aborted is not null || _inputError is not null;
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    /// <summary>Fails pending and later reads and writes with <paramref name="error"/> and lets the inner input go.</summary>
    public void Abort(Exception error)
    {
        TaskCompletionSource? readable, writable;
        lock (_lock)
        {
            if (_aborted is not null)
                return;
            _aborted = error;
            _chunks.Clear();
            _head = default;
            _queued = 0;
            (readable, _readable) = (_readable, null);
            (writable, _writable) = (_writable, null);
        }
        Resume(readable);
        Resume(writable);
        _inputSubscription?.Dispose();
        _writableSubscription?.Dispose();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task? wait = null;
            int n = -1;
            lock (_lock)
            {
                if (_aborted is not null)
                    throw new IOException(_aborted.Message, _aborted);
                if (!_head.IsEmpty || _chunks.Count > 0)
                {
                    if (buffer.IsEmpty)
                        return 0; // a zero-byte read asks only whether data is there
                    n = Take(buffer.Span);
                }
                else if (_ended)
                {
                    if (_inputError is not null)
                        throw _inputError is IOException io ? io : new IOException(_inputError.Message, _inputError);
                    return 0;
                }
                else
                {
                    _readable ??= new TaskCompletionSource();
                    wait = _readable.Task;
                }
            }
            if (wait is null)
            {
                UpdateDemand();
                return n;
            }
            bool parked = _gate.Park(); // no OpenSSL call runs while a read waits here: a close may go in
            try
            {
                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (parked)
                    await _gate.UnparkAsync().ConfigureAwait(false);
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_aborted is not null)
                throw new IOException(_aborted.Message, _aborted);
        }
        _inner.Output.OnNext(buffer);
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_aborted is not null)
                    throw new IOException(_aborted.Message, _aborted);
                if (_innerWritable)
                    return;
                _writable ??= new TaskCompletionSource();
                wait = _writable.Task;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // A connection is a stream without length or position: the members about them are not supported.
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    void IObserver<ReadOnlyMemory<byte>>.OnNext(ReadOnlyMemory<byte> value)
    {
        if (value.IsEmpty)
            return;
        TaskCompletionSource? readable;
        lock (_lock)
        {
            if (_aborted is not null)
                return;
            _chunks.Enqueue(value);
            _queued += value.Length;
            (readable, _readable) = (_readable, null);
        }
        UpdateDemand();
        Resume(readable);
    }

    void IObserver<ReadOnlyMemory<byte>>.OnError(Exception error) => End(error);

    void IObserver<ReadOnlyMemory<byte>>.OnCompleted() => End(null);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Abort(new ObjectDisposedException(nameof(ConnectionStream)));
            lock (_demandLock) // UpdateDemand checks IsDisposed and publishes under the same lock
                _demand.Dispose();
        }
        base.Dispose(disposing);
    }

    private void End(Exception? error)
    {
        if (error is InputOverflowException)
        {
            // An input that cannot pause held all it may: the bytes underneath can no longer be read in order, so
            // the connection underneath is aborted, and closes with this error, rather than left half-read.
            Abort(error);
            _inner.Output.OnError(error);
            return;
        }
        TaskCompletionSource? readable;
        lock (_lock)
        {
            _ended = true;
            _inputError = error;
            (readable, _readable) = (_readable, null);
        }
        Resume(readable);
    }

    private void OnWritable(bool writable)
    {
        TaskCompletionSource? waiting = null;
        lock (_lock)
        {
            _innerWritable = writable;
            if (writable)
                (waiting, _writable) = (_writable, null);
        }
        Resume(waiting);
    }

    private void Resume(TaskCompletionSource? waiter)
    {
        if (waiter is not null)
            _dispatch.Post(() => waiter.TrySetResult());
    }

    /// <summary>Copies queued bytes into <paramref name="destination"/> (under the lock).</summary>
    private int Take(Span<byte> destination)
    {
        int copied = 0;
        while (copied < destination.Length)
        {
            if (_head.IsEmpty && !_chunks.TryDequeue(out _head))
                break;
            int n = Math.Min(_head.Length, destination.Length - copied);
            _head.Span[..n].CopyTo(destination[copied..]);
            _head = _head[n..];
            copied += n;
        }
        _queued -= copied;
        return copied;
    }

    /// <summary>Pauses the inner input while the queue is above its limit; one publisher at a time, so
    /// the last value published is the current state.</summary>
    private void UpdateDemand()
    {
        lock (_demandLock)
        {
            bool want;
            lock (_lock)
                want = _queued < QueueLimit && _aborted is null;
            if (want == _published || _demand.IsDisposed)
                return;
            _published = want;
            _demand.OnNext(want);
        }
    }
}

using System.Reactive.Subjects;

namespace RxNet.Http.Client.Handler.Internal;

/// <summary>
/// The read-only stream of a response body: it subscribes to the RxNet body on the first read, holds what arrives in a
/// bounded queue, pauses the body (its demand signal) above <see cref="HighWater"/> bytes and resumes it at
/// <see cref="LowWater"/>, and disposes the exchange when it is disposed or a read is canceled.
/// </summary>
/// <remarks>A read completes on the thread that delivers the bytes (see the remarks of <see cref="RxNetHttpHandler"/>).
/// Failures of the body are thrown as <see cref="HttpIOException"/> around the RxNet error.</remarks>
internal sealed class ResponseBodyStream : Stream, IObserver<ReadOnlyMemory<byte>>
{
    /// <summary>Above this many bytes held, the body is paused (Pipelines' pause threshold).</summary>
    public const int HighWater = 64 * 1024;

    /// <summary>At or below this many bytes held, a paused body resumes (Pipelines' resume threshold).</summary>
    public const int LowWater = 32 * 1024;

    private readonly IPausableObservable<ReadOnlyMemory<byte>> _body;
    private readonly Action _completing;
    private readonly IDisposable _exchange;
    private readonly BehaviorSubject<bool> _demand = new(true);
    private readonly Lock _gate = new();
    private readonly Queue<ReadOnlyMemory<byte>> _chunks = new();
    private int _buffered;
    private int _offset;
    private bool _paused;
    private bool _subscribed;
    private bool _completed;
    private bool _disposed;
    private Exception? _error;
    private TaskCompletionSource? _waiter;
    private IDisposable? _subscription;

    /// <param name="body">The RxNet body.</param>
    /// <param name="completing">Called once the body has ended, before a read sees the end (copies the trailers).</param>
    /// <param name="exchange">Disposed with the stream: abandons the exchange (its connection closes unless the body ended).</param>
    public ResponseBodyStream(IObservable<ReadOnlyMemory<byte>> body, Action completing, IDisposable exchange)
    {
        // A body that cannot pause is held up to the connection input's default bound, then fails (typed) past it.
        _body = body as IPausableObservable<ReadOnlyMemory<byte>> ?? body.ToConnectionInput();
        _completing = completing;
        _exchange = exchange;
    }

    /// <summary>How many bytes are held, received and not yet read.</summary>
    public int Buffered
    {
        get
        {
            lock (_gate)
                return _buffered;
        }
    }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task wait;
            bool subscribe = false;
            bool resume = false;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_chunks.Count > 0)
                {
                    int read = Take(buffer.Span);
                    if (_paused && _buffered <= LowWater)
                    {
                        _paused = false;
                        resume = true;
                    }
                    wait = Task.FromResult(read);
                }
                else if (_error is not null)
                {
                    throw HandlerErrors.WhileReading(_error);
                }
                else if (_completed)
                {
                    return 0;
                }
                else
                {
                    subscribe = !_subscribed;
                    _subscribed = true;
                    _waiter ??= new TaskCompletionSource();
                    wait = _waiter.Task;
                }
            }
            if (wait is Task<int> done)
            {
                if (resume)
                    _demand.OnNext(true);
                return done.Result;
            }
            if (subscribe)
                Subscribe();
            if (!wait.IsCompleted)
                await WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Blocks until the bytes arrive: fine on a reactor's thread pool, a deadlock if the caller is the thread that must
    // run the scheduler (a spec's, with a TestScheduler): read asynchronously there.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    void IObserver<ReadOnlyMemory<byte>>.OnNext(ReadOnlyMemory<byte> value)
    {
        if (value.IsEmpty)
            return;
        TaskCompletionSource? waiter;
        bool pause = false;
        lock (_gate)
        {
            if (_disposed || _completed || _error is not null)
                return;
            _chunks.Enqueue(value);
            _buffered += value.Length;
            if (!_paused && _buffered > HighWater)
            {
                _paused = true;
                pause = true;
            }
            waiter = TakeWaiter();
        }
        if (pause)
            _demand.OnNext(false);
        waiter?.TrySetResult();
    }

    void IObserver<ReadOnlyMemory<byte>>.OnError(Exception error) => End(error);

    void IObserver<ReadOnlyMemory<byte>>.OnCompleted()
    {
        _completing();
        End(null);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            IDisposable? subscription;
            TaskCompletionSource? waiter;
            lock (_gate)
            {
                if (_disposed)
                    return;
                _disposed = true;
                _chunks.Clear();
                _offset = 0;
                _buffered = 0;
                subscription = _subscription;
                waiter = TakeWaiter();
            }
            subscription?.Dispose();
            _exchange.Dispose();
            waiter?.TrySetResult();
        }
        base.Dispose(disposing);
    }

    private void Subscribe()
    {
        var subscription = _body.Subscribe(this, _demand);
        bool disposed;
        lock (_gate)
        {
            disposed = _disposed || _error is OperationCanceledException;
            _subscription = subscription;
        }
        if (disposed)
            subscription.Dispose();
    }

    private async Task WaitAsync(Task wait, CancellationToken cancellationToken)
    {
        try
        {
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // As SocketsHttpHandler does: a canceled read abandons the body, and its connection closes.
            IDisposable? subscription;
            lock (_gate)
            {
                _error ??= new OperationCanceledException("A read of the response body was canceled, which abandoned the body.", cancellationToken);
                subscription = _subscription;
            }
            subscription?.Dispose();
            _exchange.Dispose();
            throw;
        }
    }

    private void End(Exception? error)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (_completed || _error is not null)
                return;
            if (error is null)
                _completed = true;
            else
                _error = error;
            waiter = TakeWaiter();
        }
        waiter?.TrySetResult();
    }

    private TaskCompletionSource? TakeWaiter()
    {
        var waiter = _waiter;
        _waiter = null;
        return waiter;
    }

    private int Take(Span<byte> destination)
    {
        int read = 0;
        while (read < destination.Length && _chunks.Count > 0)
        {
            var rest = _chunks.Peek()[_offset..];
            int size = Math.Min(rest.Length, destination.Length - read);
            rest.Span[..size].CopyTo(destination[read..]);
            read += size;
            _buffered -= size;
            _offset += size;
            if (size == rest.Length)
            {
                _chunks.Dequeue();
                _offset = 0;
            }
        }
        return read;
    }
}

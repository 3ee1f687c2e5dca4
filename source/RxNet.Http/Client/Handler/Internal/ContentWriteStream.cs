namespace RxNet.Http.Client.Handler.Internal;

/// <summary>
/// The write-only stream a request's content is serialized into: every write becomes copied chunks of at most
/// 16 KiB to the body's subscriber (the content may reuse its buffer once the write completes), and a write waits
/// while the subscriber's demand is <see langword="false"/>.
/// </summary>
internal sealed class ContentWriteStream(IObserver<ReadOnlyMemory<byte>> observer) : Stream
{
    private const int MaxChunk = 16 * 1024;

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _abandoned = new();
    private bool _demand = true;
    private TaskCompletionSource? _waiter;

    /// <summary>Canceled once the subscriber has left: the content's serialization stops.</summary>
    public CancellationToken Abandoned => _abandoned.Token;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public void SetDemand(bool value)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _demand = value;
            waiter = value ? _waiter : null;
            if (value)
                _waiter = null;
        }
        waiter?.TrySetResult();
    }

    public void Abandon()
    {
        _abandoned.Cancel();
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetCanceled(_abandoned.Token);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            await WhenDemandedAsync(cancellationToken).ConfigureAwait(false);
            int size = Math.Min(buffer.Length, MaxChunk);
            observer.OnNext(buffer[..size].ToArray());
            buffer = buffer[size..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    // Synchronous writes (a content that serializes synchronously) cannot wait for demand without blocking the thread
    // that would give it; they are sent at once, and the agent's output bounds them as it bounds any plain source.
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Abandoned.ThrowIfCancellationRequested();
        while (!buffer.IsEmpty)
        {
            int size = Math.Min(buffer.Length, MaxChunk);
            observer.OnNext(buffer[..size].ToArray());
            buffer = buffer[size..];
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private Task WhenDemandedAsync(CancellationToken cancellationToken)
    {
        Abandoned.ThrowIfCancellationRequested();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_demand)
                return Task.CompletedTask;
            // Completed on the thread that gives demand back, so the content goes on writing there (a TestScheduler's).
            _waiter ??= new TaskCompletionSource();
            return _waiter.Task;
        }
    }
}

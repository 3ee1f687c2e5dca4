namespace RxNet.Testing.Contracts;

/// <summary>
/// Passes everything to a connection's output and measures its queue around each write: what a
/// flow-control spec needs to show that the input feeding it paused in time.
/// </summary>
internal sealed class MeasuredOutput(IConnectionOutput inner) : IConnectionOutput
{
    private readonly Lock _lock = new();
    private long _maxBefore;
    private long _maxAfter;
    private int _largestWrite;
    private long _written;
    private bool _completed;

    public IObservable<bool> Writable => inner.Writable;

    public long PendingBytes => inner.PendingBytes;

    /// <summary>The most bytes that were pending when a write began.</summary>
    public long MaxPendingBefore
    {
        get
        {
            lock (_lock)
                return _maxBefore;
        }
    }

    /// <summary>The most bytes that were pending just after a write.</summary>
    public long MaxPendingAfter
    {
        get
        {
            lock (_lock)
                return _maxAfter;
        }
    }

    /// <summary>The largest single write.</summary>
    public int LargestWrite
    {
        get
        {
            lock (_lock)
                return _largestWrite;
        }
    }

    /// <summary>Bytes written.</summary>
    public long Written
    {
        get
        {
            lock (_lock)
                return _written;
        }
    }

    /// <summary>Whether <see cref="OnCompleted"/> was called.</summary>
    public bool Completed
    {
        get
        {
            lock (_lock)
                return _completed;
        }
    }

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        long before = inner.PendingBytes;
        inner.OnNext(value);
        long after = inner.PendingBytes;
        lock (_lock)
        {
            _maxBefore = Math.Max(_maxBefore, before);
            _maxAfter = Math.Max(_maxAfter, after);
            _largestWrite = Math.Max(_largestWrite, value.Length);
            _written += value.Length;
        }
    }

    public void OnError(Exception error) => inner.OnError(error);

    public void OnCompleted()
    {
        lock (_lock)
            _completed = true;
        inner.OnCompleted();
    }
}

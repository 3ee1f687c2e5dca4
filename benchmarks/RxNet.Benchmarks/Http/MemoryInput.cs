namespace RxNet.Benchmarks.Http;

/// <summary>The receiving side of a <see cref="MemoryConnection"/>: <see cref="Deliver"/> hands a chunk to the one
/// subscriber on the caller's thread, with nothing copied or queued, so a benchmark counts only what the code
/// reading it allocates.</summary>
internal sealed class MemoryInput : IConnectionInput
{
    private IObserver<ReadOnlyMemory<byte>>? _observer;
    private bool _paused;
    private IDisposable? _demand;

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, Never);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        if (_observer is not null)
            throw new InvalidOperationException("The input already has a subscriber.");
        _observer = observer;
        _demand = canProduce.Subscribe(new Demand(this));
        return new Unsubscriber(this, observer);
    }

    /// <summary>The peer sends <paramref name="chunk"/> (the reader may keep it: pass a chunk that stays unchanged
    /// while it can still be read).</summary>
    /// <exception cref="InvalidOperationException">Nobody reads, or the reader has paused: a benchmark that
    /// measures a paused server measures nothing.</exception>
    public void Deliver(ReadOnlyMemory<byte> chunk)
    {
        if (_observer is null || _paused)
            throw new InvalidOperationException(_observer is null ? "Nobody reads the input." : "The reader has paused the input.");
        _observer.OnNext(chunk);
    }

    private static readonly IObservable<bool> Never = System.Reactive.Linq.Observable.Never<bool>();

    private sealed class Demand(MemoryInput input) : IObserver<bool>
    {
        public void OnNext(bool value) => input._paused = !value;

        public void OnError(Exception error) => input._paused = false;

        public void OnCompleted() => input._paused = false;
    }

    private sealed class Unsubscriber(MemoryInput input, IObserver<ReadOnlyMemory<byte>> observer) : IDisposable
    {
        public void Dispose()
        {
            if (input._observer != observer)
                return;
            input._observer = null;
            input._paused = false;
            input._demand?.Dispose();
        }
    }
}

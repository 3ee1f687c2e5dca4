namespace RxNet.Http.Specs.Client.Policies;

/// <summary>A body the spec pushes by hand, which records the demand its subscriber passes down.</summary>
internal sealed class PausableSource : IConnectionInput
{
    private IObserver<ReadOnlyMemory<byte>>? _observer;

    public List<bool> Demand { get; } = [];

    public bool Disposed { get; private set; }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer)
    {
        _observer = observer;
        return System.Reactive.Disposables.Disposable.Create(() => Disposed = true);
    }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        var demand = canProduce.Subscribe(Demand.Add);
        var subscription = Subscribe(observer);
        return System.Reactive.Disposables.Disposable.Create(() =>
        {
            demand.Dispose();
            subscription.Dispose();
        });
    }

    public void Push(ReadOnlyMemory<byte> chunk) => _observer!.OnNext(chunk);

    public void Complete() => _observer!.OnCompleted();
}

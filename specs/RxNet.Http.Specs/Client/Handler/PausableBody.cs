using System.Reactive.Disposables;

namespace RxNet.Http.Specs.Client.Handler;

/// <summary>A response body of <see cref="Total"/> patterned bytes in chunks of <see cref="ChunkSize"/>, produced
/// synchronously while its subscriber's demand is <see langword="true"/>; it ends with <see cref="EndWith"/> (or
/// completes) after <see cref="FailAfter"/> bytes when that is set. Records what it did.</summary>
internal sealed class PausableBody(int total, int chunkSize = 8 * 1024) : IConnectionInput
{
    private IObserver<ReadOnlyMemory<byte>>? _observer;
    private bool _demand = true;
    private bool _pumping;
    private bool _ended;

    public int Total => total;

    public int ChunkSize => chunkSize;

    public int Emitted { get; private set; }

    public int Subscriptions { get; private set; }

    public bool Disposed { get; private set; }

    public List<bool> Demands { get; } = [];

    public int? FailAfter { get; init; }

    public Exception? EndWith { get; init; }

    public static byte At(int offset) => (byte)(offset * 7 % 251);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, null);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool>? canProduce)
    {
        Subscriptions++;
        _observer = observer;
        var demand = canProduce?.Subscribe(value =>
        {
            Demands.Add(value);
            _demand = value;
            Pump();
        });
        Pump();
        return Disposable.Create(() =>
        {
            Disposed = true;
            demand?.Dispose();
        });
    }

    private void Pump()
    {
        if (_pumping || _observer is null)
            return;
        _pumping = true;
        int end = FailAfter ?? total;
        while (_demand && !Disposed && !_ended && Emitted < end)
        {
            int size = Math.Min(chunkSize, end - Emitted);
            var chunk = new byte[size];
            for (int i = 0; i < size; i++)
                chunk[i] = At(Emitted + i);
            Emitted += size;
            _observer.OnNext(chunk);
        }
        if (!_ended && !Disposed && Emitted == end)
        {
            _ended = true;
            if (FailAfter is not null)
                _observer.OnError(EndWith ?? new ConnectionResetException());
            else
                _observer.OnCompleted();
        }
        _pumping = false;
    }
}

using System.Reactive.Disposables;

namespace RxNet.Http.Specs.Client;

/// <summary>A request body that can pause: it writes chunks of zeros while it may produce and stops when told to,
/// counting what it sent and whether it was ever paused. Endless until disposed.</summary>
internal sealed class PausableTestBody(int chunk) : IPausableObservable<ReadOnlyMemory<byte>>
{
    private readonly byte[] _chunk = new byte[chunk];
    private bool _producing;
    private bool _running;

    public long Sent { get; private set; }

    public bool Paused { get; private set; }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => throw new NotSupportedException("Subscribe with a canProduce signal.");

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        var done = new BooleanDisposable();
        var demand = canProduce.Subscribe(can =>
        {
            _producing = can;
            if (!can)
            {
                Paused = true;
                return;
            }
            if (_running)
                return;
            _running = true;
            while (_producing && !done.IsDisposed && Sent < 1024L * 1024 * 1024)
            {
                Sent += _chunk.Length;
                observer.OnNext(_chunk);
            }
            _running = false;
        });
        return new CompositeDisposable(done, demand);
    }
}

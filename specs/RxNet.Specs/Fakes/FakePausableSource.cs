using System.Reactive.Disposables;

namespace RxNet.Specs.Fakes;

/// <summary>
/// An <see cref="IConnectionInput"/> that records which <c>Subscribe</c> overload was
/// used, the demand signal it was given and every demand value it saw, and whether it is still
/// subscribed. The spec drives the observer it was given through <see cref="Observer"/>.
/// </summary>
public sealed class FakePausableSource : IConnectionInput
{
    private IDisposable? _demandSubscription;

    /// <summary>The observer given to the last subscription.</summary>
    public IObserver<ReadOnlyMemory<byte>>? Observer { get; private set; }

    /// <summary>The demand signal given to the last pausable subscription.</summary>
    public IObservable<bool>? CanProduce { get; private set; }

    /// <summary>Every value of the demand signal, in order.</summary>
    public List<bool> DemandSeen { get; } = [];

    /// <summary>Calls to the pausable overload.</summary>
    public int PausableSubscribeCount { get; private set; }

    /// <summary>Calls to the plain overload (which cannot be paused).</summary>
    public int PlainSubscribeCount { get; private set; }

    /// <summary>Whether a subscription is active.</summary>
    public bool IsSubscribed { get; private set; }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(canProduce);
        PausableSubscribeCount++;
        CanProduce = canProduce;
        Observer = observer;
        IsSubscribed = true;
        _demandSubscription = canProduce.Subscribe(DemandSeen.Add);
        return Disposable.Create(Unsubscribe);
    }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer)
    {
        PlainSubscribeCount++;
        Observer = observer;
        IsSubscribed = true;
        return Disposable.Create(Unsubscribe);
    }

    private void Unsubscribe()
    {
        IsSubscribed = false;
        _demandSubscription?.Dispose();
        _demandSubscription = null;
    }
}

namespace RxNet.Policies.Internal;

/// <summary>
/// A connection's input seen through an <see cref="ITrafficTap"/>: every subscription goes straight to the
/// underlying input (so it stays cold, unicast and pausable, and keeps its bytes between subscribers), with
/// the tap told of each notification before the subscriber gets it.
/// </summary>
internal sealed class TrafficTapInput(IConnectionInput source, ITrafficTap tap) : IConnectionInput
{
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return source.Subscribe(new Tapped(observer, tap));
    }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(canProduce);
        return source.Subscribe(new Tapped(observer, tap), canProduce);
    }

    public void Unread(ReadOnlyMemory<byte> rest) => source.Unread(rest);

    private sealed class Tapped(IObserver<ReadOnlyMemory<byte>> observer, ITrafficTap tap) : IObserver<ReadOnlyMemory<byte>>
    {
        public void OnNext(ReadOnlyMemory<byte> value)
        {
            tap.Received(value);
            observer.OnNext(value);
        }

        public void OnCompleted()
        {
            tap.InputCompleted();
            observer.OnCompleted();
        }

        public void OnError(Exception error) => observer.OnError(tap.InputFailed(error));
    }
}

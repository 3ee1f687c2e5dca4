namespace RxNet.Http.Client.Policies.Internal;

/// <summary>A response body decoded as it streams, over a source that can pause: it pauses too, between two decoded
/// pieces, and passes its subscriber's demand on to the source (see <see cref="DecodingSink"/>).</summary>
internal sealed class PausableDecodedBody(IPausableObservable<ReadOnlyMemory<byte>> source, string[] codings, long limit, Action completing) : IConnectionInput
{
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = new DecodingSink(observer, codings, limit, completing);
        sink.SetUpstream(source.Subscribe(sink));
        return sink;
    }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(canProduce);
        var sink = new DecodingSink(observer, codings, limit, completing);
        sink.Watch(canProduce);
        sink.SetUpstream(source.Subscribe(sink, canProduce));
        return sink;
    }
}

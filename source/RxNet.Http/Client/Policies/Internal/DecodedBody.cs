namespace RxNet.Http.Client.Policies.Internal;

/// <summary>A response body decoded as it streams, over a source that cannot pause (see <see cref="DecodingSink"/>).</summary>
internal sealed class DecodedBody(IObservable<ReadOnlyMemory<byte>> source, string[] codings, long limit, Action completing) : IObservable<ReadOnlyMemory<byte>>
{
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = new DecodingSink(observer, codings, limit, completing);
        sink.SetUpstream(source.Subscribe(sink));
        return sink;
    }
}

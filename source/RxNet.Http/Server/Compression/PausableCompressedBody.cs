namespace RxNet.Http.Server.Compression;

/// <summary>
/// A response body compressed as it streams, over a source that can pause: it can pause too, so the server writes it
/// with <c>WriteTo</c> semantics and a client that does not read pauses the handler's producer through the compressor.
/// </summary>
/// <remarks>The demand signal given to <see cref="IPausableObservable{T}.Subscribe(IObserver{T}, IObservable{bool})"/>
/// is passed to the source as it is: while it is <see langword="false"/> the source produces nothing (at most the
/// chunk being read), so nothing is compressed either. Otherwise as <see cref="CompressedBody"/>. It is an
/// <see cref="IConnectionInput"/> so that <c>WriteTo(IConnectionInput, IConnectionOutput)</c> takes it; it keeps no
/// bytes given back with <see cref="IConnectionInput.Unread"/>.</remarks>
internal sealed class PausableCompressedBody(IPausableObservable<ReadOnlyMemory<byte>> source, ContentCoding coding) : IConnectionInput
{
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = new CompressingObserver(observer, coding);
        sink.SetUpstream(source.Subscribe(sink));
        return sink;
    }

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(canProduce);
        var sink = new CompressingObserver(observer, coding);
        sink.SetUpstream(source.Subscribe(sink, canProduce));
        return sink;
    }
}

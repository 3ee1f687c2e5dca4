namespace RxNet.Http.Server.Compression;

/// <summary>
/// A response body compressed as it streams, over a source that cannot pause (a plain observable): the server writes
/// it as it writes any plain body (held while the client does not read, up to a limit).
/// </summary>
/// <remarks>Cold: each subscription subscribes to the source once with a compressor of its own. Each chunk of the
/// source becomes one compressed chunk (never empty), a new array the subscriber keeps; completion appends the
/// coding's end; an error of the source passes through; disposing the subscription unsubscribes the source and frees
/// the compressor.</remarks>
internal sealed class CompressedBody(IObservable<ReadOnlyMemory<byte>> source, ContentCoding coding) : IObservable<ReadOnlyMemory<byte>>
{
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = new CompressingObserver(observer, coding);
        sink.SetUpstream(source.Subscribe(sink));
        return sink;
    }
}

using System.Reactive.Disposables;

namespace RxNet.Http;

/// <summary>
/// A response body already in memory (what <see cref="HttpResponse.Bytes"/> makes): to a subscriber it is
/// <c>Observable.Return(memory)</c>, and the server, seeing one, writes the head and the body in one write
/// without subscribing to it.
/// </summary>
/// <param name="memory">The body; never empty (an empty body is no body).</param>
internal sealed class MemoryBody(ReadOnlyMemory<byte> memory) : IObservable<ReadOnlyMemory<byte>>
{
    public ReadOnlyMemory<byte> Memory { get; } = memory;

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        observer.OnNext(Memory);
        observer.OnCompleted();
        return Disposable.Empty;
    }
}

using System.Reactive.Disposables;

namespace RxNet.Http.Client.Handler.Internal;

/// <summary>
/// A request's <see cref="HttpContent"/> as a request body: each subscription serializes the content
/// (<see cref="HttpContent.CopyToAsync(Stream, CancellationToken)"/>) into a <see cref="ContentWriteStream"/> that
/// emits what is written, and that makes the content wait while the subscriber's demand signal says so. Pausable, so
/// an agent that writes it the way <c>WriteTo</c> does holds the content back instead of buffering it.
/// </summary>
internal sealed class ContentBody(HttpContent content) : IConnectionInput
{
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, null);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool>? canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var stream = new ContentWriteStream(observer);
        var demand = canProduce?.Subscribe(stream.SetDemand);
        _ = PumpAsync(stream, observer);
        return Disposable.Create(() =>
        {
            demand?.Dispose();
            stream.Abandon();
        });
    }

    private async Task PumpAsync(ContentWriteStream stream, IObserver<ReadOnlyMemory<byte>> observer)
    {
        try
        {
            await content.CopyToAsync(stream, stream.Abandoned).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (!stream.Abandoned.IsCancellationRequested)
                observer.OnError(e);
            return;
        }
        if (!stream.Abandoned.IsCancellationRequested)
            observer.OnCompleted();
    }
}

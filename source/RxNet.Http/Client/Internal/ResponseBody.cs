using System.Reactive.Disposables;

namespace RxNet.Http.Client.Internal;

/// <summary>
/// The body of a response a client received: cold, unicast and pausable. Reading is done by the connection's
/// engine; this type passes the subscriber, its demand and its leaving on to it.
/// </summary>
internal sealed class ResponseBody(ClientConnection connection, ClientExchange exchange) : IConnectionInput
{
    private int _taken;

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, null);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool>? canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (Interlocked.Exchange(ref _taken, 1) != 0)
        {
            observer.OnError(new InvalidOperationException($"The body of the response to {exchange.Request} was already subscribed (or discarded): a response body is read once."));
            return Disposable.Empty;
        }
        connection.BodySubscribed(exchange, observer);
        var demand = canProduce?.Subscribe(value => connection.BodyDemand(exchange, value));
        return Disposable.Create(() =>
        {
            demand?.Dispose();
            connection.BodyDisposed(exchange);
        });
    }

    /// <summary>The caller will not read the body: what is left is drained (bounded) so the connection can be reused.</summary>
    public void Discard()
    {
        if (Interlocked.Exchange(ref _taken, 1) == 0)
            connection.BodyDiscarded(exchange);
    }
}

using System.Reactive.Disposables;

namespace RxNet.Http;

/// <summary>
/// The body of a request a server received: cold, unicast, and pausable, so a response that writes it back
/// (an echo) pauses the client while its own client does not read. Reading is done by the connection's engine;
/// this type only passes the subscriber, its demand and its leaving on to it.
/// </summary>
internal sealed class RequestBody(HttpServerConnection connection, ServerExchange exchange) : IConnectionInput
{
    private int _subscribed;

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, null);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool>? canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (Interlocked.Exchange(ref _subscribed, 1) != 0)
        {
            observer.OnError(new InvalidOperationException($"The body of {exchange.Request} was already subscribed: a request body is read once."));
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
}

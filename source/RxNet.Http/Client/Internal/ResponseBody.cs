using System.Reactive.Disposables;

namespace RxNet.Http.Client.Internal;

/// <summary>
/// The body of a response a client received: cold, unicast and pausable. Reading is done by the connection's
/// engine; this type passes the subscriber, its demand and its leaving on to it.
/// </summary>
/// <remarks>Read once, so the body is its own subscription (the disposable returned) and its own demand observer:
/// a body read allocates nothing here.</remarks>
internal sealed class ResponseBody(ClientConnection connection, ClientExchange exchange) : IConnectionInput, IDisposable, IObserver<bool>
{
    private int _taken;
    private int _disposed;
    private IDisposable? _demand;

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
        if (canProduce is not null)
        {
            var demand = canProduce.Subscribe(this);
            Volatile.Write(ref _demand, demand);
            if (Volatile.Read(ref _disposed) != 0)
                demand.Dispose(); // disposed while subscribing
        }
        return this;
    }

    /// <summary>The caller will not read the body: what is left is drained (bounded) so the connection can be reused.</summary>
    public void Discard()
    {
        if (Interlocked.Exchange(ref _taken, 1) == 0)
            connection.BodyDiscarded(exchange);
    }

    /// <summary>The subscriber left: the subscription's end.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Volatile.Read(ref _demand)?.Dispose();
        connection.BodyDisposed(exchange);
    }

    // The subscriber's demand.
    void IObserver<bool>.OnNext(bool value) => connection.BodyDemand(exchange, value);

    void IObserver<bool>.OnError(Exception error)
    {
    }

    void IObserver<bool>.OnCompleted()
    {
    }
}

using System.Reactive.Linq;

namespace RxNet.Http;

/// <summary>
/// One request of a server's request stream (<see cref="HttpServer.Requests"/>) and the way to answer it, exactly once.
/// </summary>
/// <remarks>
/// <para>Answer from the subscriber's <c>OnNext</c> with <see cref="Respond(HttpResponse)"/>, or with
/// <see cref="Respond(IObservable{HttpResponse})"/> when the response takes time to make (the observable is the
/// deferred result, as a handler's is). An exchange nobody answered by the time <c>OnNext</c> returns gets
/// <c>404 Not Found</c>. A second answer throws; the first stands.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class HttpExchange
{
    private IObservable<HttpResponse>? _response;

    private HttpExchange(HttpRequest request) => Request = request;

    /// <summary>The request.</summary>
    public HttpRequest Request { get; }

    /// <summary>Whether the exchange was answered (by a query, or by the server's fallback).</summary>
    public bool IsAnswered => Volatile.Read(ref _response) is not null;

    /// <summary>Answers with <paramref name="response"/>.</summary>
    /// <param name="response">The response.</param>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The exchange was already answered.</exception>
    public void Respond(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Respond(Observable.Return(response));
    }

    /// <summary>Answers with the first response of <paramref name="response"/>, subscribed once by the server, as it
    /// subscribes a handler's result (a failure before the response head is sent gets 500).</summary>
    /// <param name="response">A cold observable of the response, such as <c>Observable.FromAsync(...)</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The exchange was already answered.</exception>
    public void Respond(IObservable<HttpResponse> response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (Interlocked.CompareExchange(ref _response, response, null) is not null)
            throw new InvalidOperationException($"The exchange {Request} was already answered; an exchange is answered exactly once.");
    }

    /// <summary>Offers a request to the stream's subscriber and returns its answer, or the fallback.</summary>
    internal static IObservable<HttpResponse> Offer(HttpRequest request, IObserver<HttpExchange> observer, Lock gate)
    {
        var exchange = new HttpExchange(request);
        lock (gate) // an observer's notifications are serialized, whatever connection they come from
            observer.OnNext(exchange);
        Interlocked.CompareExchange(ref exchange._response, Observable.Return(HttpResponse.Status(404)), null);
        return exchange._response;
    }
}

using System.Reactive.Disposables;

namespace RxNet.Http;

/// <summary>The state of one request/response exchange on a connection; owned by its <see cref="HttpServerConnection"/>,
/// whose serialized work reads and writes it (the head flag is also taken under the connection's output gate).</summary>
/// <remarks>
/// <para>It is also the request's body (<see cref="HttpRequest.Body"/>): cold, unicast and pausable, so a response
/// that writes it back (an echo) pauses the client while its own client does not read. Reading is done by the
/// connection's engine; the body only passes the subscriber, its demand and its leaving on to it.</para>
/// <para>One object per request for all three roles (state, body, the handler's observer): the request refers to
/// its body, and a late event from a handler's observable must never reach another exchange, so it cannot be
/// pooled, and being one object keeps the exchange to a single allocation.</para>
/// </remarks>
internal sealed class ServerExchange : IObserver<HttpResponse>, IConnectionInput
{
    private readonly HttpServerConnection _connection;
    private byte _subscribed; // a byte, so it and _answered fit where the fields leave room
    private bool _answered;

    public ServerExchange(in RequestHead head, HttpRequest request, HttpServerConnection connection)
    {
        Request = request;
        _connection = connection;
        RequestKeepAlive = head.KeepAlive;
        ExpectContinue = head.ExpectContinue;
        CloseAfter = head.CloseAfter;
    }

    public HttpRequest Request { get; }

    public bool IsHead => Request.Method == "HEAD";

    public bool IsConnect => Request.Method == "CONNECT";

    // What the head said about the connection.

    /// <summary>The request allows keep-alive (HTTP/1.1 without <c>Connection: close</c>, or 1.0 with keep-alive).</summary>
    public bool RequestKeepAlive { get; }

    /// <summary><c>Expect: 100-continue</c> on an HTTP/1.1 request.</summary>
    public bool ExpectContinue { get; }

    /// <summary>The framing forces a close after this exchange.</summary>
    public bool CloseAfter { get; }

    // The request body.
    public IObserver<ReadOnlyMemory<byte>>? BodyObserver { get; set; }

    public bool BodySubscribed { get; set; }

    public bool BodyDemand { get; set; } = true;

    /// <summary>The body subscriber left, or the response ended: the rest of the body is read and dropped.</summary>
    public bool BodyDetached { get; set; }

    public bool BodyComplete { get; set; }

    /// <summary>Bytes of a Content-Length body not read yet (0 for other framings).</summary>
    public long BodyRemaining { get; set; }

    public ChunkedBodyDecoder? Decoder { get; set; }

    public long BodyRead { get; set; }

    public long Drained { get; set; }

    public long? BodyLimit { get; set; }

    public HttpProtocolException? BodyError { get; set; }

    public bool ContinueSent { get; set; }

    // The response.
    public IDisposable? HandlerSubscription { get; set; }

    public bool ResponseChosen { get; set; }

    public bool HeadWritten { get; set; }

    public bool KeepAlive { get; set; }

    public bool ResponseComplete { get; set; }

    public IDisposable? ResponseBodySubscription { get; set; }

    // The handler's observable answers through its exchange, so subscribing to it allocates no observer. Once it has
    // answered, its end (Observable.Return completes at once) means nothing to the connection and is not queued.
    void IObserver<HttpResponse>.OnNext(HttpResponse value)
    {
        Volatile.Write(ref _answered, true);
        _connection.HandlerResponded(this, value);
    }

    void IObserver<HttpResponse>.OnError(Exception error)
    {
        if (!Volatile.Read(ref _answered))
            _connection.HandlerFailed(this, error);
    }

    void IObserver<HttpResponse>.OnCompleted()
    {
        if (!Volatile.Read(ref _answered))
            _connection.HandlerCompleted(this);
    }

    // The request body.
    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, null);

    public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool>? canProduce)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (Interlocked.Exchange(ref _subscribed, (byte)1) != 0)
        {
            observer.OnError(new InvalidOperationException($"The body of {Request} was already subscribed: a request body is read once."));
            return Disposable.Empty;
        }
        _connection.BodySubscribed(this, observer);
        var demand = canProduce?.Subscribe(value => _connection.BodyDemand(this, value));
        return Disposable.Create(() =>
        {
            demand?.Dispose();
            _connection.BodyDisposed(this);
        });
    }

    public void DisposeResponse()
    {
        HandlerSubscription?.Dispose();
        ResponseBodySubscription?.Dispose();
    }
}

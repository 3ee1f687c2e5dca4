namespace RxNet.Http;

/// <summary>The state of one request/response exchange on a connection; owned by its <see cref="HttpServerConnection"/>,
/// whose serialized work reads and writes it (the head flag is also taken under the connection's output gate).</summary>
internal sealed class ServerExchange(RequestHead head, HttpRequest request, HttpServerConnection connection) : IObserver<HttpResponse>
{
    public RequestHead Head { get; } = head;

    public HttpRequest Request { get; } = request;

    public bool IsHead => Head.Method == "HEAD";

    public bool IsConnect => Head.Method == "CONNECT";

    // The request body.
    public IObserver<ReadOnlyMemory<byte>>? BodyObserver { get; set; }

    public bool BodySubscribed { get; set; }

    public bool BodyDemand { get; set; } = true;

    /// <summary>The body subscriber left, or the response ended: the rest of the body is read and dropped.</summary>
    public bool BodyDetached { get; set; }

    public bool BodyComplete { get; set; }

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

    // The handler's observable answers through its exchange, so subscribing to it allocates no observer.
    void IObserver<HttpResponse>.OnNext(HttpResponse value) => connection.HandlerResponded(this, value);

    void IObserver<HttpResponse>.OnError(Exception error) => connection.HandlerFailed(this, error);

    void IObserver<HttpResponse>.OnCompleted() => connection.HandlerCompleted(this);

    public void DisposeResponse()
    {
        HandlerSubscription?.Dispose();
        ResponseBodySubscription?.Dispose();
    }
}

namespace RxNet.Http.Client.Internal;

/// <summary>The state of one request and its response on a <see cref="ClientConnection"/>, touched only from the
/// connection's serialized work.</summary>
internal sealed class ClientExchange(HttpRequest request, string target, string host, IExchangeOwner owner)
{
    public HttpRequest Request { get; } = request;

    public string Target { get; } = target;

    public string Host { get; } = host;

    public IExchangeOwner Owner { get; } = owner;

    /// <summary>The caller gave up before the head: nobody is told anything more.</summary>
    public bool Cancelled { get; set; }

    /// <summary>The connection had served an exchange before this one.</summary>
    public bool Reused { get; set; }

    public bool ResponseBytesSeen { get; set; }

    // The request body.
    public bool RequestBodyStarted { get; set; }

    public bool RequestBodyDone { get; set; }

    public bool ExpectingContinue { get; set; }

    /// <summary>A final status came before the 100: the body was never sent.</summary>
    public bool RequestBodyWithheld { get; set; }

    public IDisposable? RequestBodySubscription { get; set; }

    // The response.
    public bool HeadDone { get; set; }

    public ResponseHead Head { get; set; }

    public HttpResponse? Response { get; set; }

    public long BodyRemaining { get; set; }

    public ChunkedBodyDecoder? Decoder { get; set; }

    public bool BodySubscribed { get; set; }

    public IObserver<ReadOnlyMemory<byte>>? BodyObserver { get; set; }

    public bool BodyDemand { get; set; } = true;

    public bool BodyComplete { get; set; }

    /// <summary>Why the body failed, for a subscriber that comes after.</summary>
    public Exception? BodyError { get; set; }

    public long BodyRead { get; set; }

    public bool Draining { get; set; }

    public long Drained { get; set; }

    /// <summary>The body-idle timeout runs (a body is read and no byte is buffered).</summary>
    public bool IdleTiming { get; set; }
}

namespace RxNet.Http.Client.Internal;

/// <summary>
/// One subscription to <see cref="HttpAgent.Send"/>: waits for a connection, runs the exchange on it, and retries
/// once on a new connection when a pooled one turns out to have been closed by the server (an idempotent request
/// whose body was not consumed only, as Twisted's pool does).
/// </summary>
/// <remarks>Disposing it before the response head abandons the exchange: it leaves the line, or its connection is
/// aborted. After the head it does nothing: the body's own subscription governs the rest.</remarks>
internal sealed class SendOperation(SendObservable send, IObserver<HttpResponse> observer)
    : IExchangeOwner, IDisposable
{
    private OriginPool? _pool;

    private readonly Lock _gate = new();
    private bool _disposed;
    private bool _responded;
    private bool _retried;
    private ClientConnection? _connection;
    private ClientExchange? _exchange;

    /// <summary>Its place in the pool's line while it waits (the pool's lock guards it).</summary>
    public LinkedListNode<SendOperation>? Node { get; set; }

    /// <summary>The origin it is for.</summary>
    public HttpOrigin Origin => send.Origin;

    /// <summary>The pool that took it (set under that pool's lock; a retry may move it to the origin's next pool).</summary>
    public OriginPool? Pool
    {
        get => Volatile.Read(ref _pool);
        set => Volatile.Write(ref _pool, value);
    }

    /// <summary>The pool gave it a connection (in use, counted).</summary>
    public void Acquired(ClientConnection connection)
    {
        ClientExchange? exchange = null;
        lock (_gate)
        {
            if (!_disposed)
            {
                exchange = new ClientExchange(send.Request, send.Target, send.Authority, this);
                _connection = connection;
                _exchange = exchange;
            }
        }
        if (exchange is null)
        {
            connection.Release(); // nobody wants it now: the next request in line will, or it goes idle
            return;
        }
        connection.Send(exchange);
    }

    public void AcquireFailed(Exception error)
    {
        if (!Volatile.Read(ref _disposed))
            observer.OnError(error);
    }

    public void Responded(HttpResponse response)
    {
        Volatile.Write(ref _responded, true); // its subscription's Dispose has nothing left to cancel
        observer.OnNext(response);
        observer.OnCompleted();
    }

    public void Failed(Exception error, bool stale)
    {
        bool retry;
        var request = send.Request;
        lock (_gate)
        {
            retry = stale && !_retried && !_disposed && IsIdempotent(request.Method) && !(request.HasBody && _exchange!.RequestBodyStarted);
            _retried |= retry;
            _connection = null;
            _exchange = null;
        }
        if (!retry)
        {
            observer.OnError(error);
            return;
        }
        HttpClientLog.Retrying(send.Agent.Logger, request, error.Message);
        send.Agent.Acquire(this, fresh: true);
    }

    public void Dispose()
    {
        if (Volatile.Read(ref _responded))
            return;
        ClientConnection? connection;
        ClientExchange? exchange;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            connection = _connection;
            exchange = _exchange;
        }
        Pool?.CancelWait(this);
        if (connection is not null && exchange is not null)
            connection.Cancel(exchange);
    }

    /// <summary>The methods RFC 9110 §9.2.2 calls idempotent, which a client may send again.</summary>
    private static bool IsIdempotent(string method) => method is "GET" or "HEAD" or "OPTIONS" or "TRACE" or "PUT" or "DELETE";
}

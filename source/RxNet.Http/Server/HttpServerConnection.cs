using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RxNet.Http.Server.Compression;
using RxNet.Http.Server.Timing;

namespace RxNet.Http;

/// <summary>
/// Serves one connection: reads request heads and bodies from its input (paused whenever nothing may be read),
/// runs one exchange at a time, and writes responses in order.
/// </summary>
/// <remarks>
/// Every event (a chunk received, the input's end, a handler's answer, a body subscriber's demand, the end of a
/// response) is posted to one queue that a single thread at a time runs, so the state needs no lock and user
/// callbacks never run re-entrantly. A response body's chunks go straight to the output from the producer's
/// thread; the head is written under the output's gate, which orders it against <c>100 Continue</c> and
/// error responses.
/// <para>What an idle keep-alive connection holds is kept small (there may be tens of thousands): the two gates are
/// private objects it has anyway, its clock calls it back as an observer rather than through a delegate, the demand
/// signal is a single-subscriber value, and one queued event waits in a field (a queue is made only when several
/// wait at once).</para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The clock is stopped when the connection finishes; the demand signal holds no resource.")]
internal sealed class HttpServerConnection : IObserver<ReadOnlyMemory<byte>>, IObserver<ConnectionClosed>, IObserver<bool>, IObserver<HttpTimeout>
{
    private readonly HttpServer _server;
    private readonly IConnection _connection;
    private readonly HttpServerOptions _options;
    private readonly RequestHeadParser _parser;
    private readonly ILogger _logger;
    private readonly InputDemand _demand = new();
    private readonly HttpConnectionClock _clock;
    private Work _next; // the oldest queued event, while _hasNext
    private bool _hasNext;
    private Queue<Work>? _later; // the events queued after _next, made when first needed
    private bool _running;
    private ReceiveBuffer _received;
    private IDisposable? _input;
    private IDisposable? _closedWatch;
    private IDisposable? _writableWatch;
    private ServerExchange? _exchange;
    private bool _inputEnded;
    private bool _finished;
    private bool _draining;

    public HttpServerConnection(HttpServer server, IConnection connection)
    {
        _server = server;
        _connection = connection;
        _options = server.Options;
        _parser = new RequestHeadParser(_options);
        _logger = _options.Logger ?? NullLogger.Instance;
        _draining = server.IsDraining;
        _clock = new HttpConnectionClock(server.Scheduler, _options, (IObserver<HttpTimeout>)this);
    }

    // The queue's gate and the output's: private objects the connection has anyway (nothing else locks them), so it
    // holds no lock objects of its own.
    private object QueueGate => _clock;

    private object OutputGate => _parser;

    public IConnectionOutput Output => _connection.Output;

    public void Start()
    {
        // The connection observes these itself: an idle keep-alive connection holds no observer or delegate for them.
        _closedWatch = _connection.Closed.Subscribe((IObserver<ConnectionClosed>)this);
        _writableWatch = _connection.Output.Writable.Subscribe((IObserver<bool>)this);
        _clock.WaitingForRequest(firstRequest: true);
        _input = _connection.Input.Subscribe(this, _demand);
    }

    public void Drain() => Post(() =>
    {
        _draining = true;
        if (_exchange is null && _received.Length == 0)
            CloseConnection();
    });

    // The connection's input.
    void IObserver<ReadOnlyMemory<byte>>.OnNext(ReadOnlyMemory<byte> value) => Post(new Work(WorkKind.Received, Chunk: value));

    void IObserver<ReadOnlyMemory<byte>>.OnError(Exception error) => Post(new Work(WorkKind.InputEnded, Argument: error));

    void IObserver<ReadOnlyMemory<byte>>.OnCompleted() => Post(new Work(WorkKind.InputEnded));

    // The connection's end.
    void IObserver<ConnectionClosed>.OnNext(ConnectionClosed value) => Post(new Work(WorkKind.ConnectionClosed));

    void IObserver<ConnectionClosed>.OnError(Exception error) => Post(new Work(WorkKind.ConnectionClosed));

    void IObserver<ConnectionClosed>.OnCompleted()
    {
    }

    // The output's Writable: the response clock runs while the server waits on the client.
    void IObserver<bool>.OnNext(bool value) => _clock.ResponseWaiting(!value);

    void IObserver<bool>.OnError(Exception error)
    {
    }

    void IObserver<bool>.OnCompleted()
    {
    }

    // The clock: a limit was broken (at most once, on the scheduler).
    void IObserver<HttpTimeout>.OnNext(HttpTimeout value) => Post(new Work(WorkKind.Timeout, Argument: value));

    void IObserver<HttpTimeout>.OnError(Exception error)
    {
    }

    void IObserver<HttpTimeout>.OnCompleted()
    {
    }

    // Called by the request body (any thread).
    public void BodySubscribed(ServerExchange exchange, IObserver<ReadOnlyMemory<byte>> observer) => Post(() => OnBodySubscribed(exchange, observer));

    public void BodyDemand(ServerExchange exchange, bool demand) => Post(() =>
    {
        if (exchange != _exchange)
            return;
        exchange.BodyDemand = demand;
        if (!demand)
            _clock.BodyReadPaused();
        Pump();
    });

    public void BodyDisposed(ServerExchange exchange) => Post(() =>
    {
        if (exchange != _exchange)
            return;
        exchange.BodyObserver = null;
        exchange.BodyDetached = true;
        _clock.BodyReadPaused();
        Pump();
    });

    // Called by the response body's writer (the producer's thread).

    /// <summary>Writes the head of <paramref name="response"/> into <paramref name="scratch"/> unless a head was already
    /// written for this exchange (an error response came first); the caller sends it.</summary>
    public bool WriteHead(ServerExchange exchange, HttpResponse response, bool chunked, IBufferWriter<byte> scratch)
    {
        lock (OutputGate)
        {
            if (exchange.HeadWritten)
                return false;
            exchange.HeadWritten = true;
            exchange.KeepAlive = KeepAlive(exchange, response, chunked);
            ResponseWriter.WriteHead(scratch, response, exchange.Request.Version, chunked, exchange.KeepAlive, _server.Date.Now);
            return true;
        }
    }

    public void ResponseBytesWritten(int count) => _clock.ResponseBytesWritten(count);

    public void ResponseCompleted(ServerExchange exchange) => Post(new Work(WorkKind.ResponseCompleted, exchange));

    // Called by the handler's observable, through its exchange (any thread).
    public void HandlerResponded(ServerExchange exchange, HttpResponse response) => Post(new Work(WorkKind.Response, exchange, response));

    public void HandlerFailed(ServerExchange exchange, Exception error) => Post(new Work(WorkKind.HandlerFailed, exchange, error));

    public void HandlerCompleted(ServerExchange exchange) => Post(new Work(WorkKind.HandlerCompleted, exchange));

    public void ResponseFailed(ServerExchange exchange, Exception error, bool headSent)
    {
        if (headSent)
            AbortResponse(exchange, $"the response body failed after its head was sent: {error.Message}");
        else
            Post(() => AnswerFailure(exchange, error));
    }

    public void AbortResponse(ServerExchange exchange, string reason)
    {
        HttpServerLog.ResponseAborted(_logger, _connection.RemoteEndPoint, exchange.Request, reason);
        _connection.Dispose(); // at once, so nothing more of this response leaves
        Post(OnConnectionClosed);
    }

    // The serialized work.
    private void Post(Action work) => Post(new Work(WorkKind.Action, work));

    // Events are queued as values, not closures: one request's events allocate nothing here.
    private void Post(Work work)
    {
        lock (QueueGate)
        {
            if (!_hasNext && (_later is null || _later.Count == 0))
                (_next, _hasNext) = (work, true);
            else
                (_later ??= new Queue<Work>()).Enqueue(work); // _next stays the oldest
            if (_running)
                return;
            _running = true;
        }
        while (true)
        {
            Work next;
            lock (QueueGate)
            {
                if (_hasNext)
                    (next, _next, _hasNext) = (_next, default, false);
                else if (_later is null || !_later.TryDequeue(out next))
                {
                    // What is left of a received chunk waits in the connection's own buffer, not in the input's chunk.
                    _received.Settle();
                    _running = false;
                    return;
                }
            }
            try
            {
                Run(next);
            }
#pragma warning disable CA1031 // a fault serving one connection ends that connection, never the server
            catch (Exception e)
#pragma warning restore CA1031
            {
                HttpServerLog.Failed(_logger, _connection.RemoteEndPoint, e);
                Abort();
            }
        }
    }

    private void Run(in Work work)
    {
        switch (work.Kind)
        {
            case WorkKind.Received:
                Received(work.Chunk);
                break;
            case WorkKind.InputEnded:
                InputEnded((Exception?)work.Argument);
                break;
            case WorkKind.Pump:
                Pump();
                break;
            case WorkKind.Response:
                OnResponse((ServerExchange)work.Subject!, (HttpResponse)work.Argument!);
                break;
            case WorkKind.HandlerFailed:
                OnHandlerFailed((ServerExchange)work.Subject!, (Exception)work.Argument!);
                break;
            case WorkKind.HandlerCompleted:
                OnHandlerCompleted((ServerExchange)work.Subject!);
                break;
            case WorkKind.ResponseCompleted:
                OnResponseCompleted((ServerExchange)work.Subject!);
                break;
            case WorkKind.ConnectionClosed:
                OnConnectionClosed();
                break;
            case WorkKind.Timeout:
                OnTimeout((HttpTimeout)work.Argument!);
                break;
            default:
                ((Action)work.Subject!)();
                break;
        }
    }

    private void Received(ReadOnlyMemory<byte> chunk)
    {
        if (_finished)
            return;
        _clock.RequestBytesArrived();
        _received.Append(chunk);
        Pump();
    }

    private void InputEnded(Exception? error)
    {
        if (_finished)
            return;
        _inputEnded = true;
        if (error is not null)
        {
            OnConnectionClosed();
            return;
        }
        Pump();
    }

    private void Pump()
    {
        while (!_finished)
        {
            var exchange = _exchange;
            if (exchange is null)
            {
                if (!TryStartExchange())
                    break;
                continue;
            }
            bool reading = !exchange.BodyComplete &&
                (exchange.ResponseComplete || (exchange.BodyObserver is not null && !exchange.BodyDetached && exchange.BodyDemand));
            if (reading)
            {
                var step = ReadBody(exchange);
                if (step == BodyStep.Delivered)
                {
                    // Let what the subscriber did in OnNext (pause, leave) run before the next chunk.
                    Post(new Work(WorkKind.Pump));
                    break;
                }
                if (step == BodyStep.Stalled)
                    break;
                continue;
            }
            if (exchange.ResponseComplete && exchange.BodyComplete)
            {
                EndExchange(exchange);
                continue;
            }
            break;
        }
        UpdateDemand();
    }

    private bool TryStartExchange()
    {
        if (_received.Length == 0)
        {
            if (_inputEnded || _draining)
                CloseConnection();
            return false;
        }
        RequestHead head;
        int consumed;
        try
        {
            var sequence = _received.Sequence;
            if (!_parser.TryParse(sequence, out head, out var position))
            {
                if (_inputEnded)
                    CloseConnection(); // half a head, and no more coming
                return false;
            }
            consumed = (int)sequence.Slice(sequence.Start, position).Length;
        }
        catch (HttpProtocolException e)
        {
            RefuseRequest(null, e);
            return false;
        }
        _received.Consume(consumed);
        _clock.HeadComplete();
        var request = new HttpRequest(head.Method, head.Target, head.Headers)
        {
            Version = head.Version,
            ContentLength = head.Framing switch
            {
                BodyFraming.None => 0,
                BodyFraming.ContentLength => head.ContentLength,
                _ => null,
            },
            RemoteEndPoint = _connection.RemoteEndPoint,
            LocalEndPoint = _connection.LocalEndPoint,
            MaxBodySize = _options.MaxRequestBodySize,
            Draining = _server.DrainSignal,
        };
        var exchange = new ServerExchange(head, request, this);
        request.Body = exchange;
        switch (head.Framing)
        {
            case BodyFraming.ContentLength:
                exchange.BodyRemaining = head.ContentLength;
                exchange.BodyComplete = head.ContentLength == 0;
                break;
            case BodyFraming.Chunked:
                exchange.Decoder = new ChunkedBodyDecoder(_options, request.Trailers);
                break;
            default:
                exchange.BodyComplete = true;
                break;
        }
        _exchange = exchange;
        CallHandler(exchange);
        return true;
    }

    private void CallHandler(ServerExchange exchange)
    {
        try
        {
            var result = _server.Handler(exchange.Request)
                ?? throw new InvalidOperationException("The handler returned null instead of an observable of the response.");
            // It hands its events back to HandlerResponded and co. SubscribeSafe: an Rx operator (Observable.Return,
            // FromAsync...) is subscribed without the safe-observer wrapper and its disposable, which the exchange does
            // not need (it ignores every event after the first response, and the connection's queue catches what its
            // own calls throw); a Subscribe that throws comes back as OnError, a 500 as before.
            exchange.HandlerSubscription = result.SubscribeSafe(exchange);
        }
#pragma warning disable CA1031 // a handler's fault is its request's 500
        catch (Exception e)
#pragma warning restore CA1031
        {
            Post(new Work(WorkKind.HandlerFailed, exchange, e)); // a value, not a closure: nothing allocated per call
        }
    }

    private void OnHandlerFailed(ServerExchange exchange, Exception error)
    {
        if (exchange == _exchange && !exchange.ResponseChosen)
            AnswerFailure(exchange, error); // after its response, a handler's error is not the response's
    }

    private void OnHandlerCompleted(ServerExchange exchange)
    {
        if (exchange == _exchange && !exchange.ResponseChosen)
            AnswerFailure(exchange, new InvalidOperationException("The handler's observable completed without a response."));
    }

    private void OnResponse(ServerExchange exchange, HttpResponse response)
    {
        if (exchange != _exchange || exchange.ResponseChosen || _finished)
            return; // a second response, or one for an exchange that is over: only the first counts
        exchange.ResponseChosen = true;
        response = ResponseCompression.Apply(exchange.Request, response);
        if (response.Upgraded is not null && (response.StatusCode == 101 || (exchange.IsConnect && response.StatusCode is >= 200 and < 300)))
        {
            Upgrade(exchange, response);
            return;
        }
        bool bodiless = exchange.IsHead || response.StatusCode is < 200 or 204 or 304;
        if (!response.HasBody && response.ContentLength is null && !bodiless)
            response.ContentLength = 0;
        bool chunked = response.ContentLength is null && exchange.Request.Version >= System.Net.HttpVersion.Version11 && response.StatusCode is >= 200 and not 204 and not 304;
        bool inMemory = response.TryGetMemoryBody(out var memory);
        if (bodiless || !response.HasBody || (inMemory && !chunked && response.ContentLength == memory.Length))
        {
            // No body, or one already in memory: the head and the body leave in one write, with no subscription.
            var scratch = ScratchWriter.Rent();
            if (WriteHead(exchange, response, chunked, scratch))
            {
                if (!bodiless && inMemory)
                    scratch.Write(memory.Span);
                Output.OnNext(scratch.WrittenMemory);
                _clock.ResponseBytesWritten(scratch.WrittenCount);
            }
            ScratchWriter.Return(scratch);
            OnResponseCompleted(exchange);
            return;
        }
        var writer = new ResponseBodyWriter(this, exchange, response, chunked);
        try
        {
            exchange.ResponseBodySubscription = response.Body is IPausableObservable<ReadOnlyMemory<byte>> pausable
                ? pausable.Subscribe(writer, writer.Writable)
                : response.Body!.WriteTo(writer);
        }
#pragma warning disable CA1031 // a body that cannot be subscribed is the handler's fault
        catch (Exception e)
#pragma warning restore CA1031
        {
            writer.OnError(e);
        }
    }

    /// <summary>The handler failed, or its response body failed before the head was sent: 500 (or the status of the
    /// protocol error behind it) when no head is out yet.</summary>
    private void AnswerFailure(ServerExchange exchange, Exception error)
    {
        if (exchange != _exchange || _finished)
            return;
        if (exchange.ResponseChosen && exchange.HeadWritten)
            return; // an error after the response was chosen and sent belongs to its body, which reports it
        exchange.ResponseChosen = true;
        var protocolError = error as HttpProtocolException ?? exchange.BodyError;
        if (protocolError is not null)
        {
            RefuseRequest(exchange, protocolError);
            return;
        }
        HttpServerLog.HandlerFailed(_logger, exchange.Request, _connection.RemoteEndPoint, error);
        exchange.ResponseBodySubscription?.Dispose();
        var scratch = new ArrayBufferWriter<byte>(256);
        if (!WriteHead(exchange, HttpResponse.Status(500), chunked: false, scratch))
        {
            AbortResponse(exchange, $"the response failed after its head was sent: {error.Message}");
            return;
        }
        Output.OnNext(scratch.WrittenMemory);
        OnResponseCompleted(exchange);
    }

    /// <summary>A request broke HTTP: its status when no response head is out, a logged reason, and a close.</summary>
    private void RefuseRequest(ServerExchange? exchange, HttpProtocolException error)
    {
        if (_finished)
            return;
        HttpServerLog.ProtocolError(_logger, _connection.RemoteEndPoint, error.StatusCode, error.Error, error.Message);
        bool headFree;
        lock (OutputGate)
        {
            headFree = exchange is null || !exchange.HeadWritten;
            if (exchange is not null)
                exchange.HeadWritten = true;
        }
        if (!headFree)
        {
            Abort();
            return;
        }
        exchange?.ResponseBodySubscription?.Dispose();
        var scratch = new ArrayBufferWriter<byte>(256);
        ResponseWriter.WriteHead(scratch, HttpResponse.Status(error.StatusCode), exchange?.Request.Version ?? System.Net.HttpVersion.Version11,
            chunked: false, keepAlive: false, _server.Date.Now);
        Output.OnNext(scratch.WrittenMemory);
        CloseConnection();
    }

    private void OnResponseCompleted(ServerExchange exchange)
    {
        if (exchange != _exchange || _finished)
            return;
        exchange.ResponseComplete = true;
        exchange.ResponseBodySubscription = null;
        _clock.ResponseComplete();
        if (!exchange.KeepAlive || exchange.BodyError is not null)
        {
            CloseConnection();
            return;
        }
        exchange.BodyDetached = true; // what the handler left unread is drained, up to the limit
        exchange.BodyObserver = null;
        Pump();
    }

    private void EndExchange(ServerExchange exchange)
    {
        _exchange = null;
        exchange.DisposeResponse();
        if (!exchange.KeepAlive || exchange.BodyError is not null || _draining)
        {
            CloseConnection();
            return;
        }
        if (_received.Length == 0)
            _received.Release(); // an idle keep-alive connection holds no buffer: it is rented again when bytes come
        _clock.WaitingForRequest(firstRequest: false);
        if (_received.Length > 0)
            _clock.RequestBytesArrived(); // a pipelined head has begun: the headers timeout, not the keep-alive one
    }

    private void OnBodySubscribed(ServerExchange exchange, IObserver<ReadOnlyMemory<byte>> observer)
    {
        if (exchange != _exchange || _finished || exchange.ResponseComplete)
        {
            observer.OnError(new InvalidOperationException($"The exchange of {exchange.Request} is over: its body can no longer be read."));
            return;
        }
        exchange.BodySubscribed = true;
        exchange.BodyObserver = observer;
        exchange.BodyLimit = exchange.Request.MaxBodySize;
        if (exchange.BodyComplete)
        {
            observer.OnCompleted();
            return;
        }
        if (exchange.BodyLimit is long limit && exchange.Request.ContentLength > limit) // a declared length over the limit
        {
            BodyFailed(exchange, TooLarge(exchange, limit));
            return;
        }
        if (exchange.ExpectContinue && !exchange.ContinueSent)
        {
            exchange.ContinueSent = true;
            lock (OutputGate)
            {
                if (!exchange.HeadWritten)
                {
                    var scratch = new ArrayBufferWriter<byte>(32);
                    ResponseWriter.WriteContinue(scratch);
                    Output.OnNext(scratch.WrittenMemory);
                }
            }
        }
        Pump();
    }

    private BodyStep ReadBody(ServerExchange exchange)
    {
        if (_received.Length == 0)
        {
            if (_inputEnded)
            {
                if (exchange.ResponseComplete)
                    CloseConnection();
                else
                    BodyFailed(exchange, new HttpProtocolException(HttpProtocolError.IncompleteBody, 400, "The client closed the connection before the whole request body arrived."));
                return BodyStep.Stalled;
            }
            _clock.BodyReadWaiting();
            return BodyStep.Stalled;
        }
        ReadOnlyMemory<byte> data;
        bool complete;
        try
        {
            if (!BodyReader.TryRead(ref _received, exchange.Decoder, exchange.BodyRemaining, out data, out complete))
            {
                if (_inputEnded)
                    BodyFailed(exchange, new HttpProtocolException(HttpProtocolError.IncompleteBody, 400, "The client closed the connection before the whole chunked request body arrived."));
                else
                    _clock.BodyReadWaiting();
                return BodyStep.Stalled;
            }
        }
        catch (HttpProtocolException e)
        {
            BodyFailed(exchange, e);
            return BodyStep.Stalled;
        }
        if (exchange.Decoder is null)
            exchange.BodyRemaining -= data.Length;
        exchange.BodyRead += data.Length;
        if (data.Length > 0)
            _clock.BodyBytesRead(data.Length);
        if (exchange.ResponseComplete || exchange.BodyDetached || exchange.BodyObserver is null)
        {
            exchange.Drained += data.Length;
            exchange.BodyComplete = complete;
            if (exchange.Drained > _options.MaxRequestBodyDrainSize)
            {
                HttpServerLog.DrainLimit(_logger, _connection.RemoteEndPoint, exchange.Request, _options.MaxRequestBodyDrainSize);
                CloseConnection();
                return BodyStep.Stalled;
            }
            return BodyStep.Progress;
        }
        if (exchange.BodyLimit is long limit && exchange.BodyRead > limit)
        {
            BodyFailed(exchange, TooLarge(exchange, limit));
            return BodyStep.Stalled;
        }
        exchange.BodyComplete = complete;
        var observer = exchange.BodyObserver;
        if (data.Length > 0)
            observer.OnNext(data);
        if (complete)
        {
            _clock.BodyComplete();
            observer.OnCompleted();
        }
        return data.Length > 0 ? BodyStep.Delivered : BodyStep.Progress;
    }

    /// <summary>The request body broke a rule or a limit: its reader hears it, the connection closes after the
    /// response (its framing is lost), and the handler's failure gets the error's status.</summary>
    private void BodyFailed(ServerExchange exchange, HttpProtocolException error)
    {
        exchange.BodyError = error;
        exchange.BodyComplete = true; // read no more of it
        var observer = exchange.BodyObserver;
        exchange.BodyObserver = null;
        exchange.BodyDetached = true;
        _clock.BodyComplete();
        if (observer is not null)
            observer.OnError(error);
        else if (!exchange.ResponseChosen)
            AnswerFailure(exchange, error);
        if (exchange.ResponseComplete)
            CloseConnection();
    }

    private static HttpProtocolException TooLarge(ServerExchange exchange, long limit) =>
        new(HttpProtocolError.BodyTooLarge, 413, $"The body of {exchange.Request} is larger than its limit of {limit} bytes.");

    private void Upgrade(ServerExchange exchange, HttpResponse response)
    {
        var scratch = new ArrayBufferWriter<byte>(256);
        lock (OutputGate)
        {
            if (exchange.HeadWritten)
                return;
            exchange.HeadWritten = true;
            ResponseWriter.WriteHead(scratch, response, exchange.Request.Version, chunked: false, keepAlive: true, _server.Date.Now);
        }
        Output.OnNext(scratch.WrittenMemory);
        _finished = true;
        OnDetached();
        if (_received.Length > 0)
            _connection.Input.Unread(_received.Memory.ToArray());
        _received.Release();
        _input?.Dispose();
        _closedWatch?.Dispose();
        exchange.DisposeResponse();
        _exchange = null;
        _server.Forget(this);
        try
        {
            response.Upgraded!(_connection);
        }
#pragma warning disable CA1031 // the callback's fault ends its connection, never the server
        catch (Exception e)
#pragma warning restore CA1031
        {
            HttpServerLog.UpgradeFailed(_logger, exchange.Request, _connection.RemoteEndPoint, e);
            _connection.Dispose();
        }
    }

    private bool KeepAlive(ServerExchange exchange, HttpResponse response, bool chunked)
    {
        // After the client's FIN, requests it pipelined before it are still answered: the connection stays open while
        // bytes wait, and the last response (nothing buffered behind it) says close.
        if (!exchange.RequestKeepAlive || exchange.CloseAfter || _draining || (_inputEnded && _received.Length == 0) || exchange.BodyError is not null)
            return false;
        if (response.Headers["Connection"] is { } connection && connection.Contains("close", StringComparison.OrdinalIgnoreCase))
            return false;
        bool bodiless = exchange.IsHead || response.StatusCode is < 200 or 204 or 304;
        if (!bodiless && !chunked && response.ContentLength is null)
            return false; // HTTP/1.0 without a length: the body ends at the close
        if (!exchange.BodyComplete && !exchange.BodySubscribed)
        {
            if (exchange.ExpectContinue && !exchange.ContinueSent)
                return false; // the client waits for a 100 that will not come: it may never send the body
            if (exchange.BodyRemaining > _options.MaxRequestBodyDrainSize) // a Content-Length body's unread rest
                return false;
        }
        return true;
    }

    private void UpdateDemand()
    {
        _demand.Set(!_finished && !_inputEnded && _received.Length < _options.MaxRequestBufferSize && WantsInput(_exchange));
    }

    private static bool WantsInput(ServerExchange? exchange) =>
        exchange is null || exchange.BodyComplete || exchange.ResponseComplete ||
        (exchange.BodyObserver is not null && !exchange.BodyDetached && exchange.BodyDemand);

    private void CloseConnection()
    {
        if (_finished)
            return;
        Finish();
        _connection.Close();
    }

    private void Abort()
    {
        if (_finished)
            return;
        Finish();
        _connection.Dispose();
    }

    private void OnConnectionClosed()
    {
        var exchange = _exchange;
        Finish();
        if (exchange is not null && !exchange.BodyComplete && exchange.BodyObserver is { } observer)
        {
            exchange.BodyObserver = null;
            exchange.BodyComplete = true;
            observer.OnError(new HttpProtocolException(HttpProtocolError.IncompleteBody, 400, "The client disconnected before the whole request body arrived."));
        }
    }

    private void Finish()
    {
        bool first = !_finished;
        _finished = true;
        var exchange = _exchange;
        _exchange = null;
        exchange?.DisposeResponse(); // a client that disconnects disposes the handler's subscription
        if (!first)
            return;
        _received.Release();
        OnDetached();
        _server.Forget(this);
        _input?.Dispose();
        _closedWatch?.Dispose();
    }

    private void OnDetached()
    {
        _clock.Stop();
        _writableWatch?.Dispose();
    }

    private void OnTimeout(HttpTimeout timeout)
    {
        if (_finished)
            return;
        switch (timeout)
        {
            case HttpTimeout.KeepAlive:
                CloseConnection(); // nothing was asked: close quietly
                break;
            case HttpTimeout.RequestHeaders:
                RefuseRequest(null, new HttpProtocolException(HttpProtocolError.HeadersTimeout, 408,
                    $"The request head did not arrive within {_options.RequestHeadersTimeout}."));
                break;
            case HttpTimeout.RequestBodyTooSlow when _exchange is { } exchange:
                var error = new HttpProtocolException(HttpProtocolError.RequestBodyTooSlow, 408,
                    $"The client sent the body of {exchange.Request} slower than {_options.MinRequestBodyDataRate}.");
                BodyFailed(exchange, error);
                RefuseRequest(exchange, error);
                break;
            default:
                HttpServerLog.ResponseTooSlow(_logger, _connection.RemoteEndPoint, _options.MinResponseDataRate);
                Abort();
                break;
        }
    }

    private enum WorkKind
    {
        Action,
        Received,
        InputEnded,
        Pump,
        Response,
        HandlerFailed,
        HandlerCompleted,
        ResponseCompleted,
        ConnectionClosed,
        Timeout,
    }

    /// <summary>One queued event: its kind and what it is about (the action itself for <see cref="WorkKind.Action"/>).</summary>
    private readonly record struct Work(WorkKind Kind, object? Subject = null, object? Argument = null, ReadOnlyMemory<byte> Chunk = default);

    private enum BodyStep
    {
        Progress,
        Delivered,
        Stalled,
    }
}

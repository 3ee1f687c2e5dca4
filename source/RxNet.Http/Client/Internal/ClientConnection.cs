using System.Buffers;
using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;

namespace RxNet.Http.Client.Internal;

/// <summary>
/// One HTTP/1.1 client connection: sends one request at a time (no pipelining), parses its response head, and reads
/// its body as the caller asks for it (the input is paused while nobody reads, so the server is held back by TCP's
/// window). Reused only after a clean end; closed wherever framing can no longer be trusted.
/// </summary>
/// <remarks>
/// Every event (a chunk received, the input's end, a body subscriber's demand or leaving, a timer, the request
/// body's end) is posted to one <see cref="SerialWork{T}"/>, so the state needs no lock and user callbacks never run
/// re-entrantly. Request body chunks go straight to the output from the producer's thread.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The demand subject holds no resource; it ends with the input subscription.")]
internal sealed class ClientConnection : IObserver<ReadOnlyMemory<byte>>
{
    private readonly IConnection _connection;
    private readonly HttpAgentOptions _options;
    private readonly IConnectionOwner _owner;
    private readonly ILogger _logger;
    private readonly ResponseHeadParser _parser;
    private readonly HttpMessageLimits _limits;
    private readonly SerialWork<Work> _work;
    private readonly ClientConnectionClock _clock;
    private readonly BehaviorSubject<bool> _demand = new(true);
    private ReceiveBuffer _received;
    private IDisposable? _input;
    private ClientExchange? _exchange;
    private bool _inputEnded;
    private Exception? _inputError;
    private bool _finished;
    private bool _wantInput = true;
    private int _exchanges;

    public ClientConnection(IConnection connection, HttpAgentOptions options, IScheduler scheduler, IConnectionOwner owner, ILogger logger)
    {
        _connection = connection;
        _options = options;
        _owner = owner;
        _logger = logger;
        _limits = new HttpMessageLimits(options.MaxStatusLineSize, options.MaxResponseHeadersTotalSize, options.MaxResponseHeaderCount);
        _parser = new ResponseHeadParser(_limits);
        _work = new SerialWork<Work>(Run, e =>
        {
            HttpClientLog.Failed(_logger, _connection.RemoteEndPoint, e);
            Abort(e);
        }, Idle);
        _clock = new ClientConnectionClock(scheduler, timeout => _work.Post(new Work(WorkKind.Timeout, Value: (int)timeout)));
    }

    private enum WorkKind
    {
        Start,
        Send,
        Cancel,
        Close,
        Release,
        Received,
        InputEnded,
        Pump,
        Timeout,
        BodySubscribed,
        BodyDemand,
        BodyDisposed,
        BodyDiscarded,
        RequestBodyCompleted,
        RequestBodyFailed,
    }

    /// <summary>The raw connection (for the pool's bookkeeping and specs).</summary>
    public IConnection Connection => _connection;

    /// <summary>The pool's bookkeeping, touched only under the pool's lock.</summary>
    public PoolSlot Slot { get; } = new();

    /// <summary>Starts reading: an idle connection reads too, so a server's close (or stray bytes) is seen at once.</summary>
    public void Start() => _work.Post(new Work(WorkKind.Start));

    /// <summary>Sends <paramref name="exchange"/>'s request and reads its response.</summary>
    public void Send(ClientExchange exchange) => _work.Post(new Work(WorkKind.Send, exchange));

    /// <summary>The caller disposed its subscription: before the head this abandons the exchange and the connection.</summary>
    public void Cancel(ClientExchange exchange) => _work.Post(new Work(WorkKind.Cancel, exchange));

    /// <summary>Closes the connection (an idle one the pool lets go).</summary>
    public void Close() => _work.Post(new Work(WorkKind.Close));

    /// <summary>Gives back a connection the pool handed to a request that had already left (before it sent
    /// anything): it serves the next request in line, or goes idle with its idle timeout running.</summary>
    public void Release() => _work.Post(new Work(WorkKind.Release));

    // The connection's input.
    void IObserver<ReadOnlyMemory<byte>>.OnNext(ReadOnlyMemory<byte> value) => _work.Post(new Work(WorkKind.Received, Chunk: value));

    void IObserver<ReadOnlyMemory<byte>>.OnError(Exception error) => _work.Post(new Work(WorkKind.InputEnded, Argument: error));

    void IObserver<ReadOnlyMemory<byte>>.OnCompleted() => _work.Post(new Work(WorkKind.InputEnded));

    // Called by the response body (any thread).
    public void BodySubscribed(ClientExchange exchange, IObserver<ReadOnlyMemory<byte>> observer) => _work.Post(new Work(WorkKind.BodySubscribed, exchange, observer));

    public void BodyDemand(ClientExchange exchange, bool demand) => _work.Post(new Work(WorkKind.BodyDemand, exchange, Value: demand ? 1 : 0));

    public void BodyDisposed(ClientExchange exchange) => _work.Post(new Work(WorkKind.BodyDisposed, exchange));

    public void BodyDiscarded(ClientExchange exchange) => _work.Post(new Work(WorkKind.BodyDiscarded, exchange));

    // Called by the request body's writer (the producer's thread).
    public void RequestBodyCompleted(ClientExchange exchange) => _work.Post(new Work(WorkKind.RequestBodyCompleted, exchange));

    public void RequestBodyFailed(ClientExchange exchange, Exception error) => _work.Post(new Work(WorkKind.RequestBodyFailed, exchange, error));

    // Events are queued as values, not closures (as the server's connection does): a request allocates nothing here.
    private void Run(Work work)
    {
        var exchange = work.Exchange!;
        switch (work.Kind)
        {
            case WorkKind.Start:
                _input = _connection.Input.Subscribe(this, _demand);
                break;
            case WorkKind.Send:
                OnSend(exchange);
                break;
            case WorkKind.Cancel:
                OnCancel(exchange);
                break;
            case WorkKind.Close:
                CloseConnection();
                break;
            case WorkKind.Release:
                OnRelease();
                break;
            case WorkKind.Received:
                Received(work.Chunk);
                break;
            case WorkKind.InputEnded:
                InputEnded((Exception?)work.Argument);
                break;
            case WorkKind.Pump:
                Pump();
                break;
            case WorkKind.Timeout:
                OnTimeout((ClientTimeout)work.Value);
                break;
            case WorkKind.BodySubscribed:
                OnBodySubscribed(exchange, (IObserver<ReadOnlyMemory<byte>>)work.Argument!);
                break;
            case WorkKind.BodyDemand:
                OnBodyDemand(exchange, work.Value != 0);
                break;
            case WorkKind.BodyDisposed:
                OnBodyDisposed(exchange);
                break;
            case WorkKind.BodyDiscarded:
                OnBodyDiscarded(exchange);
                break;
            case WorkKind.RequestBodyCompleted:
                OnRequestBodyCompleted(exchange);
                break;
            default:
                OnRequestBodyFailed(exchange, (Exception)work.Argument!);
                break;
        }
    }

    /// <summary>The posted work is done: what is left of a received chunk waits in the connection's own buffer, not in
    /// the input's chunk (a body subscriber that came in the same turn took its bytes without a copy).</summary>
    private void Idle() => _received.Settle();

    private void OnRelease()
    {
        if (_finished || _exchange is not null)
            return; // gone already (the pool heard Lost), or serving: nothing to give back
        _clock.Start(ClientTimeout.PoolIdle, _options.PooledConnectionIdleTimeout); // as after an exchange: stopped by the next send
        _owner.Released(this);
    }

    private void OnCancel(ClientExchange exchange)
    {
        if (exchange != _exchange || exchange.HeadDone)
            return;
        exchange.Cancelled = true;
        Abort(new OperationCanceledException($"The request {exchange.Request} was cancelled."));
    }

    private void OnBodySubscribed(ClientExchange exchange, IObserver<ReadOnlyMemory<byte>> observer)
    {
        exchange.BodySubscribed = true;
        if (exchange.BodyComplete)
        {
            if (exchange.BodyError is { } error)
                observer.OnError(error);
            else
                observer.OnCompleted();
            return;
        }
        exchange.BodyObserver = observer;
        Pump();
    }

    private void OnBodyDemand(ClientExchange exchange, bool demand)
    {
        exchange.BodyDemand = demand;
        if (exchange != _exchange)
            return;
        if (!demand)
            StopIdleTimer(exchange);
        Pump();
    }

    private void OnBodyDisposed(ClientExchange exchange)
    {
        exchange.BodyObserver = null;
        if (exchange != _exchange || exchange.BodyComplete)
            return;
        exchange.Cancelled = true; // the caller left mid-body: the rest is not worth reading
        Abort(new OperationCanceledException($"The body of the response to {exchange.Request} was abandoned."));
    }

    private void OnBodyDiscarded(ClientExchange exchange)
    {
        exchange.BodySubscribed = true;
        if (exchange != _exchange || exchange.BodyComplete)
            return;
        if (exchange.Head.Framing == BodyFraming.UntilClose ||
            (exchange.Head.Framing == BodyFraming.ContentLength && exchange.BodyRemaining - _received.Length > _options.MaxResponseDrainSize))
        {
            HttpClientLog.NotDrained(_logger, _connection.RemoteEndPoint, exchange.Request, _options.MaxResponseDrainSize);
            CloseConnection();
            return;
        }
        exchange.Draining = true;
        _clock.Start(ClientTimeout.Drain, _options.ResponseDrainTimeout);
        Pump();
    }

    private void OnRequestBodyCompleted(ClientExchange exchange)
    {
        exchange.RequestBodyDone = true;
        exchange.RequestBodySubscription = null;
        if (exchange == _exchange)
            Pump();
    }

    private void OnRequestBodyFailed(ClientExchange exchange, Exception error)
    {
        if (exchange != _exchange)
            return;
        HttpClientLog.RequestBodyFailed(_logger, _connection.RemoteEndPoint, exchange.Request, error.Message);
        Abort(error); // the server can no longer tell where the body ends
    }

    private void OnSend(ClientExchange exchange)
    {
        if (_finished || _exchange is not null)
        {
            // The server closed it between the pool's choice and now: a stale connection.
            exchange.Owner.Failed(_inputError ?? EndedEarly(exchange, "before the request was sent"), stale: _exchanges > 0);
            return;
        }
        exchange.Reused = _exchanges++ > 0;
        _exchange = exchange;
        var request = exchange.Request;
        bool hasBody = request.HasBody && request.ContentLength != 0;
        bool chunked = hasBody && request.ContentLength is null;
        exchange.RequestBodyDone = !hasBody;
        _clock.Stop(ClientTimeout.PoolIdle);
        _clock.Start(ClientTimeout.ResponseHeaders, _options.ResponseHeadersTimeout);
        _clock.Start(ClientTimeout.Response, _options.ResponseTimeout);
        var head = ScratchWriter.Rent(); // the output copies it
        RequestWriter.WriteHead(head, request, exchange.Target, exchange.Host, chunked);
        _connection.Output.OnNext(head.WrittenMemory);
        ScratchWriter.Return(head);
        if (hasBody)
        {
            if (request.Headers["Expect"] is { } expect && expect.Contains("100-continue", StringComparison.OrdinalIgnoreCase))
            {
                exchange.ExpectingContinue = true;
                _clock.Start(ClientTimeout.ExpectContinue, _options.ExpectContinueTimeout);
            }
            else
            {
                StartRequestBody(exchange);
            }
        }
        Pump();
    }

    private void StartRequestBody(ClientExchange exchange)
    {
        exchange.ExpectingContinue = false;
        _clock.Stop(ClientTimeout.ExpectContinue);
        exchange.RequestBodyStarted = true;
        var writer = new RequestBodyWriter(this, exchange, _connection.Output, exchange.Request.ContentLength);
        var body = exchange.Request.Body;
        try
        {
            exchange.RequestBodySubscription = body is IPausableObservable<ReadOnlyMemory<byte>> pausable
                ? pausable.Subscribe(writer, writer.Writable)
                : body.WriteTo(writer);
        }
#pragma warning disable CA1031 // a body that cannot be subscribed fails its own exchange
        catch (Exception e)
#pragma warning restore CA1031
        {
            writer.OnError(e);
        }
    }

    private void Received(ReadOnlyMemory<byte> chunk)
    {
        if (_finished)
            return;
        if (_exchange is not { } exchange)
        {
            HttpClientLog.UnexpectedBytes(_logger, _connection.RemoteEndPoint, chunk.Length);
            CloseConnection(); // bytes nobody asked for: the stream is out of step
            return;
        }
        exchange.ResponseBytesSeen = true;
        _received.Append(chunk);
        Pump();
    }

    private void InputEnded(Exception? error)
    {
        if (_finished)
            return;
        _inputEnded = true;
        _inputError = error;
        if (_exchange is null)
        {
            CloseConnection(); // the server closed an idle connection
            return;
        }
        Pump();
    }

    private void Pump()
    {
        while (!_finished && _exchange is { } exchange)
        {
            if (!exchange.HeadDone)
            {
                if (!TryReadHead(exchange))
                    break;
                continue;
            }
            if (exchange.BodyComplete)
            {
                EndExchange(exchange);
                break;
            }
            bool reading = exchange.Draining || (exchange.BodyObserver is not null && exchange.BodyDemand);
            if (!reading)
                break;
            var step = ReadBody(exchange);
            if (step == BodyStep.Delivered)
            {
                // Let what the subscriber did in OnNext (pause, leave) run before the next chunk.
                _work.Post(new Work(WorkKind.Pump));
                break;
            }
            if (step == BodyStep.Stalled)
                break;
        }
        UpdateDemand();
    }

    private bool TryReadHead(ClientExchange exchange)
    {
        if (_received.Length == 0)
        {
            if (_inputEnded)
                Abort(_inputError ?? EndedEarly(exchange, "before the response head"));
            return false;
        }
        ResponseHead head;
        try
        {
            var sequence = _received.Sequence;
            if (!_parser.TryParse(sequence, exchange.Request.Method, out head, out var position))
            {
                if (_inputEnded)
                    Abort(_inputError ?? EndedEarly(exchange, "in the middle of the response head"));
                return false;
            }
            _received.Consume((int)sequence.Slice(sequence.Start, position).Length);
        }
        catch (HttpProtocolException e)
        {
            HttpClientLog.ProtocolError(_logger, _connection.RemoteEndPoint, e.Error, e.Message);
            Abort(e);
            return false;
        }
        if (head.StatusCode == 101 || (head.StatusCode is >= 200 and < 300 && exchange.Request.Method == "CONNECT"))
        {
            Upgrade(exchange, head);
            return false;
        }
        if (head.StatusCode < 200)
        {
            if (head.StatusCode == 100 && exchange.ExpectingContinue)
                StartRequestBody(exchange);
            return true; // an interim response: the final one follows
        }
        exchange.HeadDone = true;
        exchange.Head = head;
        _clock.Stop(ClientTimeout.ResponseHeaders);
        if (exchange.ExpectingContinue)
        {
            // A final status instead of 100: the body is not sent, and the server may still expect it.
            exchange.ExpectingContinue = false;
            exchange.RequestBodyWithheld = true;
            _clock.Stop(ClientTimeout.ExpectContinue);
        }
        var response = new HttpResponse(head.StatusCode, head.Headers)
        {
            ReasonPhrase = head.ReasonPhrase,
            Version = head.Version,
            Request = exchange.Request,
            ContentLength = head.Framing switch
            {
                BodyFraming.None => 0,
                BodyFraming.ContentLength => head.ContentLength,
                _ => null,
            },
        };
        response.Body = new ResponseBody(this, exchange);
        exchange.Response = response;
        switch (head.Framing)
        {
            case BodyFraming.ContentLength:
                exchange.BodyRemaining = head.ContentLength;
                exchange.BodyComplete = head.ContentLength == 0;
                break;
            case BodyFraming.Chunked:
                exchange.Decoder = new ChunkedBodyDecoder(_limits, response.Trailers);
                break;
            case BodyFraming.UntilClose:
                break;
            default:
                exchange.BodyComplete = true;
                break;
        }
        if (exchange.BodyComplete)
            EndExchange(exchange); // before the caller hears of it, so a request it sends at once finds the connection pooled
        exchange.Owner.Responded(response);
        return true;
    }

    private BodyStep ReadBody(ClientExchange exchange)
    {
        if (_received.Length == 0)
        {
            if (_inputEnded)
            {
                if (exchange.Head.Framing == BodyFraming.UntilClose && _inputError is null)
                    return Deliver(exchange, ReadOnlyMemory<byte>.Empty, complete: true);
                Abort(_inputError ?? EndedEarly(exchange, $"after {exchange.BodyRead} bytes of the response body"));
                return BodyStep.Stalled;
            }
            if (!exchange.Draining && !exchange.IdleTiming)
            {
                exchange.IdleTiming = true;
                _clock.Start(ClientTimeout.BodyIdle, _options.BodyIdleTimeout);
            }
            return BodyStep.Stalled;
        }
        StopIdleTimer(exchange);
        ReadOnlyMemory<byte> data;
        bool complete;
        try
        {
            long remaining = exchange.Head.Framing == BodyFraming.ContentLength ? exchange.BodyRemaining : long.MaxValue;
            if (!BodyReader.TryRead(ref _received, exchange.Decoder, remaining, out data, out complete))
            {
                if (_inputEnded)
                    Abort(_inputError ?? EndedEarly(exchange, "in the middle of a chunk"));
                return BodyStep.Stalled;
            }
        }
        catch (HttpProtocolException e)
        {
            var error = new HttpProtocolException(e.Error, 502, e.Message);
            HttpClientLog.ProtocolError(_logger, _connection.RemoteEndPoint, error.Error, error.Message);
            Abort(error);
            return BodyStep.Stalled;
        }
        if (exchange.Decoder is null)
            exchange.BodyRemaining -= data.Length;
        return Deliver(exchange, data, complete);
    }

    private BodyStep Deliver(ClientExchange exchange, ReadOnlyMemory<byte> data, bool complete)
    {
        exchange.BodyRead += data.Length;
        if (exchange.Draining)
        {
            exchange.Drained += data.Length;
            exchange.BodyComplete = complete;
            if (exchange.Drained > _options.MaxResponseDrainSize)
            {
                HttpClientLog.NotDrained(_logger, _connection.RemoteEndPoint, exchange.Request, _options.MaxResponseDrainSize);
                CloseConnection();
                return BodyStep.Stalled;
            }
            return BodyStep.Progress;
        }
        if (_options.MaxResponseBodySize is long limit && exchange.BodyRead > limit)
        {
            var error = new HttpProtocolException(HttpProtocolError.BodyTooLarge, 502,
                $"The response body to {exchange.Request} is larger than MaxResponseBodySize ({limit} bytes).");
            HttpClientLog.ProtocolError(_logger, _connection.RemoteEndPoint, error.Error, error.Message);
            Abort(error);
            return BodyStep.Stalled;
        }
        exchange.BodyComplete = complete;
        var observer = exchange.BodyObserver!;
        if (data.Length > 0)
            observer.OnNext(data);
        if (complete)
        {
            exchange.BodyObserver = null;
            EndExchange(exchange); // first, so a request sent from OnCompleted finds the connection back in the pool
            observer.OnCompleted();
            return BodyStep.Stalled;
        }
        return data.Length > 0 ? BodyStep.Delivered : BodyStep.Progress;
    }

    private void EndExchange(ClientExchange exchange)
    {
        StopTimers(exchange);
        _exchange = null;
        bool reusable = exchange.Head.KeepAlive && exchange.RequestBodyDone && !exchange.RequestBodyWithheld && _received.Length == 0 && !_inputEnded;
        if (!reusable)
        {
            CloseConnection();
            return;
        }
        _received.Release(); // an idle connection holds no buffer
        _clock.Start(ClientTimeout.PoolIdle, _options.PooledConnectionIdleTimeout); // stopped by the next send
        _owner.Released(this);
    }

    private void Upgrade(ClientExchange exchange, ResponseHead head)
    {
        exchange.HeadDone = true;
        exchange.BodyComplete = true;
        StopTimers(exchange);
        _clock.Dispose();
        exchange.RequestBodySubscription?.Dispose();
        _finished = true;
        _exchange = null;
        _input?.Dispose();
        if (_received.Length > 0)
            _connection.Input.Unread(_received.Memory.ToArray());
        _received.Release();
        _owner.Detached(this);
        var response = new HttpResponse(head.StatusCode, head.Headers)
        {
            ReasonPhrase = head.ReasonPhrase,
            Version = head.Version,
            Request = exchange.Request,
            ContentLength = 0,
            UpgradedConnection = _connection,
        };
        response.Body = Observable.Empty<ReadOnlyMemory<byte>>();
        exchange.Response = response;
        exchange.Owner.Responded(response);
    }

    /// <summary>A deadline passed; it may have been cleared while its expiry was on its way, so what it was for is
    /// checked again here.</summary>
    private void OnTimeout(ClientTimeout timeout)
    {
        if (_finished)
            return;
        if (_exchange is not { } exchange)
        {
            if (timeout == ClientTimeout.PoolIdle && _owner.IdleExpired(this))
                CloseConnection();
            return;
        }
        switch (timeout)
        {
            case ClientTimeout.ResponseHeaders when !exchange.HeadDone:
                TimedOut(HttpProtocolError.ResponseHeadersTimeout,
                    $"The response head to {exchange.Request} did not arrive within {_options.ResponseHeadersTimeout} (ResponseHeadersTimeout).");
                break;
            case ClientTimeout.Response:
                TimedOut(HttpProtocolError.ResponseTimeout, $"The response to {exchange.Request} did not end within {_options.ResponseTimeout} (ResponseTimeout).");
                break;
            case ClientTimeout.ExpectContinue when exchange.ExpectingContinue:
                StartRequestBody(exchange);
                break;
            case ClientTimeout.BodyIdle when exchange.IdleTiming:
                TimedOut(HttpProtocolError.BodyIdleTimeout,
                    $"No byte of the response body to {exchange.Request} arrived for {_options.BodyIdleTimeout} (BodyIdleTimeout).");
                break;
            case ClientTimeout.Drain when exchange.Draining:
                HttpClientLog.DrainTimedOut(_logger, _connection.RemoteEndPoint, exchange.Request, _options.ResponseDrainTimeout);
                CloseConnection();
                break;
        }
    }

    private void TimedOut(HttpProtocolError error, string message)
    {
        var timeout = new HttpProtocolException(error, 504, message);
        HttpClientLog.ProtocolError(_logger, _connection.RemoteEndPoint, error, message);
        Abort(timeout);
    }

    private void StopIdleTimer(ClientExchange exchange)
    {
        if (!exchange.IdleTiming)
            return;
        exchange.IdleTiming = false;
        _clock.Stop(ClientTimeout.BodyIdle);
    }

    private void StopTimers(ClientExchange exchange)
    {
        exchange.IdleTiming = false;
        _clock.StopExchange();
    }

    private static HttpProtocolException EndedEarly(ClientExchange exchange, string where) =>
        new(HttpProtocolError.ResponseEndedEarly, 502, $"The server closed the connection {where} of {exchange.Request}.");

    private void UpdateDemand()
    {
        bool want = !_finished && !_inputEnded && WantsInput(_exchange);
        if (want == _wantInput)
            return;
        _wantInput = want;
        _demand.OnNext(want);
    }

    private static bool WantsInput(ClientExchange? exchange) =>
        exchange is null || !exchange.HeadDone || exchange.BodyComplete || exchange.Draining ||
        (exchange.BodyObserver is not null && exchange.BodyDemand);

    /// <summary>Closes cleanly (FIN); an exchange still in flight (a body being drained) ends as cut short.</summary>
    private void CloseConnection()
    {
        if (_finished)
            return;
        Finish(null);
        _connection.Close();
    }

    /// <summary>Aborts (RST): framing is lost, or the caller gave up.</summary>
    private void Abort(Exception error)
    {
        if (_finished)
            return;
        Finish(error);
        _connection.Dispose();
    }

    private void Finish(Exception? error)
    {
        _finished = true;
        var exchange = _exchange;
        _exchange = null;
        _input?.Dispose();
        _received.Release();
        _clock.Dispose();
        if (exchange is not null)
        {
            StopTimers(exchange);
            exchange.RequestBodySubscription?.Dispose();
            error ??= EndedEarly(exchange, "during the exchange");
            if (!exchange.HeadDone)
            {
                exchange.HeadDone = true;
                exchange.BodyComplete = true;
                exchange.BodyError = error;
                if (!exchange.Cancelled)
                    exchange.Owner.Failed(error, stale: exchange.Reused && !exchange.ResponseBytesSeen && error is not HttpProtocolException { StatusCode: 504 });
            }
            else if (!exchange.BodyComplete)
            {
                exchange.BodyComplete = true;
                exchange.BodyError = error;
                var observer = exchange.BodyObserver;
                exchange.BodyObserver = null;
                observer?.OnError(error);
            }
        }
        _owner.Lost(this);
    }

    /// <summary>One queued event: its kind, the exchange it is about, and its argument.</summary>
    private readonly record struct Work(WorkKind Kind, ClientExchange? Exchange = null, object? Argument = null, int Value = 0, ReadOnlyMemory<byte> Chunk = default);

    private enum BodyStep
    {
        Progress,
        Delivered,
        Stalled,
    }
}

using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace RxNet.Http;

/// <summary>
/// An HTTP/1.1 server over any RxNet connection: it reads requests, calls a handler for each, and writes its
/// responses, one connection's requests strictly in order.
/// </summary>
/// <remarks>
/// <para><b>Handler.</b> A function from a request to an observable of its response (a deferred result): the
/// server subscribes once per request and takes the first response; an observable that fails, or that completes
/// without a response, gets <c>500</c> when no response head has been sent yet, and the connection lives on
/// where framing allows. Once a response head is out, a failure aborts the connection (there is never a second
/// status). The subscription is disposed when the exchange ends or the client disconnects.</para>
/// <para><b>Bodies.</b> <see cref="HttpRequest.Body"/> is cold and unicast; nothing of it is read until the handler
/// subscribes, so a handler that does not read pauses the client through TCP's window. A response's
/// <see cref="HttpResponse.Body"/> is written as <c>WriteTo</c> writes: a source that can pause (such as a request
/// body, for an echo) pauses while the client does not read; a plain observable is held up to 1 MiB, then the
/// connection is aborted. The response head is sent with the body's first chunk (or its end), so a handler that
/// streams the request body back gets <c>100 Continue</c> before its final status.</para>
/// <para><b>Pipelining.</b> Requests that arrive back to back wait as bytes, at most
/// <see cref="HttpServerOptions.MaxRequestBufferSize"/>; the next head is parsed only when the previous exchange is
/// over, so handlers never run concurrently on one connection and responses never leave out of order.</para>
/// <para><b>Errors.</b> A request that breaks HTTP gets the status of its <see cref="HttpProtocolException"/>, the
/// reason is logged on <see cref="HttpServerOptions.Logger"/> with the peer, and the connection is closed. Other
/// connections are not affected.</para>
/// <para><b>Drain.</b> <see cref="Drain"/> closes idle keep-alive connections, marks every response still to
/// come with <c>Connection: close</c> and tells upgraded connections through <see cref="HttpRequest.Draining"/>. A
/// service made by <see cref="Service"/> calls it itself when it stops, so one <see cref="ServerService.Stop(TimeSpan)"/>
/// drains gracefully.</para>
/// <para><b>Threading.</b> Thread-safe. Each connection's work is serialized; a handler is called on the thread that
/// delivered the request's last head byte (or finished the previous exchange).</para>
/// </remarks>
public sealed class HttpServer
{
    private readonly Lock _gate = new();
    private readonly HashSet<HttpServerConnection> _connections = new(ReferenceEqualityComparer.Instance);
    private readonly DrainSignal _drainSignal = new();
    private bool _draining;

#pragma warning disable RS0026 // the two handler shapes differ by delegate type, and options is optional in both
    /// <summary>Creates a server whose handler answers with an observable of the response.</summary>
    /// <param name="handler">Called once per request, in order per connection; returns a cold observable whose first
    /// value is the response.</param>
    /// <param name="scheduler">The clock of <c>Date</c> and of every timeout (a reactor's scheduler, or a
    /// <c>TestScheduler</c>).</param>
    /// <param name="options">Limits, timeouts and the logger; <see cref="HttpServerOptions.Default"/> when omitted.</param>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> or <paramref name="scheduler"/> is null.</exception>
    public HttpServer(Func<HttpRequest, IObservable<HttpResponse>> handler, IScheduler scheduler, HttpServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(scheduler);
        Handler = handler;
        Scheduler = scheduler;
        Options = options ?? HttpServerOptions.Default;
        Date = new HttpDate(scheduler);
    }

    /// <summary>Creates a server whose handler answers with a task.</summary>
    /// <param name="handler">Called once per request, in order per connection. The token is cancelled when the client
    /// disconnects before the exchange is over. The task's outcome is taken on <paramref name="scheduler"/>.</param>
    /// <param name="scheduler">The clock of <c>Date</c> and of every timeout.</param>
    /// <param name="options">Limits, timeouts and the logger; <see cref="HttpServerOptions.Default"/> when omitted.</param>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> or <paramref name="scheduler"/> is null.</exception>
    public HttpServer(Func<HttpRequest, CancellationToken, Task<HttpResponse>> handler, IScheduler scheduler, HttpServerOptions? options = null)
        : this(FromTask(handler, scheduler), scheduler, options)
    {
    }

#pragma warning restore RS0026

    /// <summary>The limits, timeouts and logger the server runs with.</summary>
    public HttpServerOptions Options { get; }

    /// <summary>Whether <see cref="Drain"/> was called.</summary>
    public bool IsDraining
    {
        get
        {
            lock (_gate)
                return _draining;
        }
    }

    internal Func<HttpRequest, IObservable<HttpResponse>> Handler { get; }

    internal IScheduler Scheduler { get; }

    internal HttpDate Date { get; }

    /// <summary>Fires once when <see cref="Drain"/> is first called; every request the server reads carries it as
    /// <see cref="HttpRequest.Draining"/>.</summary>
    internal IObservable<System.Reactive.Unit> DrainSignal => _drainSignal;

    /// <summary>Serves one connection until it closes; usable as <see cref="ServerService"/>'s <c>serve</c>
    /// (<c>new ServerService(endpoint, server.Serve, scheduler)</c>).</summary>
    /// <param name="connection">The accepted connection; the server owns it from now on and closes it when done.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <remarks>A connection served after <see cref="Drain"/> answers its first request with <c>Connection: close</c>.</remarks>
    public void Serve(IConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var served = new HttpServerConnection(this, connection);
        lock (_gate)
            _connections.Add(served);
        served.Start();
    }

    /// <summary>A service that listens on <paramref name="endpoint"/>, serves every connection with this server, and
    /// drains it when it stops: <c>service.Stop(deadline)</c> stops accepting, calls <see cref="Drain"/> (idle
    /// keep-alive connections close at once, the exchanges in flight finish with <c>Connection: close</c>, upgraded
    /// connections hear <see cref="HttpRequest.Draining"/>), and aborts what is still open at the deadline.</summary>
    /// <param name="endpoint">Where to listen, such as <c>reactor.ServerEndpoint("tcp:8080")</c>.</param>
    /// <param name="logger">Where the service logs listening, failures and the drain's report; none if
    /// <see langword="null"/>.</param>
    /// <returns>The service, not started: call <see cref="ServerService.Start"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is null.</exception>
    /// <remarks>The deadline runs on this server's scheduler. <see cref="ServerService.Abort"/> drains too, then aborts
    /// every open connection at once.</remarks>
    public ServerService Service(IServerEndpoint endpoint, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new ServerService(endpoint, Serve, Scheduler, logger, onStart: null, onStop: Drain);
    }

    /// <summary>Serves every connection <paramref name="listener"/> accepts.</summary>
    /// <param name="listener">Accepted connections, such as <c>reactor.ServerEndpoint("tcp:8080").Listen()</c>.</param>
    /// <returns>The subscription to the listener; disposing it stops accepting (the connections already open go on;
    /// <see cref="Drain"/> ends them gracefully).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="listener"/> is null.</exception>
    public IDisposable Listen(IObservable<IConnection> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        return listener.Subscribe(Serve);
    }

    /// <summary>Starts a graceful drain: idle keep-alive connections close now, exchanges in flight finish, and every
    /// response from now on carries <c>Connection: close</c>, so each connection closes after its current exchange;
    /// then <see cref="HttpRequest.Draining"/> fires, so upgraded connections end as their protocol says (a WebSocket
    /// accepted with <see cref="WebSocketHttpExtensions.AcceptWebSocket"/> sends close <c>1001</c>, going away).</summary>
    /// <remarks>Stops nothing from accepting: a service made by <see cref="Service"/> calls it as it stops accepting;
    /// with a <see cref="ServerService"/> made otherwise, call <c>server.Drain()</c> then <c>service.Stop(deadline)</c>.
    /// Idempotent.</remarks>
    public void Drain()
    {
        HttpServerConnection[] open;
        lock (_gate)
        {
            _draining = true;
            open = [.. _connections];
        }
        foreach (var connection in open)
            connection.Drain();
        _drainSignal.Fire(); // the upgraded connections, which the server no longer tracks (ADR 0051)
    }

    /// <summary>The requests of every connection <paramref name="listener"/> accepts, as exchanges to answer with LINQ
    /// (<c>HttpServer.Requests(listener, scheduler).Where(e =&gt; e.Request.Path == "/hello").Subscribe(e =&gt;
    /// e.Respond(HttpResponse.Text("hi")))</c>).</summary>
    /// <param name="listener">Accepted connections.</param>
    /// <param name="scheduler">The clock of <c>Date</c> and of every timeout.</param>
    /// <param name="options">Limits, timeouts and the logger, plus the fallback status; the defaults when omitted.</param>
    /// <returns>A cold observable: each subscription listens once and gets every exchange, in order per connection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="listener"/> or <paramref name="scheduler"/> is null.</exception>
    /// <remarks>
    /// <para>An exchange is answered by calling <see cref="HttpExchange.Respond(HttpResponse)"/> (or the overload taking an
    /// observable, for a response that takes time) from the subscriber's <c>OnNext</c>, exactly once: a second answer
    /// throws <see cref="InvalidOperationException"/> and the first stands. An exchange nobody answered by the time
    /// <c>OnNext</c> returns (with <c>Publish</c>, once every query has seen it) gets <c>404 Not Found</c>, so a request
    /// never hangs. To let several queries share one listener, <c>Publish()</c> the stream.</para>
    /// <para>The exchanges of one connection are emitted one at a time, after the previous one was answered.</para>
    /// </remarks>
    public static IObservable<HttpExchange> Requests(IObservable<IConnection> listener, IScheduler scheduler, HttpServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(scheduler);
        return Observable.Create<HttpExchange>(observer =>
        {
            var gate = new Lock();
            var server = new HttpServer(request => HttpExchange.Offer(request, observer, gate), scheduler, options);
            var listening = server.Listen(listener);
            return Disposable.Create(() =>
            {
                listening.Dispose();
                server.Drain();
            });
        });
    }

    internal void Forget(HttpServerConnection connection)
    {
        lock (_gate)
            _connections.Remove(connection);
    }

    // The task's outcome is delivered on the scheduler, so the connection's work stays on the reactor's thread (and on
    // a TestScheduler's clock).
    private static Func<HttpRequest, IObservable<HttpResponse>> FromTask(Func<HttpRequest, CancellationToken, Task<HttpResponse>> handler, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return request => Observable.FromAsync(token => handler(request, token), scheduler);
    }
}

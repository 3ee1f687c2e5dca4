using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RxNet.Http.Client.Internal;

namespace RxNet.Http;

/// <summary>
/// Sends HTTP/1.1 requests over a pool of connections per origin: Twisted's <c>Agent</c> with its
/// <c>HTTPConnectionPool</c>, as an observable.
/// </summary>
/// <remarks>
/// <para>Each subscription to <see cref="Send"/> takes a connection to the request's origin (an idle one, a new one
/// while fewer than <see cref="HttpAgentOptions.MaxConnectionsPerOrigin"/> are open, or a place in line), sends the
/// request, and emits the response once its head has arrived. One exchange at a time runs on a connection (no
/// pipelining). The response's <see cref="HttpResponse.Body"/> is a cold, unicast byte stream with the connection's
/// contract: subscribing reads it; while nobody reads it the connection's input is paused and the server is held back
/// by TCP's window. The connection goes back to the pool once the body has been read to its end (or, after
/// <see cref="HttpAgentExtensions.DiscardBody"/>, drained within <see cref="HttpAgentOptions.MaxResponseDrainSize"/>
/// and <see cref="HttpAgentOptions.ResponseDrainTimeout"/>), and only when the response's framing allows it.</para>
/// <para>Disposing a <see cref="Send"/> subscription before the response head, or a body subscription before the
/// body's end, aborts that connection. A request that finds its pooled connection closed by the server (the
/// connection ends, or fails, before any byte of the response) is sent once more on a new connection when its method
/// is idempotent and its body was not consumed, as Twisted's pool does.</para>
/// <para>An origin's pool lives while it has a connection (idle, in use or being made) or a request waiting, and
/// leaves the agent the moment it is empty (usually when its last idle connection times out): an agent that reaches
/// many origins holds pools only for those it is talking to. A request that meets its pool as it leaves is served by
/// the origin's next one, and <see cref="HttpAgentOptions.MaxConnectionsPerOrigin"/> still holds.</para>
/// <para>Errors: <see cref="HttpProtocolException"/> for a response that breaks HTTP (status code 502), a limit, or one
/// of the agent's timeouts (504); the transport's own exceptions (<see cref="ConnectionRefusedException"/>,
/// <see cref="ConnectionResetException"/>, <see cref="TimeoutException"/> for connecting) as they are;
/// <see cref="ObjectDisposedException"/> after <see cref="Dispose"/>.</para>
/// <para>Every timer runs on the agent's scheduler (the reactor's), so on a simulated network the timeouts fire at
/// exact ticks of the <c>TestScheduler</c>. Thread-safe.</para>
/// </remarks>
public sealed class HttpAgent : IHttpAgent, IDisposable
{
    private readonly Func<HttpOrigin, IClientEndpoint> _resolve;
    private readonly IScheduler _scheduler;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<HttpOrigin, OriginPool> _pools = [];
    private bool _disposed;
    private ParsedUrl? _lastUrl;

    /// <summary>Creates an agent that connects through <paramref name="reactor"/>'s endpoint schemes.</summary>
    /// <param name="reactor">The reactor: its scheduler runs the timers, and its schemes make the endpoints
    /// (<c>tcp:</c> for <c>http</c>, <c>tls:</c> for <c>https</c>; a simulated host's reactor reaches simulated hosts by name).</param>
    /// <param name="options">The options; <see cref="HttpAgentOptions.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reactor"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads differ in their required parameters (a reactor, or an endpoint and a scheduler), so no call is ambiguous.")]
    public HttpAgent(IReactor reactor, HttpAgentOptions? options = null)
        : this(reactor?.Scheduler!, options, reactor is null ? null : origin => DefaultEndpoint(reactor, origin))
    {
        ArgumentNullException.ThrowIfNull(reactor);
    }

    /// <summary>Creates an agent that makes every connection, whatever the URL's origin, with <paramref name="endpoint"/>
    /// (a <c>unix:</c> socket, a simulated host); the <c>Host</c> field still comes from the URL.</summary>
    /// <param name="endpoint">The endpoint to connect with.</param>
    /// <param name="scheduler">Runs the timers (a <c>TestScheduler</c> in virtual time).</param>
    /// <param name="options">The options; their <see cref="HttpAgentOptions.Resolve"/>, when set, wins over <paramref name="endpoint"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> or <paramref name="scheduler"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads differ in their required parameters (a reactor, or an endpoint and a scheduler), so no call is ambiguous.")]
    public HttpAgent(IClientEndpoint endpoint, IScheduler scheduler, HttpAgentOptions? options = null)
        : this(scheduler, options, endpoint is null ? null : _ => endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
    }

    private HttpAgent(IScheduler scheduler, HttpAgentOptions? options, Func<HttpOrigin, IClientEndpoint>? fallback)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        Options = options ?? HttpAgentOptions.Default;
        Options.Validate();
        _scheduler = scheduler;
        _resolve = Options.Resolve ?? fallback!;
        _logger = Options.Logger ?? NullLogger.Instance;
        Counters = new PoolCounters(Options.MeterFactory);
    }

    /// <summary>The options.</summary>
    public HttpAgentOptions Options { get; }

    /// <inheritdoc />
    public IScheduler Scheduler => _scheduler;

    /// <summary>Where the agent logs.</summary>
    internal ILogger Logger => _logger;

    /// <summary>The pool's figures across origins (connections open, idle, in use, being made; requests waiting).</summary>
    internal PoolCounters Counters { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The request's target is not an absolute <c>http</c> or <c>https</c> URI.</exception>
    public IObservable<HttpResponse> Send(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (origin, target, authority) = Address(request);
        return new SendObservable(this, request, origin, target, authority);
    }

    /// <summary>Starts one subscription of <see cref="Send"/>.</summary>
    /// <param name="send">The request, its origin, target and Host field.</param>
    /// <param name="observer">Hears the response.</param>
    /// <param name="found">A pool the request already looked up (specs use it to make a request meet a pool that
    /// retired after it was found, deterministically); <see langword="null"/> to look it up now.</param>
    internal IDisposable Start(SendObservable send, IObserver<HttpResponse> observer, OriginPool? found = null)
    {
        var operation = new SendOperation(send, observer);
        Acquire(operation, fresh: false, found);
        return operation;
    }

    /// <summary>Hands <paramref name="operation"/> to its origin's pool. A pool that retired between the lookup and the
    /// hand-over refuses it; it is then taken out here (its own retirement may not have got there yet) and the lookup
    /// runs again, making the origin's next pool.</summary>
    internal void Acquire(SendOperation operation, bool fresh, OriginPool? found = null)
    {
        var pool = found;
        while (true)
        {
            try
            {
                pool ??= PoolFor(operation.Origin);
            }
#pragma warning disable CA1031 // a resolver's fault, or a disposed agent, is this request's error
            catch (Exception e)
#pragma warning restore CA1031
            {
                operation.AcquireFailed(e);
                return;
            }
            if (pool.TryAcquire(operation, fresh))
                return;
            Retire(pool);
            pool = null;
        }
    }

    /// <summary>The pools the agent holds (for specs: an origin's pool leaves once it is empty).</summary>
    internal int PoolCount
    {
        get
        {
            lock (_gate)
                return _pools.Count;
        }
    }

    /// <summary>The origin's pool, made when it has none (for specs).</summary>
    internal OriginPool PoolFor(HttpOrigin origin)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_pools.TryGetValue(origin, out var pool))
            {
                var endpoint = _resolve(origin) ?? throw new InvalidOperationException($"The resolver gave no endpoint for {origin}.");
                pool = new OriginPool(origin, endpoint, Options, _scheduler, _logger, Counters, Retire);
                _pools.Add(origin, pool);
            }
            return pool;
        }
    }

    /// <summary>Takes a retired pool out, unless the origin already has its next one.</summary>
    private void Retire(OriginPool pool)
    {
        lock (_gate)
        {
            if (_pools.TryGetValue(pool.Origin, out var current) && current == pool)
                _pools.Remove(pool.Origin);
        }
    }

    /// <summary>Closes the idle connections and fails the requests waiting for one with
    /// <see cref="ObjectDisposedException"/>, as later <see cref="Send"/> subscriptions do; exchanges in flight finish,
    /// and their connections close then.</summary>
    public void Dispose()
    {
        OriginPool[] pools;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            pools = [.. _pools.Values];
            _pools.Clear();
        }
        foreach (var pool in pools)
            pool.Dispose();
    }

    /// <summary>The origin to connect to, the request target to send and the Host field: origin-form, authority-form
    /// for CONNECT, <c>*</c> for <c>OPTIONS http://host/*</c>.</summary>
    private (HttpOrigin Origin, string Target, string Authority) Address(HttpRequest request)
    {
        var last = Volatile.Read(ref _lastUrl);
        var url = ParsedUrl.Of(request.Target, last)
            ?? throw new ArgumentException($"The target '{request.Target}' of {request.Method} is not an absolute URI: a client needs the origin to connect to.", nameof(request));
        if (url != last)
            Volatile.Write(ref _lastUrl, url);
        var origin = url.Origin;
        if (request.Method == "CONNECT")
            return (origin, string.Create(CultureInfo.InvariantCulture, $"{(origin.Host.Contains(':', StringComparison.Ordinal) ? $"[{origin.Host}]" : origin.Host)}:{origin.Port}"), url.Authority);
        string target = url.PathAndQuery;
        return (origin, request.Method == "OPTIONS" && target == "/*" ? "*" : target, url.Authority);
    }

    private static IClientEndpoint DefaultEndpoint(IReactor reactor, HttpOrigin origin)
    {
        string port = origin.Port.ToString(CultureInfo.InvariantCulture);
        return reactor.ClientEndpoint(origin.IsSecure
            ? EndpointDescription.Format("tls", [], ("host", origin.Host), ("port", port), ("alpn", "http/1.1"))
            : EndpointDescription.Format("tcp", [], ("host", origin.Host), ("port", port)));
    }
}

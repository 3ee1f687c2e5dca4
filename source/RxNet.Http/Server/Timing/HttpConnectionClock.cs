using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Runtime.CompilerServices;

namespace RxNet.Http.Server.Timing;

/// <summary>
/// Every timeout of one HTTP/1.1 server connection, on a scheduler: the keep-alive and request-headers timeouts and
/// the minimum request-body and response data rates, with Kestrel's meaning. The connection engine tells the clock
/// what it is doing; the clock calls <c>expired</c> once when a limit is broken.
/// </summary>
/// <remarks>
/// <para><b>Three tracks, independent</b> (a pipelined connection can read the next head while a response is still
/// going out):</para>
/// <list type="bullet">
/// <item><b>Head.</b> <see cref="WaitingForRequest"/> starts it. For the first request of a connection the
/// <see cref="HttpServerOptions.RequestHeadersTimeout"/> runs from that call (a client that connects and sends nothing
/// has the headers timeout, not the keep-alive one). Between requests the <see cref="HttpServerOptions.KeepAliveTimeout"/>
/// runs until <see cref="RequestBytesArrived"/>, which switches to the headers timeout from that instant: as in
/// Kestrel, the headers timeout covers a head from its first byte to its end. <see cref="HeadComplete"/> stops it.
/// Expiry: <see cref="HttpTimeout.KeepAlive"/> or <see cref="HttpTimeout.RequestHeaders"/>, exactly the timeout after
/// the call that started it.</item>
/// <item><b>Request body.</b> <see cref="HttpServerOptions.MinRequestBodyDataRate"/>, timed only while the server is
/// waiting for body bytes (<see cref="BodyReadWaiting"/>), never while the handler has paused the body
/// (<see cref="BodyReadPaused"/>). Expiry: <see cref="HttpTimeout.RequestBodyTooSlow"/>.</item>
/// <item><b>Response.</b> <see cref="HttpServerOptions.MinResponseDataRate"/>, timed only while the server waits on
/// the client (<see cref="ResponseWaiting"/> with <see langword="true"/>: the output is above its high-water mark).
/// Expiry: <see cref="HttpTimeout.ResponseTooSlow"/>.</item>
/// </list>
/// <para><b>The rate rule</b> (both rates; see <see cref="DataRateMeter"/>): a transfer begins with the first call
/// about it after the previous one ended (or after construction) and ends with <see cref="BodyComplete"/> or
/// <see cref="ResponseComplete"/>. <c>W</c> is the time it has spent waiting, <c>B</c> the bytes counted for it
/// (every <see cref="BodyBytesRead"/> or <see cref="ResponseBytesWritten"/>, waiting or not). It expires, while
/// waiting, at the first tick at which <c>W ≥ grace</c> and <c>B &lt; rate × W</c>, that is when <c>W</c> reaches
/// <c>max(grace, floor(B × TicksPerSecond / rate) + 1)</c> ticks. A transfer that sends nothing while waited on
/// expires exactly at the grace period (5 s by default).</para>
/// <para><b>Calling sequence</b> (one connection):</para>
/// <list type="number">
/// <item>Accepted: <c>WaitingForRequest(firstRequest: true)</c>. Each input chunk: <see cref="RequestBytesArrived"/>
/// (cheap; only the first after a keep-alive wait matters).</item>
/// <item>A head parsed: <see cref="HeadComplete"/>, before the handler runs.</item>
/// <item>The handler subscribes to the body and it is not paused: <see cref="BodyReadWaiting"/>; it pauses:
/// <see cref="BodyReadPaused"/>; each chunk handed to it: <see cref="BodyBytesRead"/>; the body ends (or is abandoned,
/// or its drain ends): <see cref="BodyComplete"/>. A request without a body needs none of these.</item>
/// <item>Each chunk of the response written (head included): <see cref="ResponseBytesWritten"/>; on every change of the
/// output's <c>Writable</c> while the response is in progress: <c>ResponseWaiting(!writable)</c>; the last byte
/// written: <see cref="ResponseComplete"/>.</item>
/// <item>The exchange is over and the connection stays open: <c>WaitingForRequest(firstRequest: false)</c>, then
/// <see cref="RequestBytesArrived"/> at once if bytes of the next head are already buffered (parsed ahead). Do not call
/// it while an exchange is in progress: the keep-alive timeout would cut a long response (server-sent events).</item>
/// <item>Upgrade or CONNECT: <see cref="Stop"/>. Connection closed: <see cref="Dispose"/>.</item>
/// <item>Expired: <see cref="ErrorFor"/> gives the typed error to log; answer its 408 for <c>RequestHeaders</c> (and for
/// <c>RequestBodyTooSlow</c> when no response has started), then close; abort on <c>ResponseTooSlow</c>; close quietly
/// on <c>KeepAlive</c>.</item>
/// </list>
/// <para><b>Off.</b> A <see langword="null"/> rate, or a rate of 0 B/s, is never enforced; a timeout of
/// <see cref="Timeout.InfiniteTimeSpan"/> never fires.</para>
/// <para><b>Cost.</b> Counting bytes only adds to a counter under a lock: nothing is allocated or scheduled per chunk.
/// At most one item is on the scheduler at a time, armed for the earliest deadline; a state change that brings the
/// earliest deadline forward re-arms it (one scheduled item per such change), and an item that fires before any
/// deadline (bytes arrived, a pause came) re-arms itself for what is left.</para>
/// <para><b>Threading.</b> Every method may be called from any thread (calls are serialized by a lock).
/// <c>expired</c> is called at most once, on the scheduler, outside the lock, with the track whose deadline passed
/// (when two pass at the same tick: head, then body, then response). After it, and after <see cref="Stop"/> or
/// <see cref="Dispose"/>, every call is ignored. Once <see cref="Dispose"/> has returned no callback starts; one
/// already running on another thread is not interrupted.</para>
/// </remarks>
internal sealed class HttpConnectionClock : IDisposable
{
    private readonly IScheduler _scheduler;
    private readonly HttpServerOptions _options;
    private readonly IObserver<HttpTimeout> _expired;
    private readonly long _headersTimeoutTicks;
    private readonly long _keepAliveTicks;
    private DataRateMeter _body; // structs, changed in place under the lock
    private DataRateMeter _response;
    private HeadState _head;
    private long _headDeadline = long.MaxValue;
    private IDisposable _timer = Disposable.Empty;
    // The armed item reaches the clock through this box, emptied by Dispose: a scheduler may keep a cancelled item
    // until it falls due, and through the clock's callback it would keep the whole connection alive that long.
    // It is also the lock (nothing else locks it): one object less per connection.
    private readonly StrongBox<HttpConnectionClock?> _self;
    private long _armedAt = long.MaxValue;
    private long _generation;
    private bool _done;

    /// <summary>Creates the clock of one connection; nothing is timed until the first call.</summary>
    /// <param name="scheduler">The connection's scheduler (the reactor's, or a <c>TestScheduler</c>).</param>
    /// <param name="options">The timeouts and rates.</param>
    /// <param name="expired">Called at most once, on <paramref name="scheduler"/>, when a limit is broken.</param>
    public HttpConnectionClock(IScheduler scheduler, HttpServerOptions options, Action<HttpTimeout> expired)
        : this(scheduler, options, System.Reactive.Observer.Create(expired ?? throw new ArgumentNullException(nameof(expired))))
    {
    }

    /// <summary>Creates the clock of one connection that tells <paramref name="expired"/>'s <c>OnNext</c> (and nothing
    /// else) when a limit is broken: the connection itself, so no delegate is held per connection.</summary>
    /// <param name="scheduler">The connection's scheduler.</param>
    /// <param name="options">The timeouts and rates.</param>
    /// <param name="expired">Told at most once, on <paramref name="scheduler"/>.</param>
    public HttpConnectionClock(IScheduler scheduler, HttpServerOptions options, IObserver<HttpTimeout> expired)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(expired);
        _scheduler = scheduler;
        _options = options;
        _expired = expired;
        _self = new StrongBox<HttpConnectionClock?>(this);
        _headersTimeoutTicks = TicksOf(options.RequestHeadersTimeout);
        _keepAliveTicks = TicksOf(options.KeepAliveTimeout);
        _body = new DataRateMeter(options.MinRequestBodyDataRate);
        _response = new DataRateMeter(options.MinResponseDataRate);
    }

    private enum HeadState
    {
        None,
        KeepAlive,
        Headers,
    }

    private long Now => _scheduler.Now.UtcTicks;

    /// <summary>The server waits for the next request head: call it when the connection starts
    /// (<paramref name="firstRequest"/> <see langword="true"/>: the headers timeout starts now) and when it is ready
    /// for the next request after an exchange (<see langword="false"/>: the keep-alive timeout starts now). Restarts
    /// the head track if it was running.</summary>
    public void WaitingForRequest(bool firstRequest)
    {
        lock (_self)
        {
            if (_done)
                return;
            _head = firstRequest ? HeadState.Headers : HeadState.KeepAlive;
            _headDeadline = Add(Now, firstRequest ? _headersTimeoutTicks : _keepAliveTicks);
            Arm();
        }
    }

    /// <summary>Bytes arrived from the client (call it for every chunk, or at least for the first of each head): while
    /// the keep-alive timeout runs, the headers timeout replaces it from now; otherwise nothing changes.</summary>
    public void RequestBytesArrived()
    {
        lock (_self)
        {
            if (_done || _head != HeadState.KeepAlive)
                return;
            _head = HeadState.Headers;
            _headDeadline = Add(Now, _headersTimeoutTicks);
            Arm();
        }
    }

    /// <summary>A whole request head has been parsed: the head track stops until the next
    /// <see cref="WaitingForRequest"/>.</summary>
    public void HeadComplete()
    {
        lock (_self)
        {
            _head = HeadState.None;
            _headDeadline = long.MaxValue;
        }
    }

    /// <summary>The server wants request-body bytes (the handler reads the body) and has none: the body's rate clock
    /// runs. Begins the body's transfer if none is in progress.</summary>
    public void BodyReadWaiting() => SetWaiting(ref _body, true);

    /// <summary>The handler paused the body (or has not subscribed yet): the body's rate clock stops. Begins the body's
    /// transfer if none is in progress.</summary>
    public void BodyReadPaused() => SetWaiting(ref _body, false);

    /// <summary>Body bytes were read from the client (framing excluded, or included: say which in the caller; both
    /// only ever help the client). Only adds to a counter. Begins the body's transfer if none is in progress.</summary>
    /// <param name="bytes">How many.</param>
    public void BodyBytesRead(long bytes) => Count(ref _body, bytes);

    /// <summary>The request body has ended (or will not be read any more): its rate is no longer timed.</summary>
    public void BodyComplete() => End(ref _body);

    /// <summary>Whether the server waits on the client to take response bytes (<see langword="true"/> while the
    /// output is above its high-water mark and the response's producer is paused). Begins the response's transfer
    /// if none is in progress.</summary>
    /// <param name="waiting">The new state.</param>
    public void ResponseWaiting(bool waiting) => SetWaiting(ref _response, waiting);

    /// <summary>Response bytes (head, body and framing) were handed to the output. Only adds to a counter. Begins the
    /// response's transfer if none is in progress.</summary>
    /// <param name="bytes">How many.</param>
    public void ResponseBytesWritten(long bytes) => Count(ref _response, bytes);

    /// <summary>The response has been written whole: its rate is no longer timed.</summary>
    public void ResponseComplete() => End(ref _response);

    /// <summary>Stops every timeout for good (the connection was upgraded, or handed over): no callback comes after
    /// it, and later calls are ignored.</summary>
    public void Stop() => Dispose();

    /// <summary>Cancels every timer: no callback starts after this returns. Idempotent.</summary>
    public void Dispose()
    {
        IDisposable timer;
        lock (_self)
        {
            _done = true;
            _self.Value = null;
            timer = _timer;
            _timer = Disposable.Empty;
            _armedAt = long.MaxValue;
        }
        timer.Dispose();
    }

    /// <summary>The typed error of an expired timeout, to log and (for the head and the body, when no response has
    /// started) answer with its status; <see langword="null"/> for <see cref="HttpTimeout.KeepAlive"/>, which is no
    /// error: the server closes an idle connection quietly.</summary>
    /// <param name="timeout">What expired.</param>
    /// <returns>The error, its message naming the option and its value.</returns>
    public HttpProtocolException? ErrorFor(HttpTimeout timeout) => timeout switch
    {
        HttpTimeout.RequestHeaders => new HttpProtocolException(HttpProtocolError.HeadersTimeout, 408, string.Create(CultureInfo.InvariantCulture,
            $"The request head did not arrive whole within {_options.RequestHeadersTimeout.TotalSeconds} s ({nameof(HttpServerOptions.RequestHeadersTimeout)}).")),
        HttpTimeout.RequestBodyTooSlow => new HttpProtocolException(HttpProtocolError.RequestBodyTooSlow, 408,
            RateMessage("sent the request body", _options.MinRequestBodyDataRate, nameof(HttpServerOptions.MinRequestBodyDataRate), "waited for it")),
        HttpTimeout.ResponseTooSlow => new HttpProtocolException(HttpProtocolError.ResponseTooSlow, 408,
            RateMessage("read the response", _options.MinResponseDataRate, nameof(HttpServerOptions.MinResponseDataRate), "waited on it")),
        _ => null,
    };

    private static string RateMessage(string what, HttpDataRate? rate, string option, string waited) => string.Create(CultureInfo.InvariantCulture,
        $"The client {what} slower than {rate?.BytesPerSecond} B/s on average after a {rate?.GracePeriod.TotalSeconds} s grace, counting only the time the server {waited} ({option}).");

    private static long TicksOf(TimeSpan timeout) => timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Math.Max(0, timeout.Ticks);

    private static long Add(long now, long ticks) => ticks >= long.MaxValue - now ? long.MaxValue : now + ticks;

    private void SetWaiting(ref DataRateMeter meter, bool waiting)
    {
        lock (_self)
        {
            if (_done)
                return;
            meter.SetWaiting(waiting, Now);
            Arm();
        }
    }

    private void Count(ref DataRateMeter meter, long bytes)
    {
        lock (_self)
        {
            if (!_done)
                meter.Add(bytes); // the deadline only moves later: the armed item re-arms itself when it comes
        }
    }

    private void End(ref DataRateMeter meter)
    {
        lock (_self)
            meter.End(); // the armed item finds nothing due and re-arms for what is left, if anything
    }

    private long Earliest() => Math.Min(_headDeadline, Math.Min(_body.Deadline, _response.Deadline));

    /// <summary>Arms the one scheduled item for the earliest deadline when that is sooner than the armed one.
    /// Called under the lock. Each item carries its generation: one that was replaced while it was already running
    /// (a real scheduler's thread waiting on the lock) finds a newer generation and leaves.</summary>
    private void Arm()
    {
        long due = Earliest();
        if (due >= _armedAt)
            return;
        _timer.Dispose();
        _armedAt = due;
        // Relative, not absolute: a scheduler a user may pass (Rx's EventLoopScheduler, say) queues absolute times on a
        // process-wide timer that calls back into it even after it was disposed, and that throws on a pool thread.
        _timer = _scheduler.Schedule((Clock: _self, Generation: ++_generation), TimeSpan.FromTicks(Math.Max(0, due - Now)), static (_, item) =>
        {
            item.Clock.Value?.Fire(item.Generation);
            return Disposable.Empty;
        });
    }

    private void Fire(long generation)
    {
        HttpTimeout which;
        lock (_self)
        {
            if (_done || generation != _generation)
                return;
            _armedAt = long.MaxValue;
            _timer = Disposable.Empty;
            long now = Now;
            if (_headDeadline <= now)
                which = _head == HeadState.KeepAlive ? HttpTimeout.KeepAlive : HttpTimeout.RequestHeaders;
            else if (_body.Deadline <= now)
                which = HttpTimeout.RequestBodyTooSlow;
            else if (_response.Deadline <= now)
                which = HttpTimeout.ResponseTooSlow;
            else
            {
                Arm();
                return;
            }
            _done = true;
        }
        _expired.OnNext(which);
    }
}

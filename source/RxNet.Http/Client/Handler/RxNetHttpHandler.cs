using RxNet.Http.Client.Handler.Internal;

namespace RxNet.Http;

/// <summary>
/// An <see cref="HttpMessageHandler"/> that sends through an RxNet <see cref="IHttpAgent"/>, so
/// <c>new HttpClient(new RxNetHttpHandler(agent))</c> runs over RxNet's client and pool, on any RxNet endpoint: a
/// socket, a Unix socket, TLS, or a simulated host in virtual time.
/// </summary>
/// <remarks>
/// <para><b>Requests.</b> The request URI must be absolute <c>http</c> or <c>https</c> (the fragment is dropped). Its
/// header and content header fields are sent as they are (a field with several values as one line, joined as
/// <c>HttpClient</c> joins them); <c>Content-Length</c> and <c>Transfer-Encoding</c> are the agent's to write: the
/// content is streamed as the body, with its length when <see cref="HttpContent"/> knows it and chunked otherwise,
/// never buffered whole, and its serialization waits while the connection cannot take more. HTTP/1.0 and 1.1 are sent
/// as asked; a higher version is sent as 1.1 when <see cref="HttpRequestMessage.VersionPolicy"/> allows a lower one.</para>
/// <para><b>Responses.</b> The task completes when the response head has arrived. Status, reason phrase, version and
/// fields are copied (content fields, such as <c>Content-Type</c>, to <see cref="HttpContent.Headers"/>); the trailer
/// section of a chunked body is in <see cref="HttpResponseMessage.TrailingHeaders"/> once the body has been read. The
/// content is a read-once stream over the RxNet body: nothing is read until the first read, at most 64 KiB (and the
/// chunk in flight) is held while its reader does not read (the body is paused, so the server is held back by TCP's
/// window), and disposing the stream or the response abandons the exchange and closes its connection.</para>
/// <para><b>Failures</b>, as <c>HttpClient</c> users expect them, the RxNet error always inside:
/// <list type="bullet">
/// <item>before the head, from <c>SendAsync</c>, <c>GetAsync</c> and the other calls: an
/// <see cref="HttpRequestException"/> whose <see cref="Exception.InnerException"/> is the RxNet error and whose
/// <see cref="HttpRequestException.HttpRequestError"/> says what kind it is (<c>ConnectionError</c> for a refused or
/// reset connection, <c>InvalidResponse</c> for an <see cref="HttpProtocolException"/>, <c>ConfigurationLimitExceeded</c>
/// for a limit, <c>SecureConnectionError</c> for TLS, <c>NameResolutionError</c> for DNS);</item>
/// <item>a timeout of the agent (<see cref="TimeoutException"/> on connect, an <see cref="HttpProtocolException"/> with
/// status 504 for the others) is a <see cref="TaskCanceledException"/> whose inner exception is a
/// <see cref="TimeoutException"/> around the RxNet error, as <c>HttpClient.Timeout</c> and <c>SocketsHttpHandler</c>'s
/// <c>ConnectTimeout</c> report theirs;</item>
/// <item>while the content is buffered (<c>GetAsync</c> with the default <see cref="HttpCompletionOption.ResponseContentRead"/>,
/// <c>ReadAsStringAsync</c>, <c>CopyToAsync</c>): an <see cref="HttpRequestException"/> (<c>ResponseEnded</c> for a
/// connection lost mid-body) with the RxNet error inside;</item>
/// <item>while reading the stream of a response opened with <see cref="HttpCompletionOption.ResponseHeadersRead"/> (or
/// <c>ReadAsStreamAsync</c>): an <see cref="HttpIOException"/> with the RxNet error inside (<c>GetStringAsync</c> and
/// <c>GetByteArrayAsync</c> read that stream, and <c>HttpClient</c> wraps it in an <see cref="HttpRequestException"/>);</item>
/// <item>cancellation by the token given to <c>SendAsync</c> before the head: a <see cref="TaskCanceledException"/> for that
/// token, the exchange disposed (its connection closed); a token given to a stream read cancels that read and
/// abandons the body the same way.</item>
/// </list></para>
/// <para><b>Time.</b> The agent's timeouts run on its scheduler, so on a <c>TestScheduler</c> they fire at exact
/// virtual ticks. <c>HttpClient.Timeout</c> does not: <c>HttpClient</c> implements it with <c>CancelAfter</c> on the real
/// clock. In virtual time set it to <see cref="Timeout.InfiniteTimeSpan"/> and bound a call with a token from
/// <c>new CancellationTokenSource(delay, scheduler.ToTimeProvider())</c>, or with the agent's own timeouts.</para>
/// <para><b>Threading.</b> The task and the stream's reads complete on the thread that delivers the response or its
/// bytes (the reactor's thread, or inside <c>AdvanceBy</c> on a <c>TestScheduler</c>), and <c>HttpClient</c> continues
/// there, so a spec drives the scheduler and then looks at the task; it must not block on it
/// (<c>.Result</c>) before the scheduler has run.</para>
/// <para><b>Synchronous calls.</b> <c>HttpClient.Send</c> works as over <c>SocketsHttpHandler</c>: it blocks the
/// calling thread on the asynchronous exchange (and, with <see cref="HttpCompletionOption.ResponseContentRead"/>, on
/// reading the content), with the same failures. It is refused with an <see cref="InvalidOperationException"/>, before
/// anything is sent, where the wait could never end: on any thread when the agent's scheduler runs in virtual time (a
/// <c>TestScheduler</c>, also behind a simulated host's reactor), because its clock moves only when the blocked thread
/// drives it; and on the reactor's event-loop thread (inside a <c>CallLater</c> or a timer), which runs the agent's
/// timeouts. The handler learns that thread from a first item it schedules when it is made, so a call made in the very
/// turn that made the handler is not caught. Reading the content stream synchronously (<c>Stream.Read</c>) blocks the
/// same way.</para>
/// </remarks>
public sealed class RxNetHttpHandler : HttpMessageHandler
{
    private readonly IHttpAgent _agent;
    private readonly HttpAgent? _owned;
    private readonly BlockingGuard _guard;

    /// <summary>Creates a handler that sends every request through <paramref name="agent"/>.</summary>
    /// <param name="agent">The agent, such as an <c>HttpAgent</c> or a policy over one (<c>agent.FollowRedirects()</c>).
    /// It is not disposed with the handler: it may serve other callers.</param>
    /// <exception cref="ArgumentNullException"><paramref name="agent"/> is null.</exception>
    public RxNetHttpHandler(IHttpAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        _agent = agent;
        _guard = new BlockingGuard(agent.Scheduler);
    }

    /// <summary>Creates a handler over a new <see cref="HttpAgent"/> on <paramref name="reactor"/>, which the handler
    /// owns and disposes with itself (and <c>HttpClient</c> disposes the handler it was given).</summary>
    /// <param name="reactor">The reactor to connect through and whose scheduler runs the agent's timeouts: a
    /// <c>SocketReactor</c>, or a simulated host's <c>Reactor</c> in virtual time.</param>
    /// <param name="options">The agent's options; <see cref="HttpAgentOptions.Default"/> when omitted.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reactor"/> is null.</exception>
    public RxNetHttpHandler(IReactor reactor, HttpAgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        _owned = new HttpAgent(reactor, options);
        _agent = _owned;
        _guard = new BlockingGuard(_owned.Scheduler);
    }

    /// <summary>The agent requests are sent through.</summary>
    public IHttpAgent Agent => _agent;

    /// <summary>Sends <paramref name="request"/> through the agent.</summary>
    /// <param name="request">The request; its URI absolute <c>http</c> or <c>https</c>.</param>
    /// <param name="cancellationToken">Cancels the exchange until its head has arrived.</param>
    /// <returns>The response, once its head has arrived.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The request URI is missing or relative.</exception>
    /// <exception cref="NotSupportedException">The request URI's scheme is not <c>http</c> or <c>https</c>.</exception>
    /// <exception cref="HttpRequestException">A field cannot be sent, or the version cannot be negotiated; or (in the
    /// task) the exchange failed (see the remarks of <see cref="RxNetHttpHandler"/>).</exception>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<HttpResponseMessage>(cancellationToken);
        HttpRequest sent = RequestMapping.ToRxNet(request);
        return HandlerExchange.Start(_agent, _guard, request, sent, cancellationToken);
    }

    /// <summary>Sends <paramref name="request"/> through the agent and blocks the calling thread until the response
    /// head has arrived (<c>HttpClient.Send</c>).</summary>
    /// <param name="request">The request; its URI absolute <c>http</c> or <c>https</c>.</param>
    /// <param name="cancellationToken">Cancels the exchange until its head has arrived.</param>
    /// <returns>The response, once its head has arrived.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The wait could never end, so nothing is sent: the agent's scheduler
    /// runs in virtual time (a <c>TestScheduler</c>: use <c>SendAsync</c> and drive the scheduler), or this is the
    /// reactor's event-loop thread. Also when the request URI is missing or relative.</exception>
    /// <exception cref="NotSupportedException">The request URI's scheme is not <c>http</c> or <c>https</c>.</exception>
    /// <exception cref="HttpRequestException">A field cannot be sent, the version cannot be negotiated, or the exchange
    /// failed (see the remarks of <see cref="RxNetHttpHandler"/>).</exception>
    /// <exception cref="TaskCanceledException"><paramref name="cancellationToken"/> was cancelled, or one of the agent's
    /// timeouts passed (a <see cref="TimeoutException"/> inside).</exception>
    /// <remarks>The same exchange as <see cref="SendAsync"/>, waited for; nothing else differs.</remarks>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _guard.ThrowIfBlockingCannotEnd("HttpClient.Send");
        return SendAsync(request, cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>Disposes the agent when the handler made it (the reactor constructor); an agent it was given is left
    /// alone.</summary>
    /// <param name="disposing">Whether called from <see cref="HttpMessageHandler.Dispose()"/>.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _owned?.Dispose();
        base.Dispose(disposing);
    }
}

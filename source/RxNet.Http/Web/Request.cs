using System.Globalization;
using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RxNet.Http.Web.Internal;
using RxNet.Twisted;

namespace RxNet.Http.Web;

/// <summary>
/// Twisted's <c>server.Request</c> (its <c>IRequest</c> essentials), as a <see cref="Resource"/> sees it: the request
/// (<see cref="Method"/>, <see cref="Uri"/>, <see cref="Args"/>, <see cref="GetHeader"/>, <see cref="Content"/>) and
/// the response it builds (<see cref="SetResponseCode"/>, <see cref="SetHeader"/>, <see cref="Write"/>,
/// <see cref="Finish"/>, <see cref="RegisterProducer"/>).
/// </summary>
/// <remarks>
/// <para><b>How it becomes an <see cref="HttpResponse"/>.</b> The status and headers are sent with the first
/// <see cref="Write"/> (or at <see cref="Finish"/>, or when the render method returns the body): set them before.
/// What is written then is the response's body stream, which the server writes with <c>WriteTo</c> semantics. The
/// length is known when the render method returns the whole body or a <c>Content-Length</c> was set; otherwise the
/// body goes chunked.</para>
/// <para><b>Back-pressure.</b> <see cref="Write"/> copies and queues. A producer registered with
/// <see cref="RegisterProducer"/> is paced by the client: a push producer is paused while the connection's output
/// is above its high-water mark, a pull producer is asked for a chunk only while it is below, so a large body written
/// through a producer never piles up (Twisted's <c>registerProducer</c>).</para>
/// <para><b>Threading.</b> Not thread-safe, like Twisted's: call it from one thread at a time. A registered producer
/// is called from the thread on which the server's demand changes.</para>
/// </remarks>
#pragma warning disable CA1001 // the AsyncSubject holds no resource: it ends with the response, nothing to dispose
public sealed class Request : IConsumer
#pragma warning restore CA1001
{
    private readonly IObserver<HttpResponse> _head;
    private readonly ResponseChannel _body;
    private readonly AsyncSubject<Unit> _finished = new();
    private readonly Action<Request, Exception?> _ended;
    private HttpResponse _response = new();
    private IReadOnlyDictionary<string, IReadOnlyList<string>>? _args;
    private long? _renderedLength;
    private DateTimeOffset? _lastModified;
    private bool _headSent;
    private bool _wrote;

    internal Request(HttpRequest message, IObserver<HttpResponse> head, Action<Request, Exception?> ended)
    {
        Message = message;
        _head = head;
        _ended = ended;
        _body = new ResponseChannel(Ended);
        PostPath = Segments(message.Path);
    }

    /// <summary>The HTTP request this wraps.</summary>
    public HttpRequest Message { get; }

    /// <summary>The method, such as <c>GET</c> (Twisted's <c>method</c>).</summary>
    public string Method => Message.Method;

    /// <summary>The request target as it was on the request line, query included (Twisted's <c>uri</c>).</summary>
    public string Uri => Message.Target;

    /// <summary>The path of the target, still percent-encoded, without the query (Twisted's <c>path</c>).</summary>
    public string Path => Message.Path;

    /// <summary>The query's arguments (Twisted's <c>args</c>), decoded, each name with its values in order; a name
    /// without <c>=</c> has an empty value. Only the query: the body is <see cref="Content"/>, a stream that
    /// nothing reads for you.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Args => _args ??= QueryArguments.Parse(Message.Query);

    /// <summary>The decoded segments traversal has consumed (Twisted's <c>prepath</c>).</summary>
    public IList<string> PrePath { get; } = new List<string>();

    /// <summary>The decoded segments still to traverse (Twisted's <c>postpath</c>); what a leaf gets of the path below it.</summary>
    public IList<string> PostPath { get; }

    /// <summary>The request body (Twisted's <c>content</c>), as a cold, unicast stream that holds the client back
    /// while nobody reads it; not buffered.</summary>
    public IObservable<ReadOnlyMemory<byte>> Content => Message.Body;

    /// <summary>The response's status code so far (Twisted's <c>code</c>): 200 unless set.</summary>
    public int ResponseCode => _response.StatusCode;

    /// <summary>Whether <see cref="Finish"/> was called (Twisted's <c>finished</c>).</summary>
    public bool Finished => _body.Finished;

    /// <summary>The first value of the request's header field <paramref name="name"/> (Twisted's <c>getHeader</c>).</summary>
    /// <param name="name">The field name, in any case.</param>
    /// <returns>The value, or <see langword="null"/> when the request has no such field.</returns>
    public string? GetHeader(string name) => Message.Headers[name];

    /// <summary>Sets the response's header field <paramref name="name"/>, replacing any value (Twisted's <c>setHeader</c>).</summary>
    /// <param name="name">The field name: a token.</param>
    /// <param name="value">The value: CR, LF and NUL are refused, so a value taken from the request cannot split the response.</param>
    /// <exception cref="ArgumentException">The name or the value is invalid.</exception>
    /// <exception cref="InvalidOperationException">The response head was already sent.</exception>
    public void SetHeader(string name, string value)
    {
        ThrowIfSent();
        _response.Headers.Set(name, value);
    }

    /// <summary>Adds a response field, keeping any of the same name (Twisted's <c>responseHeaders.addRawHeader</c>),
    /// for what cannot be joined in one value, such as several <c>Set-Cookie</c> relayed by a proxy.</summary>
    internal void AddHeader(string name, string value)
    {
        ThrowIfSent();
        _response.Headers.Add(name, value);
    }

    /// <summary>Sets the response's status (Twisted's <c>setResponseCode</c>).</summary>
    /// <param name="code">The status code.</param>
    /// <param name="message">The reason phrase; the standard one when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The code is not three digits.</exception>
    /// <exception cref="InvalidOperationException">The response head was already sent.</exception>
    public void SetResponseCode(int code, string? message = null)
    {
        ThrowIfSent();
        _response.StatusCode = code;
        _response.ReasonPhrase = message;
    }

    /// <summary>Sets <c>Last-Modified</c> (kept at the latest of the times given, in whole seconds rounded up) and
    /// answers an <c>If-Modified-Since</c> request (Twisted's <c>setLastModified</c>): when the resource has not
    /// changed since, sets 304 and returns <see langword="true"/>; write no body then.</summary>
    /// <param name="when">When the resource last changed.</param>
    /// <returns>Whether the client's copy is current (the status is now 304). An <c>If-None-Match</c> field takes
    /// precedence (RFC 9110 §13.1.3), so then this returns <see langword="false"/>.</returns>
    /// <exception cref="InvalidOperationException">The response head was already sent.</exception>
    public bool SetLastModified(DateTimeOffset when)
    {
        ThrowIfSent();
        long seconds = (when.UtcTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        var rounded = new DateTimeOffset(seconds * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        if (_lastModified is null || _lastModified < rounded)
            _lastModified = rounded;
        _response.Headers.Set("Last-Modified", _lastModified.Value.ToString("r", CultureInfo.InvariantCulture));
        if (GetHeader("If-None-Match") is not null || GetHeader("If-Modified-Since") is not { } since)
            return false;
        int semicolon = since.IndexOf(';', StringComparison.Ordinal);
        if (!DateTimeOffset.TryParse(semicolon < 0 ? since : since[..semicolon], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var client)
            || client < _lastModified)
            return false;
        SetResponseCode(304);
        return true;
    }

    /// <summary>Sets <c>ETag</c> and answers an <c>If-None-Match</c> GET or HEAD (Twisted's <c>setETag</c>): when it
    /// lists this tag (weak comparison) or is <c>*</c>, sets 304 and returns <see langword="true"/>.</summary>
    /// <param name="etag">The entity tag, quoted: <c>"abc"</c> or <c>W/"abc"</c>.</param>
    /// <returns>Whether the client's copy is current (the status is now 304).</returns>
    /// <exception cref="ArgumentException">The tag has a forbidden character.</exception>
    /// <exception cref="InvalidOperationException">The response head was already sent.</exception>
    public bool SetETag(string etag)
    {
        ArgumentNullException.ThrowIfNull(etag);
        SetHeader("ETag", etag);
        if (Method is not ("GET" or "HEAD") || GetHeader("If-None-Match") is not { } match)
            return false;
        string opaque = Opaque(etag);
        foreach (string candidate in match.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate == "*" || Opaque(candidate) == opaque)
            {
                SetResponseCode(304);
                return true;
            }
        }
        return false;
    }

    /// <summary>Writes part of the body (Twisted's <c>write</c>); the first write sends the response head. The bytes are
    /// copied. For a HEAD request (and a 304) they are dropped.</summary>
    /// <param name="data">The bytes.</param>
    /// <exception cref="InvalidOperationException">After <see cref="Finish"/>.</exception>
    public void Write(ReadOnlyMemory<byte> data)
    {
        if (_body.Finished)
            throw new InvalidOperationException("Request.Write was called after Request.Finish.");
        _wrote |= !data.IsEmpty;
        SendHead();
        _body.Write(data);
    }

    /// <summary>Ends the response (Twisted's <c>finish</c>); sends the head first if nothing was written. A second call
    /// does nothing, as does a call after the client went away.</summary>
    public void Finish()
    {
        if (!_headSent && !_wrote && _renderedLength is null)
            _renderedLength = 0;
        SendHead();
        _body.Finish();
    }

    /// <summary>Twisted's <c>notifyFinish</c>, as a single-value observable (RxNet's Deferred): one
    /// <see cref="Unit"/> then completion once the whole response has been handed to the server, or an error (a
    /// <see cref="ConnectionAbortedException"/>) when the client went away first, or the resource's failure. It
    /// remembers the outcome, so a late subscriber gets it at once.</summary>
    /// <returns>The observable.</returns>
    public IObservable<Unit> NotifyFinish() => _finished.AsObservable();

    /// <summary>Lets <paramref name="producer"/> write the body at the client's pace (Twisted's <c>registerProducer</c>):
    /// a push producer (<paramref name="streaming"/>) is paused while the client cannot take more and resumed when it
    /// can; a pull producer is asked for one chunk each time it can. It is stopped if the client goes away. Registering
    /// sends the response head (the server paces the body only once it has it), so set the status and headers before. The
    /// producer unregisters itself (<see cref="UnregisterProducer"/>) and calls <see cref="Finish"/> when done.</summary>
    /// <param name="producer">An <see cref="IPushProducer"/> when <paramref name="streaming"/>, else an <see cref="IPullProducer"/>.</param>
    /// <param name="streaming">Push (<see langword="true"/>) or pull.</param>
    /// <exception cref="ArgumentNullException"><paramref name="producer"/> is null.</exception>
    /// <exception cref="ArgumentException">The producer is not of the kind <paramref name="streaming"/> says.</exception>
    /// <exception cref="InvalidOperationException">Another producer is registered.</exception>
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(producer);
        SendHead(); // the server reads the body, and so paces the producer, only once it has the head
        _body.RegisterProducer(producer, streaming);
    }

    /// <summary>Lets go of the registered producer (Twisted's <c>unregisterProducer</c>); does nothing without one.</summary>
    public void UnregisterProducer() => _body.UnregisterProducer();

    /// <inheritdoc />
    public override string ToString() => $"<Request {Method} {Uri}>";

    /// <summary>Sends the whole <paramref name="body"/> a render method returned and finishes; for HEAD, keeps only its
    /// length (unless it is empty and a Content-Length was set), as Twisted does.</summary>
    internal void FinishWith(byte[] body)
    {
        if (!_headSent && (Method != "HEAD" || body.Length > 0))
        {
            _response.Headers.Remove("Content-Length");
            _renderedLength = body.Length;
        }
        if (body.Length > 0)
            Write(body);
        Finish();
    }

    /// <summary>Answers with a response made whole elsewhere (a WebSocket handshake's <c>101</c> or its refusal): its
    /// head and body go out as they are, and the request is finished.</summary>
    internal void Respond(HttpResponse response)
    {
        ThrowIfSent();
        _headSent = true;
        _response = response;
        _body.Discard();
        _head.OnNext(response);
        _head.OnCompleted();
        _body.Finish();
    }

    /// <summary>The resource failed: a 500 page if the head is not out yet, else the body fails (the server aborts).</summary>
    internal void Fail(Exception error)
    {
        if (_headSent)
        {
            _body.Fail(error);
            return;
        }
        _response = new HttpResponse();
        _renderedLength = null;
        var page = new ErrorPage(500, "Processing Failed", "The resource failed to render this request; the server's log says why.");
        FinishWith(page.Render(this)!);
    }

    /// <summary>The handler's subscription was disposed: before the head went out, the client is gone.</summary>
    internal void Abandon()
    {
        if (!_headSent)
            _body.Abort(new ConnectionAbortedException("The client went away before the response was sent."));
    }

    /// <summary>The body's byte count so far, for the access log.</summary>
    internal long BytesSent => _body.BytesSent;

    private void SendHead()
    {
        if (_headSent)
            return;
        _headSent = true;
        var response = _response;
        if (response.Headers["Content-Length"] is { } declared)
        {
            response.Headers.Remove("Content-Length");
            response.ContentLength = long.Parse(declared, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        else
        {
            response.ContentLength = _renderedLength;
        }
        bool bodyless = Method == "HEAD" || response.StatusCode is 204 or 304 || response.StatusCode < 200;
        if (response.StatusCode is 204 or 304)
            response.ContentLength = null;
        else if (Method == "HEAD" && response.ContentLength is { } length)
            response.Headers.Set("Content-Length", length.ToString(CultureInfo.InvariantCulture)); // the GET's length, as Twisted sends it
        if (bodyless)
            _body.Discard();
        else
            response.Body = _body;
        _head.OnNext(response);
        _head.OnCompleted();
    }

    private void Ended(Exception? reason)
    {
        if (reason is null)
        {
            _finished.OnNext(Unit.Default);
            _finished.OnCompleted();
        }
        else
        {
            _finished.OnError(reason);
        }
        _ended(this, reason);
    }

    private void ThrowIfSent()
    {
        if (_headSent)
            throw new InvalidOperationException("The response head was already sent (by the first Write or Finish): set the status and headers before.");
    }

    private static string Opaque(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;

    private static List<string> Segments(string path)
    {
        // Twisted: postpath = the path after its first '/', split at '/', each segment percent-decoded.
        string rest = path.StartsWith('/') ? path[1..] : path;
        var segments = new List<string>();
        foreach (string segment in rest.Split('/'))
            segments.Add(System.Uri.UnescapeDataString(segment));
        return segments;
    }
}

using System.Reactive.Disposables;

namespace RxNet.Http.Client.Policies.Internal;

/// <summary>
/// One subscription of a request sent through <see cref="HttpAgentPolicies.FollowRedirects"/>: sends a hop, and for a
/// redirect to follow drains that response's body (so its connection goes back to the pool) before sending the next,
/// until a response that is not followed, which is emitted.
/// </summary>
/// <remarks>Hops are sequential. A hop's subscriptions (its send and the drain of its body) live until the next hop
/// starts, after that body has ended, so an exchange is never abandoned mid-body unless the drain gave up; the
/// subscriber's disposal releases the current hop.</remarks>
internal sealed class RedirectChain : IDisposable
{
    /// <summary>How much of a redirect's own body is read and thrown away; past it the body's subscription is dropped
    /// (the agent closes that connection instead of reusing it). Redirect bodies are a line of HTML.</summary>
    internal const long MaxDrainedBody = 64 * 1024;

    private readonly IHttpAgent _agent;
    private readonly HttpRedirectOptions _options;
    private readonly IObserver<HttpResponse> _observer;
    private readonly SerialDisposable _hop = new();
    private CompositeDisposable _current = [];
    private int _redirects;

    public RedirectChain(IHttpAgent agent, HttpRedirectOptions options, IObserver<HttpResponse> observer)
    {
        _agent = agent;
        _options = options;
        _observer = observer;
    }

    public void Dispose() => _hop.Dispose();

    /// <summary>Sends <paramref name="request"/>, recording its body when a redirect may need it again.</summary>
    public void Send(HttpRequest request)
    {
        BodyRecording? recording = null;
        var sent = request;
        if (MayHaveBody(request) && request.Body is not MemoryBody)
        {
            recording = new BodyRecording(_options.MaxReplayBodySize);
            sent = MessageCopies.Request(request, MessageCopies.Copy(request.Headers), recording.Wrap(request.Body), request.ContentLength);
        }
        var hop = new CompositeDisposable();
        _current = hop;
        _hop.Disposable = hop; // the previous hop's body has ended (or was given up): its subscriptions go
        bool answered = false;
        hop.Add(_agent.Send(sent).Subscribe(
            response =>
            {
                answered = true;
                OnResponse(request, recording, response);
            },
            _observer.OnError,
            () =>
            {
                if (!answered)
                    _observer.OnCompleted();
            }));
    }

    private void OnResponse(HttpRequest request, BodyRecording? recording, HttpResponse response)
    {
        if (response.StatusCode is not (301 or 302 or 303 or 307 or 308) || response.Headers["Location"] is not { } location)
        {
            Emit(response);
            return;
        }
        var from = new Uri(request.Target, UriKind.RelativeOrAbsolute);
        if (!from.IsAbsoluteUri || !Uri.TryCreate(from, location, out var to) || to.Scheme is not ("http" or "https"))
        {
            Fail(response, HttpProtocolError.RedirectRefused, $"The {response.StatusCode} redirect to '{location}' is not followed: its Location is not an http or https URI (resolved against '{request.Target}').");
            return;
        }
        if (_redirects >= _options.MaxRedirects)
        {
            Fail(response, HttpProtocolError.TooManyRedirects, $"More than {_options.MaxRedirects} redirects in a row (HttpRedirectOptions.MaxRedirects); the last, a {response.StatusCode}, went to '{to.AbsoluteUri}'.");
            return;
        }
        if (from.Scheme == "https" && to.Scheme == "http" && !_options.AllowInsecureRedirects)
        {
            Fail(response, HttpProtocolError.RedirectRefused, $"The {response.StatusCode} redirect from '{request.Target}' to '{to.AbsoluteUri}' leaves https for http; set HttpRedirectOptions.AllowInsecureRedirects to follow it.");
            return;
        }
        bool asGet = response.StatusCode == 303 ? request.Method != "HEAD" : response.StatusCode is 301 or 302 && request.Method == "POST";
        if (_options.Strict && response.StatusCode != 303 && request.Method is not ("GET" or "HEAD"))
        {
            Fail(response, HttpProtocolError.RedirectRefused, $"The {response.StatusCode} redirect of a {request.Method} to '{to.AbsoluteUri}' is not followed: a strict agent (HttpRedirectOptions.Strict, Twisted's RedirectAgent) follows 301, 302, 307 and 308 only for GET and HEAD.");
            return;
        }
        var headers = MessageCopies.Copy(request.Headers);
        if (HttpOrigin.Of(from) != HttpOrigin.Of(to))
        {
            // Credentials are for the origin they were given to (CVE-2022-21712), and Host names the old one.
            headers.Remove("Authorization");
            headers.Remove("Proxy-Authorization");
            headers.Remove("Cookie");
            headers.Remove("Host");
        }
        HttpRequest next;
        if (asGet || !MayHaveBody(request))
        {
            RemoveBodyFields(headers);
            next = MessageCopies.Request(request, headers, null, null, to.AbsoluteUri, asGet ? "GET" : request.Method);
        }
        else if (ReplayableBody(request, recording) is var (body, length))
        {
            next = MessageCopies.Request(request, headers, body, length, to.AbsoluteUri);
        }
        else
        {
            Emit(response); // the body was read and cannot be sent again: the caller gets the redirect (ADR 0042)
            return;
        }
        _redirects++;
        Drain(response, () => Send(next));
    }

    /// <summary>The body to send again: the source itself when nothing read it, else what was recorded of it.</summary>
    private static (IObservable<ReadOnlyMemory<byte>> Body, long? Length)? ReplayableBody(HttpRequest request, BodyRecording? recording)
    {
        if (recording is null || recording.NeverRead)
            return (request.Body, request.ContentLength);
        return recording.TryReplay(out var body, out long length) ? (body, length) : null;
    }

    private void Fail(HttpResponse response, HttpProtocolError error, string message) =>
        Drain(response, () => _observer.OnError(new HttpProtocolException(error, 502, message)));

    private void Emit(HttpResponse response)
    {
        _observer.OnNext(response);
        _observer.OnCompleted();
    }

    /// <summary>Reads the body of a response that is not handed on (up to <see cref="MaxDrainedBody"/>), then goes on.</summary>
    private void Drain(HttpResponse response, Action next)
    {
        if (response.Body is null)
        {
            next();
            return;
        }
        var hop = _current;
        long drained = 0;
        bool over = false;
        void Next()
        {
            if (over)
                return;
            over = true;
            next(); // the next hop (or the end) disposes this one, the drain with it
        }
        hop.Add(response.Body.Subscribe(
            chunk =>
            {
                drained += chunk.Length;
                if (drained > MaxDrainedBody)
                    Next();
            },
            _ => Next(),
            Next));
    }

    /// <summary>Whether the request may carry a body: not when it was made without one or declares none, nor a GET
    /// or HEAD that declares no length.</summary>
    private static bool MayHaveBody(HttpRequest request) =>
        request.HasBody && request.ContentLength is not 0 && !(request.ContentLength is null && request.Method is ("GET" or "HEAD"));

    /// <summary>Removes the fields that describe a body the next request does not have (the Fetch standard's
    /// request-body-header names, and the framing and Expect that went with it).</summary>
    private static void RemoveBodyFields(HttpHeaders headers)
    {
        foreach (string name in (string[])["Content-Type", "Content-Length", "Content-Encoding", "Content-Language", "Content-Location", "Transfer-Encoding", "Expect"])
            headers.Remove(name);
    }
}

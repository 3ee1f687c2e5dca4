using System.Globalization;
using System.Reactive.Disposables;
using System.Reactive.Subjects;
using RxNet.Twisted;

namespace RxNet.Http.Web.Internal;

/// <summary>
/// One request forwarded by a <see cref="ReverseProxyResource"/>: sends it upstream, then writes the upstream's status,
/// fields and body to the <see cref="Request"/> as they come, pausing the upstream body while the client does not read
/// (a push producer registered on the request whose pause and resume are the body's demand signal).
/// </summary>
/// <remarks>Ends when the upstream body ends, fails, or the client goes away (the request's <c>NotifyFinish</c>
/// fails), which drops the upstream exchange.</remarks>
internal sealed class ProxyExchange : IPushProducer, IDisposable
{
    private readonly Request _request;
    private readonly BehaviorSubject<bool> _demand = new(true);
    private readonly CompositeDisposable _subscriptions = [];
    private bool _headSeen;

    public ProxyExchange(Request request) => _request = request;

    /// <summary>Sends <paramref name="upstream"/> through <paramref name="agent"/> and answers the request with its response.</summary>
    public void Start(IHttpAgent agent, HttpRequest upstream)
    {
        _subscriptions.Add(_request.NotifyFinish().Subscribe(_ => { }, _ => Dispose()));
        _subscriptions.Add(agent.Send(upstream).Subscribe(OnResponse, OnUpstreamError));
    }

    public void PauseProducing() => _demand.OnNext(false);

    public void ResumeProducing() => _demand.OnNext(true);

    public void StopProducing() => Dispose();

    public void Dispose() => _subscriptions.Dispose();

    private void OnResponse(HttpResponse response)
    {
        _headSeen = true;
        _request.SetResponseCode(response.StatusCode, response.ReasonPhrase);
        foreach (var (name, value) in HopByHop.Without(response.Headers, "Content-Length"))
            _request.SetHeader(name, value);
        string? length = response.ContentLength?.ToString(CultureInfo.InvariantCulture)
            ?? (_request.Method == "HEAD" ? response.Headers["Content-Length"] : null);
        if (length is not null && response.StatusCode is not (204 or 304))
            _request.SetHeader("Content-Length", length);
        if (response.Body is not { } body)
        {
            _request.Finish();
            return;
        }
        _request.RegisterProducer(this, streaming: true); // sends the head; the client's demand now drives _demand
        var observer = System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(
            chunk => _request.Write(chunk),
            error => _request.Fail(error), // after the head: the server aborts the client's connection
            () =>
            {
                _request.UnregisterProducer();
                _request.Finish();
            });
        _subscriptions.Add(body is IPausableObservable<ReadOnlyMemory<byte>> pausable ? pausable.Subscribe(observer, _demand) : body.Subscribe(observer));
    }

    private void OnUpstreamError(Exception error)
    {
        if (_headSeen)
            return;
        var page = new ErrorPage(502, "Bad Gateway", $"The upstream server could not be reached or did not answer: {error.Message}");
        _request.FinishWith(page.Render(_request)!);
    }
}

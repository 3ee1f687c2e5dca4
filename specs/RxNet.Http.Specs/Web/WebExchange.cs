using System.Text;
using RxNet.Http.Web;

namespace RxNet.Http.Specs.Web;

/// <summary>
/// One exchange with a <see cref="Site"/>'s handler, called directly: the response (once its head came) and the
/// body as it arrives, read through the body's pausable subscription with a demand signal the spec controls.
/// </summary>
internal sealed class WebExchange : IObserver<ReadOnlyMemory<byte>>
{
    private readonly List<byte> _body = [];
    private IDisposable? _bodySubscription;

    private readonly Action<WebExchange>? _onChunk;

    private WebExchange(IObservable<HttpResponse> responses, IObservable<bool>? demand, Action<WebExchange>? onChunk)
    {
        _onChunk = onChunk;
        Subscription = responses.Subscribe(
            response =>
            {
                Response = response;
                if (response.Body is IPausableObservable<ReadOnlyMemory<byte>> pausable && demand is not null)
                    _bodySubscription = pausable.Subscribe(this, demand);
                else if (response.Body is { } body)
                    _bodySubscription = body.Subscribe(this);
                else
                    Completed = true;
            },
            error => HandlerError = error);
    }

    public IDisposable Subscription { get; }

    public HttpResponse? Response { get; private set; }

    public Exception? HandlerError { get; private set; }

    public int Chunks { get; private set; }

    public bool Completed { get; private set; }

    public Exception? BodyError { get; private set; }

    public byte[] Body => [.. _body];

    public string Text => Encoding.UTF8.GetString(Body);

    public int Status => Response?.StatusCode ?? throw new InvalidOperationException("No response head yet.");

    public string? Header(string name) => Response?.Headers[name];

    public static WebExchange Send(Site site, string method, string target, HttpHeaders? headers = null, IObservable<bool>? demand = null, Action<WebExchange>? onChunk = null) =>
        new(site.Handle(new HttpRequest(method, target, headers)), demand, onChunk);

    public static WebExchange Send(Site site, HttpRequest request, IObservable<bool>? demand = null) => new(site.Handle(request), demand, null);

    /// <summary>The client goes away: the body's subscription (or, before the head, the handler's) is disposed.</summary>
    public void Disconnect()
    {
        _bodySubscription?.Dispose();
        Subscription.Dispose();
    }

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        Chunks++;
        _body.AddRange(value.ToArray());
        _onChunk?.Invoke(this);
    }

    public void OnError(Exception error) => BodyError = error;

    public void OnCompleted() => Completed = true;
}

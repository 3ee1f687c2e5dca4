namespace RxNet.Http.Client.Internal;

/// <summary>The cold observable <see cref="HttpAgent.Send"/> returns: each subscription is one
/// <see cref="SendOperation"/>, which is also the subscription's disposable (no closure or wrapper per request), and
/// which reads what it sends from here rather than copy it.</summary>
internal sealed class SendObservable(HttpAgent agent, HttpRequest request, HttpOrigin origin, string target, string authority) : IObservable<HttpResponse>
{
    public HttpAgent Agent => agent;

    public HttpRequest Request => request;

    public HttpOrigin Origin => origin;

    /// <summary>The request target to send.</summary>
    public string Target => target;

    /// <summary>The Host field.</summary>
    public string Authority => authority;

    public IDisposable Subscribe(IObserver<HttpResponse> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return agent.Start(this, observer);
    }
}

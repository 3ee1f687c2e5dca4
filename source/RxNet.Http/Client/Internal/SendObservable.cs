namespace RxNet.Http.Client.Internal;

/// <summary>The cold observable <see cref="HttpAgent.Send"/> returns: each subscription is one
/// <see cref="SendOperation"/>, which is also the subscription's disposable (no closure or wrapper per request).</summary>
internal sealed class SendObservable(HttpAgent agent, HttpRequest request, HttpOrigin origin, string target, string authority) : IObservable<HttpResponse>
{
    public IDisposable Subscribe(IObserver<HttpResponse> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return agent.Start(request, origin, target, authority, observer);
    }
}

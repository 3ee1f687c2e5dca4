using System.Reactive.Linq;

namespace RxNet.Http.Client.Policies.Internal;

/// <summary>The agent <see cref="HttpAgentPolicies.FollowRedirects"/> returns: each subscription is a <see cref="RedirectChain"/>.</summary>
internal sealed class RedirectingAgent(IHttpAgent agent, HttpRedirectOptions options) : IHttpAgent
{
    public System.Reactive.Concurrency.IScheduler Scheduler => agent.Scheduler;

    public IObservable<HttpResponse> Send(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Observable.Create<HttpResponse>(observer =>
        {
            var chain = new RedirectChain(agent, options, observer);
            chain.Send(request);
            return chain;
        });
    }
}

using System.Net;
using System.Reactive.Linq;

namespace RxNet.Http.Client.Policies.Internal;

/// <summary>The agent <see cref="HttpAgentPolicies.WithCookies"/> returns: adds the jar's cookies for the request's
/// URI to a copy of the request, and stores every <c>Set-Cookie</c> of its response.</summary>
internal sealed class CookieAgent(IHttpAgent agent, CookieContainer cookies) : IHttpAgent
{
    public System.Reactive.Concurrency.IScheduler Scheduler => agent.Scheduler;

    public IObservable<HttpResponse> Send(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Uri.TryCreate(request.Target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return agent.Send(request); // not a URI a cookie can be scoped to
        return Observable.Defer(() => agent.Send(WithCookieField(request, uri)))
            .Do(response => Store(uri, response));
    }

    /// <summary>The request with the jar's cookies (read at subscription time, so a later hop sees earlier ones)
    /// after any <c>Cookie</c> the caller set.</summary>
    private HttpRequest WithCookieField(HttpRequest request, Uri uri)
    {
        string jar = cookies.GetCookieHeader(uri);
        if (jar.Length == 0)
            return request;
        var headers = MessageCopies.Copy(request.Headers);
        headers.Set("Cookie", headers["Cookie"] is { Length: > 0 } own ? $"{own}; {jar}" : jar);
        return MessageCopies.WithHeaders(request, headers);
    }

    private void Store(Uri uri, HttpResponse response)
    {
        foreach (string value in response.Headers.GetValues("Set-Cookie"))
        {
            try
            {
                cookies.SetCookies(uri, value);
            }
            catch (CookieException)
            {
                // A malformed or foreign cookie is ignored, as browsers and HttpClient ignore it.
            }
        }
    }
}

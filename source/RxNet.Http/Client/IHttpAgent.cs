using System.Reactive.Concurrency;

namespace RxNet.Http;

/// <summary>
/// Something that sends HTTP requests and answers each with a response: Twisted's <c>IAgent</c> as an observable.
/// </summary>
/// <remarks>
/// <para><c>HttpAgent</c> sends over pooled connections; the policies (<c>FollowRedirects</c>,
/// <c>DecodeContent</c>, <c>WithCookies</c>) wrap another agent and are agents themselves, so they compose as
/// operators do: <c>agent.FollowRedirects().DecodeContent()</c>.</para>
/// </remarks>
public interface IHttpAgent
{
    /// <summary>Sends <paramref name="request"/> on each subscription and emits its response once its head has
    /// arrived, then completes.</summary>
    /// <param name="request">The request; its target is an absolute URI (<c>http://host:port/path?query</c>).</param>
    /// <returns>A cold observable of one response. The response's <see cref="HttpResponse.Body"/> is a cold,
    /// unicast byte stream with the connection's contract: subscribing reads it, and while nobody reads it the
    /// server is held back by TCP's window. Disposing the subscription before the body has ended abandons the
    /// exchange and closes its connection.</returns>
    IObservable<HttpResponse> Send(HttpRequest request);

    /// <summary>The scheduler that runs this agent's timers (the reactor's, or a <c>TestScheduler</c> in virtual time);
    /// layers over the agent, such as a WebSocket it opens, run their own timers on it too.</summary>
    /// <remarks>An agent that wraps another (a policy) gives the scheduler of the agent it wraps.</remarks>
    IScheduler Scheduler { get; }
}

using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using RxNet.Http.Web.Internal;

namespace RxNet.Http.Web;

/// <summary>
/// Twisted's <c>server.Site</c>: serves a tree of <see cref="Resource"/>s as an HTTP handler. <see cref="Handle"/> is
/// a <c>Func&lt;HttpRequest, IObservable&lt;HttpResponse&gt;&gt;</c>, so <c>new HttpServer(site.Handle, scheduler)</c>
/// serves it on any transport, and a spec can call it directly.
/// </summary>
/// <remarks>
/// <para>For each request: a <see cref="Request"/> is made, the resource found with
/// <see cref="Resource.GetChildForRequest"/> from <see cref="Resource"/>, and rendered. A method it does not render
/// gets 405 with <c>Allow</c>; a render that throws gets 500 (or, once the head is out, a failed body, which the server
/// turns into an aborted connection).</para>
/// <para><b>Access log.</b> One line per finished response, in the Combined Log Format
/// (<c>client - - [time] "request line" status bytes "referer" "user-agent"</c>), the time from the scheduler, the
/// bytes being the body bytes handed to the server; to <see cref="AccessLog"/> and to <see cref="Logger"/> when set.
/// A response the client abandoned is logged too, with the bytes sent so far.</para>
/// </remarks>
public sealed class Site
{
    private readonly IScheduler _scheduler;

    /// <summary>Creates a site.</summary>
    /// <param name="resource">The root resource: the one for <c>/</c>'s parent (<c>/</c> asks it for child <c>""</c>).</param>
    /// <param name="scheduler">The clock of the access log's times (the reactor's, or a <c>TestScheduler</c>).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public Site(Resource resource, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(scheduler);
        Resource = resource;
        _scheduler = scheduler;
    }

    /// <summary>The root resource.</summary>
    public Resource Resource { get; }

    /// <summary>Where access log lines are written, one per line; none when <see langword="null"/>. Written from the
    /// server's threads: give a synchronized writer (<see cref="TextWriter.Synchronized"/>) when requests run in parallel.</summary>
    public TextWriter? AccessLog { get; init; }

    /// <summary>Where access log lines (at Information) and render failures (at Error) are logged; none when <see langword="null"/>.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Answers <paramref name="request"/>: the handler to give an <c>HttpServer</c>.</summary>
    /// <param name="request">The request.</param>
    /// <returns>A cold observable of the one response; its head comes when the resource first writes or finishes.
    /// Disposing the subscription before then (the client went away) stops the resource's producer and fails its
    /// <see cref="Request.NotifyFinish"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public IObservable<HttpResponse> Handle(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Observable.Create<HttpResponse>(observer =>
        {
            var web = new Request(request, observer, Ended);
            Render(web);
            return Disposable.Create(web.Abandon);
        });
    }

    private void Render(Request request)
    {
        try
        {
            var resource = Resource.GetChildForRequest(Resource, request);
            byte[]? body;
            try
            {
                body = resource.Render(request);
            }
            catch (UnsupportedMethodException e)
            {
                request.SetHeader("Allow", string.Join(", ", e.AllowedMethods));
                body = new ErrorPage(405, "Method Not Allowed", $"Your browser approached me (at {request.Uri}) with the method \"{request.Method}\". I only allow the method{(e.AllowedMethods.Count == 1 ? "" : "s")} {string.Join(", ", e.AllowedMethods)} here.").Render(request);
            }
            if (body is not null)
                request.FinishWith(body);
        }
#pragma warning disable CA1031 // whatever a resource throws becomes a 500 (or an aborted body), never the server's problem
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (Logger is { } logger)
                SiteLog.RenderFailed(logger, request.Message.ToString(), e);
            request.Fail(e);
        }
    }

    private void Ended(Request request, Exception? reason)
    {
        if (AccessLog is null && Logger is null)
            return;
        string line = AccessLogLine.Format(request.Message, request.ResponseCode, request.BytesSent, _scheduler.Now);
        AccessLog?.WriteLine(line);
        if (Logger is { } logger)
            SiteLog.Access(logger, line);
    }
}

using System.Globalization;
using System.Net;
using System.Reactive.Linq;
using RxNet.Sockets;

namespace RxNet.Http.Specs.Server;

/// <summary>An <see cref="HttpServer"/> on a real socket reactor, for real peers: by default on 127.0.0.1 on a port the
/// system picks, where <c>POST /echo</c> streams the body back with the body limit lifted and every other request gets
/// <c>hello PATH</c> as text; or on any endpoint string with any handler. Disposing it stops the listener and the reactor.</summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly SocketReactor _reactor = new();
    private readonly IDisposable _listening;

    public LoopbackHttpServer(TimeSpan bindWithin, string endpoint = "tcp:0:interface=127.0.0.1", Func<HttpRequest, IObservable<HttpResponse>>? handler = null)
    {
        var server = new HttpServer(handler ?? Handle, _reactor.Scheduler);
        var bound = new TaskCompletionSource<EndPoint>();
        _listening = server.Listen(_reactor.ServerEndpoint(endpoint).Listen(bound.SetResult));
        if (!bound.Task.Wait(bindWithin, TestContext.Current.CancellationToken))
        {
            Dispose();
            throw new TimeoutException($"The server did not bind {endpoint}.");
        }
        Port = bound.Task.Result is IPEndPoint ip ? ip.Port : 0;
    }

    /// <summary>The bound port; 0 on a Unix socket.</summary>
    public int Port { get; }

    public string PortText => Port.ToString(CultureInfo.InvariantCulture);

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public void Dispose()
    {
        _listening.Dispose();
        _reactor.Dispose();
    }

    private static IObservable<HttpResponse> Handle(HttpRequest request)
    {
        if (request.Path != "/echo")
            return Observable.Return(HttpResponse.Text("hello " + request.Path));
        request.MaxBodySize = null; // the echo holds nothing, so it takes a body of any length
        return Observable.Return(new HttpResponse { Body = request.Body, ContentLength = request.ContentLength });
    }
}

using System.Globalization;
using System.Net;
using System.Reactive.Linq;
using RxNet.Sockets;

namespace RxNet.Http.Specs.Server;

/// <summary>An <see cref="HttpServer"/> listening on 127.0.0.1 on a port the system picks, on a real socket reactor,
/// for real peers: <c>POST /echo</c> streams the body back with the body limit lifted, every other request gets
/// <c>hello PATH</c> as text. Disposing it stops the listener and the reactor.</summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly SocketReactor _reactor = new();
    private readonly IDisposable _listening;

    public LoopbackHttpServer(TimeSpan bindWithin)
    {
        var server = new HttpServer(Handle, _reactor.Scheduler);
        var bound = new TaskCompletionSource<EndPoint>();
        _listening = server.Listen(new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0)).Listen(bound.SetResult));
        if (!bound.Task.Wait(bindWithin, TestContext.Current.CancellationToken))
        {
            Dispose();
            throw new TimeoutException("The server did not bind.");
        }
        Port = ((IPEndPoint)bound.Task.Result).Port;
    }

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

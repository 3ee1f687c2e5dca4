using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Reactive.Threading.Tasks;
using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.Server;

/// <summary>The code of docs/http.md, compiled and run on the simulated network; the last spec checks that every
/// block of the guide appears here verbatim.</summary>
public sealed class HttpGuideSpecs : IDisposable
{
    private readonly TestScheduler scheduler = new();
    private readonly SimulatedNetwork network;
    private readonly Subject<IConnection> listener = new();
    private readonly StringBuilder received = new();

    public HttpGuideSpecs() => network = new SimulatedNetwork(scheduler);

    public void Dispose() => listener.Dispose();

    [Fact]
    public void Guide_AHandler_AnswersHelloWorld()
    {
        var server = new HttpServer(request => Observable.Return(HttpResponse.Text("Hello, World!")), scheduler);

        Get(server.Serve, "/");

        Assert.EndsWith("\r\n\r\nHello, World!", received.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_ATaskHandler_AnswersJson()
    {
        var tasks = new HttpServer(async (request, cancellation) =>
        {
            var chunks = await request.Body.ToList().ToTask(cancellation).ConfigureAwait(false);
            return HttpResponse.Json(new { message = "Hello, World!", bodyBytes = chunks.Sum(c => c.Length) });
        }, scheduler);

        Send(tasks.Serve, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.EndsWith("{\"message\":\"Hello, World!\",\"bodyBytes\":0}", received.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_ServingThroughAServiceAndDraining_EndsDrained()
    {
        var server = new HttpServer(request => Observable.Return(HttpResponse.Text("Hello, World!")), scheduler);
        var service = server.Service(network.Host("server").Reactor.ServerEndpoint("tcp:8080"));
        service.Start();
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1).Ticks);

        service.Stop(TimeSpan.FromSeconds(30)).Subscribe(report => Console.WriteLine(report));

        Assert.Equal(0, service.OpenConnections);
        Assert.True(server.IsDraining);
    }

    [Fact]
    public void Guide_AnUpgradedConnectionSubscribedToDraining_IsClosedByTheDrain()
    {
        var events = new HttpServer(request => Observable.Return(HttpResponse.SwitchingProtocols("chat", connection =>
        {
            var drain = request.Draining.Subscribe(_ => connection.Close()); // dispose it when the connection ends
            connection.Input.Subscribe(connection.Output);
        })), scheduler);
        bool ended = false;
        var client = network.ConnectTo(events.Serve);
        client.Input.Subscribe(c => received.Append(Encoding.ASCII.GetString(c.Span)), () => ended = true);
        client.Output.OnNext(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: chat\r\n\r\necho;"));
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(10).Ticks);
        Assert.EndsWith("\r\n\r\necho;", received.ToString(), StringComparison.Ordinal);
        Assert.False(ended);

        events.Drain(); // the server no longer tracks the upgraded connection: only the signal reaches it
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(10).Ticks);

        Assert.True(ended);
    }

    [Fact]
    public void Guide_RequestsAsAStream_AnswersMatchedPathsAnd404TheRest()
    {
        var requests = HttpServer.Requests(listener, scheduler).Publish();
        requests.Where(e => e.Request.Path == "/plaintext").Subscribe(e => e.Respond(HttpResponse.Text("Hello, World!")));
        requests.Where(e => e.Request.Method == "POST").Subscribe(e => e.Respond(Observable.Return(HttpResponse.Status(202))));
        requests.Connect();

        Get(listener.OnNext, "/plaintext");
        Get(listener.OnNext, "/other");

        Assert.Contains("Hello, World!", received.ToString(), StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 404", received.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_Echo_StreamsTheBodyBack()
    {
        var echo = new HttpServer(request =>
        {
            request.MaxBodySize = null; // this route streams the body through, so it lifts the limit
            return Observable.Return(new HttpResponse { Body = request.Body, ContentLength = request.ContentLength });
        }, scheduler);

        Send(echo.Serve, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nping");

        Assert.EndsWith("Content-Length: 4\r\n\r\nping", received.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_Options_LowerTheBodyLimit()
    {
        var options = HttpServerOptions.Default with { MaxRequestBodySize = 1024 * 1024, MaxRequestBodyDrainSize = 64 * 1024 };

        Assert.Equal(1024 * 1024, options.MaxRequestBodySize);
    }

    [Fact]
    public void Guide_Upgrade_EchoesAfter101()
    {
        var upgrading = new HttpServer(request => Observable.Return(
            HttpResponse.SwitchingProtocols("echo", connection => connection.Input.Subscribe(connection.Output))), scheduler);

        Send(upgrading.Serve, "GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: echo\r\n\r\nhi");

        Assert.StartsWith("HTTP/1.1 101", received.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nhi", received.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_TestingInVirtualTime_AnswersAtAnExactTick()
    {
        var server = new HttpServer(request => Observable.Return(HttpResponse.Text("Hello, World!")), scheduler);

        var client = network.ConnectTo(server.Serve);
        client.Output.OnNext(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(10).Ticks);

        Assert.Equal(0, client.Output.PendingBytes);
    }

    [Fact]
    public void Guide_EveryCodeBlock_IsInThisFile() =>
        RxNet.Testing.Specs.DocSnippets.AssertEveryBlockAppearsIn("docs/http.md", "specs/RxNet.Http.Specs/Server/HttpGuideSpecs.cs");

    private void Get(Action<IConnection> serve, string path) => Send(serve, $"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");

    private void Send(Action<IConnection> serve, string request)
    {
        var client = network.ConnectTo(serve);
        client.Input.Subscribe(c => received.Append(Encoding.ASCII.GetString(c.Span)));
        client.Output.OnNext(Encoding.ASCII.GetBytes(request));
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(10).Ticks);
    }
}

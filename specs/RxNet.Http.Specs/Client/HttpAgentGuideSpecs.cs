using System.IO.Compression;
using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Http;
using RxNet.Http.Web;
using RxNet.Sockets;

namespace RxNet.Http.Specs.Client;

/// <summary>
/// The code of docs/http-client.md, compiled, and run on the simulated network in virtual time where it can be: the
/// two blocks that reach the Internet or a fixed Unix socket path (<see cref="SendOverTheInternet"/>,
/// <see cref="OneEndpointForEveryUrl"/>) are compiled only. The last spec checks that every block of the guide
/// appears here verbatim.
/// </summary>
public sealed class HttpAgentGuideSpecs
{
    private readonly TestScheduler scheduler = new();
    private readonly SimulatedNetwork network;

    public HttpAgentGuideSpecs() => network = new SimulatedNetwork(scheduler);

    [Fact]
    public void Guide_AnUploadWithExpectContinue_SendsItsBodyAfterThe100()
    {
        var received = new List<string>();
        var files = new HttpServer(request => request.Body.Aggregate(0L, (total, chunk) => total + chunk.Length)
            .Select(total =>
            {
                received.Add($"{request.Method} {request.Path} {request.Headers["Expect"]} {total}");
                return HttpResponse.Status(201);
            }), scheduler);
        using var listening = files.Listen(network.Host("files").Reactor.ServerEndpoint("tcp:80").Listen());
        using var agent = new HttpAgent(network.Host("app").Reactor);
        var fileChunks = Observable.Range(0, 4).Select(_ => (ReadOnlyMemory<byte>)new byte[1000]);
        long length = 4000;

        var upload = new HttpRequest("PUT", "http://files/report.csv", body: fileChunks) { ContentLength = length };
        upload.Headers.Set("Expect", "100-continue"); // the body waits for the 100, at most ExpectContinueTimeout (1 s)

        int? status = null;
        agent.Send(upload).Subscribe(response => status = response.StatusCode);
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(100).Ticks); // well inside ExpectContinueTimeout: the 100 came first

        Assert.Equal(201, status);
        Assert.Equal(["PUT /report.csv 100-continue 4000"], received);
    }

    [Fact]
    public async Task Guide_Upgrade_HandsTheRawConnectionOver()
    {
        var chat = new HttpServer(request => Observable.Return(
            HttpResponse.SwitchingProtocols("websocket", connection => connection.Input.Subscribe(connection.Output))), scheduler);
        using var listening = chat.Listen(network.Host("chat").Reactor.ServerEndpoint("tcp:80").Listen());
        using var agent = new HttpAgent(network.Host("app").Reactor);

        async Task<IConnection> UpgradeAsync()
        {
            var request = new HttpRequest("GET", "http://chat/ws");
            request.Headers.Set("Connection", "upgrade").Set("Upgrade", "websocket"); // plus the protocol's own fields
            var response = await agent.Send(request);
            IConnection raw = response.UpgradedConnection!; // yours to read, write and close
            return raw;
        }

        var upgrading = UpgradeAsync();
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(10).Ticks);
        var raw = await upgrading; // done already: the scheduler ran the exchange
        var echoed = new StringBuilder();
        raw.Input.Subscribe(chunk => echoed.Append(Encoding.ASCII.GetString(chunk.Span)));
        raw.Output.OnNext("ping"u8.ToArray());
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(10).Ticks);

        Assert.Equal("ping", echoed.ToString()); // the server's echo, over the connection the agent gave up
    }

    [Fact]
    public void Guide_TestingOnTheSimulatedNetwork_TheHeadersTimeoutFiresAtItsTick()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var server = new HttpServer(_ => Observable.Never<HttpResponse>(), scheduler); // a server that never answers
        using var listening = server.Listen(network.Host("api").Reactor.ServerEndpoint("tcp:80").Listen());
        using var agent = new HttpAgent(network.Host("app").Reactor,
            new HttpAgentOptions { ResponseHeadersTimeout = TimeSpan.FromSeconds(5) });

        Exception? error = null;
        agent.Get("http://api/slow").Subscribe(_ => { }, e => error = e);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);          // connect (1 ms) + 5 s is not reached yet
        Assert.Null(error);
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1).Ticks);     // now it is: 504, at its exact tick
        Assert.Equal(HttpProtocolError.ResponseHeadersTimeout, ((HttpProtocolException)error!).Error);
    }

    [Fact]
    public async Task Guide_Policies_FollowTheRedirectKeepTheCookieAndDecodeTheBody()
    {
        var cookies = new List<string?>();
        var site = new HttpServer(request =>
        {
            cookies.Add(request.Headers["Cookie"]);
            if (request.Path == "/")
            {
                var redirect = HttpResponse.Status(302);
                redirect.Headers.Set("Location", "/home").Set("Set-Cookie", "session=42; Path=/");
                return Observable.Return(redirect);
            }
            var page = new HttpResponse { Body = Observable.Return<ReadOnlyMemory<byte>>(Gzip("welcome home")) };
            page.Headers.Set("Content-Encoding", "gzip");
            return Observable.Return(page);
        }, scheduler);
        using var listening = site.Listen(network.Host("example.com").Reactor.ServerEndpoint("tcp:80").Listen());
        var app = network.Host("app").Reactor;
        // https URLs, served in plain TCP by the simulated host: the resolver decides what a URL's origin connects to.
        using var agent = new HttpAgent(app, new HttpAgentOptions { Resolve = _ => app.ClientEndpoint("tcp:host=example.com:port=80") });

        async Task<byte[]> BrowseAsync()
        {
            var jar = new CookieContainer();
            IHttpAgent browser = agent.WithCookies(jar).FollowRedirects().DecodeContent();
            byte[] page = await browser.Send(new HttpRequest("GET", "https://example.com/"))
                .SelectMany(response => response.ReadBody(maxSize: 10 * 1024 * 1024))
                .ToTask();
            return page;
        }

        var browsing = BrowseAsync();
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(100).Ticks);

        Assert.True(browsing.IsCompletedSuccessfully, browsing.Exception?.ToString());
        Assert.Equal("welcome home", Encoding.UTF8.GetString(await browsing)); // done already: await only unwraps it
        Assert.Equal([null, "session=42"], cookies); // the second hop carried the first one's cookie
    }

    [Fact]
    public async Task Guide_AReverseProxy_ForwardsUnderItsPathAndStreamsTheAnswerBack()
    {
        var backend = new HttpServer(request => Observable.Return(HttpResponse.Text($"backend saw {request.Path} for {request.Headers["Host"]}")), scheduler);
        using var backendListening = backend.Listen(network.Host("backend").Reactor.ServerEndpoint("tcp:8080").Listen());
        var reactor = network.Host("proxy").Reactor;

        using var upstream = new HttpAgent(reactor);
        var root = new Resource();
        root.PutChild("api", new ReverseProxyResource("backend", 8080, "/v1", upstream));
        var server = new HttpServer(new Site(root, reactor.Scheduler).Handle, reactor.Scheduler);

        using var listening = server.Listen(reactor.ServerEndpoint("tcp:80").Listen());
        using var client = new HttpAgent(network.Host("browser").Reactor);
        var fetching = client.Get("http://proxy/api/users/7").SelectMany(response => response.ReadBody()).ToTask();
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(100).Ticks);

        Assert.True(fetching.IsCompletedSuccessfully, fetching.Exception?.ToString());
        Assert.Equal("backend saw /v1/users/7 for backend:8080", Encoding.UTF8.GetString(await fetching));
    }

    [Fact]
    public void Guide_EveryCodeBlock_IsInThisFile() =>
        RxNet.Testing.Specs.DocSnippets.AssertEveryBlockAppearsIn("docs/http-client.md", "specs/RxNet.Http.Specs/Client/HttpAgentGuideSpecs.cs");

    /// <summary>The guide's first block, compiled only: it fetches a page from the Internet.</summary>
    internal static async Task SendOverTheInternet()
    {
        using var reactor = new SocketReactor();
        using var agent = new HttpAgent(reactor);

        HttpResponse response = await agent.Get("http://example.com/");
        Console.WriteLine($"{response.StatusCode} {response.ReasonPhrase}");
        await response.Body!.ForEachAsync(chunk => Console.Out.Write(System.Text.Encoding.UTF8.GetString(chunk.Span)));
    }

    /// <summary>The guide's agent on one endpoint, compiled only: the socket path is a server's, not a test's.</summary>
    internal static HttpAgent OneEndpointForEveryUrl(IReactor reactor)
    {
        var agent = new HttpAgent(reactor.ClientEndpoint("unix:/run/app.sock"), reactor.Scheduler);
        // every URL goes to the socket; Host still comes from the URL
        return agent;
    }

    private static byte[] Gzip(string text)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
            gzip.Write(Encoding.UTF8.GetBytes(text));
        return compressed.ToArray();
    }
}

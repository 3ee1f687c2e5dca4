using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Http;
using Xunit;

namespace RxNet.Testing.Specs;

/// <summary>
/// The porting guide's twisted.web.client section, run: its blocks appear here verbatim, each sending its requests from
/// a simulated host to an <see cref="HttpServer"/> on host <c>example.com</c>, in virtual time.
/// </summary>
public sealed class PortingGuideWebClientSpecs : IDisposable
{
    private readonly TestScheduler _scheduler = new();
    private readonly IDisposable _listening;
    private readonly IReactor reactor;
    private readonly List<string> _served = [];

#pragma warning disable IDE1006 // "reactor" is the guide's own name
    public PortingGuideWebClientSpecs()
#pragma warning restore IDE1006
    {
        var network = new SimulatedNetwork(_scheduler);
        var server = network.Host("example.com").Reactor;
        reactor = network.Host("client").Reactor;
        _listening = new HttpServer(Answer, server.Scheduler).Listen(server.ServerEndpoint("tcp:80").Listen());
    }

    public void Dispose() => _listening.Dispose();

    [Fact]
    public void Agent_GetAndReadBody_GivesThePage()
    {
        using var agent = new HttpAgent(reactor);
        IObservable<byte[]> page = agent.Get("http://example.com/")
            .SelectMany(response => response.ReadBody());

        var body = Run(page);

        Assert.Equal("<html>home</html>", Encoding.UTF8.GetString(Assert.Single(body)));
    }

    [Fact]
    public void Agent_PoolLimitsOfTwisted_BothRequestsAnswered()
    {
        using var agent = new HttpAgent(reactor, new HttpAgentOptions
        {
            MaxConnectionsPerOrigin = 2,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(240),
        });

        var pages = Run(agent.Get("http://example.com/").SelectMany(r => r.ReadBody())
            .Concat(agent.Get("http://example.com/").SelectMany(r => r.ReadBody())));

        Assert.Equal(2, pages.Count);
        Assert.Equal(2, _served.Count);
        Assert.Single(_served.Select(line => line.Split(' ')[0]).Distinct()); // one pooled connection served both
    }

    [Fact]
    public void Agent_RedirectsAndDecoding_FollowToTheDecodedPageOrRefuseAPost()
    {
        using var agent = new HttpAgent(reactor);
        IHttpAgent browser = agent.DecodeContent().FollowRedirects();
        IHttpAgent strict = agent.FollowRedirects(new HttpRedirectOptions { Strict = true });

        var followed = Run(browser.Get("http://example.com/old").SelectMany(r => r.ReadBody()));
        var refused = Assert.Throws<RxNet.Http.HttpProtocolException>(() => Run(strict.Send(new HttpRequest("POST", "http://example.com/old") { ContentLength = 0 })));

        Assert.Equal("<html>home</html>", Encoding.UTF8.GetString(Assert.Single(followed)));
        Assert.Equal(HttpProtocolError.RedirectRefused, refused.Error);
    }

    [Fact]
    public async Task Agent_PostWithABody_IsAnsweredAndReadAsATask()
    {
        IHttpAgent agent = new HttpAgent(reactor);
        var sent = Post(agent);
        _scheduler.Start();

        Assert.Equal("created {\"name\": \"rx\"}", Encoding.UTF8.GetString(await sent));
    }

    private static async Task<byte[]> Post(IHttpAgent agent)
    {
        byte[] json = """{"name": "rx"}"""u8.ToArray();
        var request = new HttpRequest("POST", "http://example.com/users", new HttpHeaders().Add("Content-Type", "application/json"),
            Observable.Return<ReadOnlyMemory<byte>>(json)) { ContentLength = json.Length };
        HttpResponse response = await agent.Send(request);
        byte[] text = await response.ReadBodyAsync();
        return text;
    }

    /// <summary>Subscribes, runs the network until nothing is left to do, and gives the values (or throws the error).</summary>
    private List<T> Run<T>(IObservable<T> source)
    {
        var values = new List<T>();
        Exception? error = null;
        using (source.Subscribe(values.Add, e => error = e))
            _scheduler.Start();
        return error is null ? values : throw error;
    }

    /// <summary>example.com: a home page (compressed when the request accepts it), a page moved to it, and /users
    /// answering a POST with its body.</summary>
    private IObservable<HttpResponse> Answer(HttpRequest request)
    {
        _served.Add($"{request.RemoteEndPoint} {request.Method} {request.Path}");
        switch (request.Path)
        {
            case "/":
                var home = HttpResponse.Text("<html>home</html>", "text/html");
                home.AllowCompression = true;
                return Observable.Return(home);
            case "/old":
                var moved = HttpResponse.Status(301);
                moved.Headers.Add("Location", "/");
                return Observable.Return(moved);
            case "/users":
                return request.Body.Aggregate(new List<byte>(), (all, chunk) => { all.AddRange(chunk.Span); return all; })
                    .Select(all => HttpResponse.Text("created " + Encoding.UTF8.GetString([.. all]), statusCode: 201));
            default:
                return Observable.Return(HttpResponse.Status(404));
        }
    }
}

using System.Net;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Http.Specs.Client;
using RxNet.Http.Web;

namespace RxNet.Http.Specs.Client.Policies;

/// <summary>The policies over a real <see cref="HttpAgent"/> and this repo's <see cref="HttpServer"/> on the simulated
/// network, in virtual time.</summary>
public sealed class PoliciesOverHttpAgentSpecs
{
    private static IObservable<HttpResponse> Redirect(int status, string location, string body = "<a>moved</a>")
    {
        var response = HttpResponse.Text(body, "text/html", status);
        response.Headers.Set("Location", location);
        return Observable.Return(response);
    }

    private static (HttpResponse? Response, string Body, Exception? Error) Fetch(AgentHarness h, IHttpAgent agent, HttpRequest request)
    {
        HttpResponse? response = null;
        Exception? error = null;
        var body = new StringBuilder();
        agent.Send(request).Subscribe(
            r =>
            {
                response = r;
                r.Body?.Subscribe(c => body.Append(Encoding.UTF8.GetString(c.Span)), e => error = e);
            },
            e => error = e);
        h.Run();
        return (response, body.ToString(), error);
    }

    [Fact]
    public void RedirectChain_IsFollowedOverOnePooledConnection_AndThePoolEndsIdle()
    {
        var seen = new List<string>();
        using var h = new AgentHarness(request =>
        {
            seen.Add($"{request.Method} {request.Target}");
            return request.Path switch
            {
                "/a" => Redirect(302, "/b"),
                "/b" => Redirect(301, "http://server/c?x=1"),
                "/c" => Redirect(303, "d"),
                _ => Observable.Return(HttpResponse.Text("end")),
            };
        });

        var (response, body, error) = Fetch(h, h.Agent.FollowRedirects(), new HttpRequest("GET", "http://server/a"));

        Assert.Null(error);
        Assert.Equal(200, response!.StatusCode);
        Assert.Equal("end", body);
        Assert.Equal("http://server/d", response.Request!.Target);
        Assert.Equal(["GET /a", "GET /b", "GET /c?x=1", "GET /d"], seen);
        AssertConnectionsWentBackToThePool(h);
    }

    [Fact]
    public void PostRedirectedWith307_IsSentAgainWithItsBody()
    {
        var bodies = new List<string>();
        using var h = new AgentHarness(request => request.Body.Aggregate(new StringBuilder(), (b, c) => b.Append(Encoding.UTF8.GetString(c.Span)))
            .SelectMany(b =>
            {
                bodies.Add($"{request.Method} {request.Path} {b}");
                return request.Path == "/form" ? Redirect(307, "/form2") : Observable.Return(HttpResponse.Text("stored"));
            }));
        var request = new HttpRequest("POST", "http://server/form", body: Observable.Return<ReadOnlyMemory<byte>>("name=rx"u8.ToArray())) { ContentLength = 7 };

        var (response, body, _) = Fetch(h, h.Agent.FollowRedirects(), request);

        Assert.Equal("stored", body);
        Assert.Equal(["POST /form name=rx", "POST /form2 name=rx"], bodies);
        AssertConnectionsWentBackToThePool(h);
        Assert.Equal(200, response!.StatusCode);
    }

    [Fact]
    public void TooManyRedirects_FailsAfterTheLimit_AndLeavesNoConnectionInUse()
    {
        int requests = 0;
        using var h = new AgentHarness(_ =>
        {
            requests++;
            return Redirect(302, "/again");
        });

        var (_, _, error) = Fetch(h, h.Agent.FollowRedirects(new HttpRedirectOptions { MaxRedirects = 5 }), new HttpRequest("GET", "http://server/start"));

        Assert.Equal(HttpProtocolError.TooManyRedirects, Assert.IsType<HttpProtocolException>(error).Error);
        Assert.Equal(6, requests);
        AssertConnectionsWentBackToThePool(h);
    }

    [Theory]
    [InlineData(null, "br")]      // offered gzip, deflate and br at equal weight: the server prefers br
    [InlineData("gzip", "gzip")]  // the caller's own Accept-Encoding is kept
    public void CompressedResponseFromTheServer_IsDecoded(string? acceptEncoding, string coding)
    {
        string text = string.Concat(Enumerable.Repeat("RxNet decodes what RxNet compressed. ", 2000));
        string? sentCoding = null;
        using var h = new AgentHarness(request =>
        {
            var response = HttpResponse.Text(text);
            response.AllowCompression = true;
            return Observable.Return(response);
        });
        var request = new HttpRequest("GET", "http://server/text");
        if (acceptEncoding is not null)
            request.Headers.Set("Accept-Encoding", acceptEncoding);
        var spy = new SpyAgent(h.Agent, r => sentCoding = r.Headers["Content-Encoding"]);

        var (response, body, error) = Fetch(h, spy.DecodeContent(), request);

        Assert.Null(error);
        Assert.Equal(coding, sentCoding);
        Assert.Equal(text, body);
        Assert.False(response!.Headers.Contains("Content-Encoding"));
        Assert.Equal(0, h.Agent.Counters.InUse);
    }

    [Fact]
    public void Cookies_SetOnARedirect_AreSentToItsTarget()
    {
        using var h = new AgentHarness(request =>
        {
            if (request.Path == "/login")
            {
                var response = HttpResponse.Text("", "text/plain", 302);
                response.Headers.Set("Location", "/home").Add("Set-Cookie", "session=s1; Path=/; HttpOnly");
                return Observable.Return(response);
            }
            return Observable.Return(HttpResponse.Text($"cookie: {request.Headers["Cookie"]}"));
        });
        var jar = new CookieContainer();

        var (_, body, _) = Fetch(h, h.Agent.WithCookies(jar).FollowRedirects(), new HttpRequest("GET", "http://server/login"));

        Assert.Equal("cookie: session=s1", body);
        Assert.Equal("session=s1", jar.GetCookieHeader(new Uri("http://server/")));
    }

    [Fact]
    public void ReadBody_OverARealAgent_GathersTheBody()
    {
        using var h = new AgentHarness(_ => Observable.Return(HttpResponse.Text(new string('x', 100_000))));
        byte[]? body = null;

        h.Agent.Send(new HttpRequest("GET", "http://server/big")).SelectMany(r => r.ReadBody(maxSize: 1_000_000)).Subscribe(b => body = b);
        h.Run();

        Assert.Equal(100_000, body!.Length);
        Assert.Equal(0, h.Agent.Counters.InUse);
    }

    [Fact]
    public void ReverseProxy_EndToEnd_StreamsTheUploadUpAndTheAnswerBack()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        HttpRequest? seenUpstream = null;
        string? uploaded = null;
        var backend = new HttpServer(request =>
        {
            seenUpstream = request;
            return request.Body.Aggregate(0L, (n, c) => n + c.Length).Select(n =>
            {
                uploaded = $"{n} bytes";
                return HttpResponse.Text($"backend saw {request.Method} {request.Target} with {n} bytes");
            });
        }, scheduler);
        using var backendListening = backend.Listen(network.Host("backend").Reactor.ServerEndpoint("tcp:8080").Listen());
        using var proxyAgent = new HttpAgent(network.Host("proxy").Reactor);
        var root = new Resource();
        root.PutChild("api", new ReverseProxyResource("backend", 8080, "/v1", proxyAgent));
        var proxy = new HttpServer(new Site(root, scheduler).Handle, scheduler);
        using var proxyListening = proxy.Listen(network.Host("proxy").Reactor.ServerEndpoint("tcp:80").Listen());
        using var client = new HttpAgent(network.Host("client").Reactor);
        var upload = Enumerable.Range(0, 64).Select(_ => (ReadOnlyMemory<byte>)new byte[4096]).ToObservable();

        string? answer = null;
        int status = 0;
        client.Send(new HttpRequest("POST", "http://proxy/api/items?id=3", body: upload))
            .Do(r => status = r.StatusCode)
            .SelectMany(r => r.ReadBody())
            .Subscribe(b => answer = Encoding.UTF8.GetString(b));
        scheduler.AdvanceBy(1000 * TimeSpan.TicksPerMillisecond);

        Assert.Equal(200, status);
        Assert.Equal("backend saw POST /v1/items?id=3 with 262144 bytes", answer);
        Assert.Equal("262144 bytes", uploaded);
        Assert.Equal("backend:8080", seenUpstream!.Headers["Host"]);
        Assert.Equal(0, proxyAgent.Counters.InUse);
    }

    [Fact]
    public void ReverseProxy_UpstreamRefusing_Answers502()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        network.Host("backend"); // nothing listens
        using var proxyAgent = new HttpAgent(network.Host("proxy").Reactor);
        var proxy = new HttpServer(new Site(new ReverseProxyResource("backend", 8080, "", proxyAgent), scheduler).Handle, scheduler);
        using var proxyListening = proxy.Listen(network.Host("proxy").Reactor.ServerEndpoint("tcp:80").Listen());
        using var client = new HttpAgent(network.Host("client").Reactor);

        int status = 0;
        client.Send(new HttpRequest("GET", "http://proxy/x")).Subscribe(r =>
        {
            status = r.StatusCode;
            r.Body?.Subscribe();
        });
        scheduler.AdvanceBy(1000 * TimeSpan.TicksPerMillisecond);

        Assert.Equal(502, status);
    }

    /// <summary>Every redirect's body was read to its end, so no exchange was abandoned: no connection closed, every
    /// one is idle in the pool, and the hops shared them (the agent delivers a body's end just before it takes the
    /// connection back, so the hop sent from that very callback opens a second one; the later hops reuse them).</summary>
    private static void AssertConnectionsWentBackToThePool(AgentHarness h)
    {
        Assert.Equal(0, h.ServerConnectionsClosed);
        Assert.Equal(0, h.Agent.Counters.InUse);
        Assert.Equal(h.ServerConnections.Count, h.Agent.Counters.Idle);
        Assert.InRange(h.ServerConnections.Count, 1, 2);
    }

    /// <summary>Passes every response of an agent through, showing it to the spec first.</summary>
    private sealed class SpyAgent(IHttpAgent agent, Action<HttpResponse> see) : IHttpAgent
    {
        public System.Reactive.Concurrency.IScheduler Scheduler => agent.Scheduler;

        public IObservable<HttpResponse> Send(HttpRequest request) => agent.Send(request).Do(see);
    }
}

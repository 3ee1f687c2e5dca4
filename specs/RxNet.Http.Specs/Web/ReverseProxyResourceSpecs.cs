using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Reactive.Testing;
using RxNet.Http.Specs.Client.Policies;
using RxNet.Http.Web;

namespace RxNet.Http.Specs.Web;

public sealed class ReverseProxyResourceSpecs
{
    private readonly TestScheduler _scheduler = new();

    private Site ProxySite(IHttpAgent agent, string host = "backend", int port = 8080, string path = "/v1")
    {
        var root = new Resource();
        root.PutChild("api", new ReverseProxyResource(host, port, path, agent));
        return new Site(root, _scheduler);
    }

    [Theory]
    [InlineData("/api/users/7?x=1&y=2", 8080, "http://backend:8080/v1/users/7?x=1&y=2", "backend:8080")]
    [InlineData("/api", 80, "http://backend/v1", "backend")]
    [InlineData("/api/", 80, "http://backend/v1/", "backend")]
    [InlineData("/api/a%20b/c%2Fd", 8080, "http://backend:8080/v1/a%20b/c%2Fd", "backend:8080")]
    public void Request_IsForwardedUnderThePath_WithHostRewrittenAsTwistedDoes(string target, int port, string upstream, string host)
    {
        var agent = new FakeAgent(_ => FakeAgent.Ok());
        var headers = new HttpHeaders().Set("Host", "proxy.example").Set("Accept", "text/plain");

        var exchange = WebExchange.Send(ProxySite(agent, port: port), "GET", target, headers);

        Assert.Equal(200, exchange.Status);
        Assert.Equal(upstream, agent.Sent[0].Target);
        Assert.Equal(host, agent.Sent[0].Headers["Host"]);
        Assert.Single(agent.Sent[0].Headers.GetValues("Host"));
        Assert.Equal("text/plain", agent.Sent[0].Headers["Accept"]);
    }

    [Fact]
    public void HopByHopFields_AreNotForwarded_EndToEndOnesAre()
    {
        var agent = new FakeAgent(_ => FakeAgent.Ok());
        var headers = new HttpHeaders()
            .Set("Connection", "keep-alive, X-Hop").Set("X-Hop", "1").Set("Keep-Alive", "timeout=5").Set("TE", "trailers")
            .Set("Upgrade", "websocket").Set("Proxy-Authorization", "Basic eA==").Set("Authorization", "Bearer t").Set("X-End", "2");

        WebExchange.Send(ProxySite(agent), "GET", "/api/x", headers);

        var sent = agent.Sent[0].Headers;
        foreach (string name in (string[])["Connection", "X-Hop", "Keep-Alive", "TE", "Upgrade", "Proxy-Authorization"])
            Assert.False(sent.Contains(name), name);
        Assert.Equal("Bearer t", sent["Authorization"]);
        Assert.Equal("2", sent["X-End"]);
    }

    [Fact]
    public void Response_StatusFieldsAndBody_AreRelayed_WithoutItsHopByHopFields()
    {
        var agent = new FakeAgent(_ =>
        {
            var response = new HttpResponse(201) { Body = new TrackedBody("created"), ContentLength = 7 };
            response.Headers.Set("Content-Type", "text/plain").Set("Connection", "close").Set("Keep-Alive", "timeout=5").Set("X-Backend", "b1");
            return response;
        });

        var exchange = WebExchange.Send(ProxySite(agent), "POST", "/api/things");

        Assert.Equal(201, exchange.Status);
        Assert.Equal("created", exchange.Text);
        Assert.True(exchange.Completed);
        Assert.Equal(7, exchange.Response!.ContentLength);
        Assert.Equal("text/plain", exchange.Header("Content-Type"));
        Assert.Equal("b1", exchange.Header("X-Backend"));
        Assert.Null(exchange.Header("Connection"));
        Assert.Null(exchange.Header("Keep-Alive"));
    }

    [Fact]
    public void Response_RepeatedFields_AreAllRelayed()
    {
        var agent = new FakeAgent(_ =>
        {
            var response = FakeAgent.Ok();
            response.Headers.Add("Set-Cookie", "a=1").Add("Set-Cookie", "b=2");
            return response;
        });

        var exchange = WebExchange.Send(ProxySite(agent), "GET", "/api/login");

        Assert.Equal(["a=1", "b=2"], exchange.Response!.Headers.GetValues("Set-Cookie"));
    }

    [Fact]
    public void RequestBody_IsHandedUpstreamAsTheStreamItIs()
    {
        var agent = new FakeAgent(_ => FakeAgent.Ok(), readsBodies: false);
        var upload = new Subject<ReadOnlyMemory<byte>>();
        var request = new HttpRequest("PUT", "/api/file", new HttpHeaders().Set("Content-Length", "5").Set("Expect", "100-continue"), upload) { ContentLength = 5 };

        WebExchange.Send(ProxySite(agent), request);

        Assert.Same(upload, agent.Sent[0].Body); // nothing buffered: the upstream reads the client's stream
        Assert.Equal(5, agent.Sent[0].ContentLength);
        Assert.False(agent.Sent[0].Headers.Contains("Content-Length"));
        Assert.False(agent.Sent[0].Headers.Contains("Expect"));
    }

    [Fact]
    public void UpstreamUnreachable_Answers502()
    {
        var agent = new FailingAgent(new ConnectionRefusedException("Connection refused by backend:8080"));

        var exchange = WebExchange.Send(ProxySite(agent), "GET", "/api/x");

        Assert.Equal(502, exchange.Status);
        Assert.Contains("Bad Gateway", exchange.Text, StringComparison.Ordinal);
        Assert.True(exchange.Completed);
    }

    [Fact]
    public void UpstreamFailingMidBody_FailsTheClientsBody()
    {
        var body = new Subject<ReadOnlyMemory<byte>>();
        var agent = new FakeAgent(_ => new HttpResponse { Body = body });
        var exchange = WebExchange.Send(ProxySite(agent), "GET", "/api/x");

        body.OnNext("part"u8.ToArray());
        body.OnError(new ConnectionResetException("reset"));

        Assert.Equal(200, exchange.Status);
        Assert.Equal("part", exchange.Text);
        Assert.IsType<ConnectionResetException>(exchange.BodyError);
    }

    [Fact]
    public void SlowClient_PausesTheUpstreamBody_AndResumesIt()
    {
        var upstream = new PausableSource();
        var agent = new FakeAgent(_ => new HttpResponse { Body = upstream });
        var demand = new BehaviorSubject<bool>(true);
        var exchange = WebExchange.Send(ProxySite(agent), new HttpRequest("GET", "/api/big"), demand);

        upstream.Push(new byte[100]);
        demand.OnNext(false); // the client's connection is full
        Assert.False(upstream.Demand[^1]);

        demand.OnNext(true);
        upstream.Push(new byte[100]);
        upstream.Complete();

        Assert.True(upstream.Demand[^1]);
        Assert.Equal(200, exchange.Body.Length);
        Assert.True(exchange.Completed);
    }

    [Fact]
    public void ClientGoingAway_DropsTheUpstreamExchange()
    {
        var upstream = new PausableSource();
        var agent = new FakeAgent(_ => new HttpResponse { Body = upstream });
        var exchange = WebExchange.Send(ProxySite(agent), new HttpRequest("GET", "/api/big"), new BehaviorSubject<bool>(true));
        upstream.Push(new byte[10]);

        exchange.Disconnect();

        Assert.True(upstream.Disposed);
    }

    [Fact]
    public void ClientGoingAway_BeforeTheUpstreamAnswers_DisposesTheUpstreamRequest()
    {
        bool disposed = false;
        var agent = new LambdaAgent(_ => Observable.Never<HttpResponse>().Finally(() => disposed = true));
        var exchange = WebExchange.Send(ProxySite(agent), "GET", "/api/slow");

        exchange.Disconnect();

        Assert.True(disposed);
    }

    private sealed class FailingAgent(Exception error) : IHttpAgent
    {
        public System.Reactive.Concurrency.IScheduler Scheduler => System.Reactive.Concurrency.ImmediateScheduler.Instance;

        public IObservable<HttpResponse> Send(HttpRequest request) => Observable.Throw<HttpResponse>(error);
    }

    private sealed class LambdaAgent(Func<HttpRequest, IObservable<HttpResponse>> send) : IHttpAgent
    {
        public System.Reactive.Concurrency.IScheduler Scheduler => System.Reactive.Concurrency.ImmediateScheduler.Instance;

        public IObservable<HttpResponse> Send(HttpRequest request) => send(request);
    }
}

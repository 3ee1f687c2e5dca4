using System.Reactive;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RxNet.Http.Client.Internal;

namespace RxNet.Http.Specs.Client;

/// <summary>An origin's pool leaves the agent once it is empty; a connection made for a request that left serves the
/// next one.</summary>
public sealed class HttpAgentPoolLifetimeSpecs
{
    private const long Ms = AgentHarness.Ms;

    private static readonly HttpOrigin s_server = new("http", "server", 80);

    private static IObservable<HttpResponse> Text(string text) => Observable.Return(HttpResponse.Text(text));

    [Fact]
    public void ThousandOrigins_OnceTheirIdleConnectionsTimeOut_TheAgentHoldsNoPool_AndItsMetricsAreZero()
    {
        using var meterFactory = new IsolatedMeterFactory();
        using var connections = new MetricCollector<long>(meterFactory, RxNetMetrics.MeterName, RxNetMetrics.HttpClientConnections);
        using var waiting = new MetricCollector<long>(meterFactory, RxNetMetrics.MeterName, RxNetMetrics.HttpClientRequestsWaiting);
        using var h = new AgentHarness(_ => Text("x"));
        // Every URL's host is a distinct origin (its own pool); all of them reach the one simulated server.
        using var agent = new HttpAgent(h.Network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=80"), h.Scheduler,
            new HttpAgentOptions { MeterFactory = meterFactory, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10) });
        var bodies = new List<byte[]>();
        for (int i = 0; i < 1000; i++)
            agent.Get($"http://origin{i}/").SelectMany(response => response.ReadBody(16)).Subscribe(bodies.Add);
        h.Run(100 * Ms);
        Assert.Equal(1000, bodies.Count);
        Assert.Equal(1000, h.ServerConnections.Count);
        Assert.Equal((1000, 1000), (agent.PoolCount, agent.Counters.Idle));

        h.Run(10_000 * Ms);

        Assert.Equal(0, agent.PoolCount);
        Assert.Equal((0, 0, 0, 0), (agent.Counters.Open, agent.Counters.InUse, agent.Counters.Connecting, agent.Counters.Waiting));
        Assert.Equal(0, connections.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(0, waiting.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1000, h.ServerConnectionsClosed);
    }

    [Fact]
    public void PoolWhoseLastConnectionTheServerCloses_LeavesTheAgent_AndTheNextRequestGetsANewOne()
    {
        using var h = new AgentHarness(_ => Text("x"), serverOptions: new HttpServerOptions { KeepAliveTimeout = TimeSpan.FromSeconds(5) });
        h.Get("/");
        h.Run(10 * Ms);
        var first = h.Agent.PoolFor(s_server);
        h.Run(10_000 * Ms);
        Assert.Equal(0, h.Agent.PoolCount);
        Assert.True(first.IsRetired);
        var x = h.Get("/");
        h.Run(10 * Ms);
        Assert.Equal("x", x.Body);
        Assert.Equal(1, h.Agent.PoolCount);
        Assert.NotSame(first, h.Agent.PoolFor(s_server));
    }

    [Fact]
    public void PoolWithARequestWaiting_DoesNotRetireWhenItsLastConnectionCloses()
    {
        using var h = new AgentHarness(_ => Observable.Never<HttpResponse>(), new HttpAgentOptions { MaxConnectionsPerOrigin = 1 });
        var stuck = h.Get("/");
        var next = h.Get("/");
        h.Run(10 * Ms);
        var pool = h.Agent.PoolFor(s_server);
        stuck.Subscription!.Dispose(); // aborts the only connection: the pool connects again for the one waiting
        h.Run(10 * Ms);
        Assert.False(pool.IsRetired);
        Assert.Same(pool, h.Agent.PoolFor(s_server));
        Assert.Equal((1, 0), (h.Agent.Counters.InUse, h.Agent.Counters.Waiting));
        Assert.Equal(2, h.ServerConnections.Count);
        Assert.Null(next.Error);
    }

    [Fact]
    public void RequestReachingItsPoolJustAsItRetires_IsServedByTheOriginsNextPool_AndTheCapHolds()
    {
        using var h = new AgentHarness(_ => Text("x"), new HttpAgentOptions { MaxConnectionsPerOrigin = 1, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10) });
        var first = h.Get("/");
        h.Run(10 * Ms);
        long expiry = first.BodyEndedAt!.Value + (10_000 * Ms);
        h.Scheduler.AdvanceTo(expiry - 1);
        var found = h.Agent.PoolFor(s_server); // the request looks its origin's pool up (one idle connection)...
        h.Scheduler.AdvanceTo(expiry); // ...the idle connection times out and the now empty pool retires...
        Assert.True(found.IsRetired);

        var body = new StringBuilder();
        Exception? error = null;
        using var late = h.Agent.Start(new SendObservable(h.Agent, new HttpRequest("GET", "http://server/"), s_server, "/", "server"),
            Observer.Create<HttpResponse>(r => r.Body!.Subscribe(c => body.Append(Encoding.Latin1.GetString(c.Span))), e => error = e),
            found); // ...and only then does the request reach it

        var next = h.Agent.PoolFor(s_server);
        Assert.NotSame(found, next);
        Assert.Equal(1, h.Agent.PoolCount);
        Assert.Equal((0, 1), (h.Agent.Counters.Open, h.Agent.Counters.Connecting)); // the cap of 1 holds across both pools
        h.Run(10 * Ms);
        Assert.Null(error);
        Assert.Equal("x", body.ToString());
        Assert.Equal((1, 1), (h.Agent.Counters.Open, h.Agent.Counters.Idle));
        Assert.Equal(2, h.ServerConnections.Count);
        Assert.Equal(1, h.ServerConnectionsClosed);
    }

    [Fact]
    public void RequestLeavingWhileItsConnectionIsMade_TheConnectionServesTheNextInLine()
    {
        var targets = new List<string>();
        using var h = new AgentHarness(r =>
        {
            targets.Add(r.Target);
            return Text("x");
        }, new HttpAgentOptions { MaxConnectionsPerOrigin = 1 });
        var leaving = h.Get("/leaving");
        var next = h.Get("/next");
        Assert.Equal((1, 1), (h.Agent.Counters.Connecting, h.Agent.Counters.Waiting));
        leaving.Subscription!.Dispose();
        h.Run(10 * Ms);
        Assert.Equal("x", next.Body);
        Assert.Equal(["/next"], targets);
        Assert.Single(h.ServerConnections);
        Assert.Equal(0, h.ServerConnectionsClosed);
        Assert.Null(leaving.Response);
        Assert.Null(leaving.Error);
    }

    [Fact]
    public void RequestLeavingWhileItsConnectionIsMade_TheConnectionGoesIdle_AndClosesAtItsIdleTimeout()
    {
        using var h = new AgentHarness(_ => Text("x"), new HttpAgentOptions { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10) });
        var leaving = h.Get("/");
        leaving.Subscription!.Dispose();
        h.Run(10 * Ms);
        Assert.Equal((1, 0), (h.Agent.Counters.Idle, h.Agent.Counters.InUse));
        Assert.Single(h.ServerConnections);
        h.Run(10_000 * Ms); // never used, yet timed like any idle connection
        Assert.Equal(0, h.Agent.Counters.Open);
        Assert.Equal(0, h.Agent.PoolCount);
        Assert.Equal(1, h.ServerConnectionsClosed);
    }
}

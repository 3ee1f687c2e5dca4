using System.Diagnostics.Metrics;
using System.Reactive.Linq;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace RxNet.Http.Specs.Client;

public sealed class HttpAgentPoolSpecs
{
    private const long Ms = AgentHarness.Ms;

    private static IObservable<HttpResponse> Text(string text) => Observable.Return(HttpResponse.Text(text));

    [Fact]
    public void MaxConnectionsPerOrigin_MakesTheRestWaitForAFreeConnection()
    {
        var answers = new List<System.Reactive.Subjects.Subject<HttpResponse>>();
        using var h = new AgentHarness(_ =>
        {
            var answer = new System.Reactive.Subjects.Subject<HttpResponse>();
            answers.Add(answer);
            return answer;
        }, new HttpAgentOptions { MaxConnectionsPerOrigin = 2 });
        var xs = Enumerable.Range(0, 3).Select(i => h.Get($"/{i}")).ToList();
        h.Run(10 * Ms);
        Assert.Equal(2, h.ServerConnections.Count);
        Assert.Equal((2, 1), (h.Agent.Counters.InUse, h.Agent.Counters.Waiting));
        answers[0].OnNext(HttpResponse.Text("first"));
        h.Run(10 * Ms);
        Assert.Equal(3, answers.Count); // the third went out on the freed connection
        Assert.Equal(2, h.ServerConnections.Count);
        Assert.Equal(0, h.Agent.Counters.Waiting);
    }

    [Fact]
    public void MaxPendingRequestsPerOrigin_FailsOneMoreAtOnce()
    {
        using var h = new AgentHarness(_ => Observable.Never<HttpResponse>(), new HttpAgentOptions { MaxConnectionsPerOrigin = 1, MaxPendingRequestsPerOrigin = 2 });
        var xs = Enumerable.Range(0, 4).Select(_ => h.Get("/")).ToList();
        Assert.Equal(HttpProtocolError.TooManyPendingRequests, Assert.IsType<HttpProtocolException>(xs[3].Error).Error);
        Assert.All(xs.Take(3), x => Assert.Null(x.Error));
        Assert.Equal(2, h.Agent.Counters.Waiting);
        xs[1].Subscription!.Dispose(); // leaving the line frees a place
        Assert.Equal(1, h.Agent.Counters.Waiting);
        Assert.Null(h.Get("/").Error);
    }

    [Fact]
    public void PooledConnectionIdleTimeout_ClosesTheIdleConnectionAtItsTick()
    {
        using var h = new AgentHarness(_ => Text("x"), new HttpAgentOptions { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10) });
        var x = h.Get("/");
        h.Run(10 * Ms);
        Assert.True(x.BodyCompleted);
        long idleSince = x.BodyEndedAt!.Value;
        h.Scheduler.AdvanceTo(idleSince + (10_000 * Ms) - 1);
        Assert.Equal(1, h.Agent.Counters.Idle);
        h.Scheduler.AdvanceTo(idleSince + (10_000 * Ms));
        Assert.Equal(0, h.Agent.Counters.Open);
        h.Run(10 * Ms);
        Assert.Equal(1, h.ServerConnectionsClosed);
    }

    [Fact]
    public void ServerClosingAnIdleConnection_TakesItOutOfThePool()
    {
        using var h = new AgentHarness(_ => Text("x"), serverOptions: new HttpServerOptions { KeepAliveTimeout = TimeSpan.FromSeconds(5) });
        h.Get("/");
        h.Run(10_000 * Ms);
        Assert.Equal(0, h.Agent.Counters.Open);
        var x = h.Get("/");
        h.Run(10 * Ms);
        Assert.Equal("x", x.Body);
        Assert.Equal(2, h.ServerConnections.Count);
    }

    [Fact]
    public void StalePooledConnection_IdempotentRequestIsRetriedOnceOnANewConnection()
    {
        int heads = 0;
        using var h = new AgentHarness((c, _) =>
        {
            if (++heads == 2)
            {
                c.Close(); // the server had given up on this connection: closed with no answer
                return;
            }
            AgentHarness.Write(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
        h.Get("/");
        h.Run(10 * Ms);
        var x = h.Get("/");
        h.Run(10 * Ms);
        Assert.Null(x.Error);
        Assert.Equal("ok", x.Body);
        Assert.Equal(2, h.ServerConnections.Count);
        Assert.Equal(3, heads);
    }

    [Fact]
    public void StalePooledConnection_PostIsNotRetried()
    {
        int heads = 0;
        using var h = new AgentHarness((c, _) =>
        {
            if (++heads == 2)
            {
                c.Close();
                return;
            }
            AgentHarness.Write(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
        h.Get("/");
        h.Run(10 * Ms);
        var x = h.Send(new HttpRequest("POST", "http://server/", body: Observable.Return((ReadOnlyMemory<byte>)"b"u8.ToArray())) { ContentLength = 1 });
        h.Run(10 * Ms);
        Assert.Equal(HttpProtocolError.ResponseEndedEarly, Assert.IsType<HttpProtocolException>(x.Error).Error);
        Assert.Equal(2, heads);
        Assert.Single(h.ServerConnections);
    }

    [Fact]
    public void StalePooledConnection_ASecondFailureIsNotRetriedAgain()
    {
        int heads = 0;
        using var h = new AgentHarness((c, _) =>
        {
            if (++heads >= 2)
            {
                c.Close();
                return;
            }
            AgentHarness.Write(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
        h.Get("/");
        h.Run(10 * Ms);
        var x = h.Get("/");
        h.Run(10 * Ms);
        Assert.IsType<HttpProtocolException>(x.Error);
        Assert.Equal(3, heads);
        Assert.Equal(0, h.Agent.Counters.Open);
    }

    [Fact]
    public void CancelBeforeTheHead_AbortsTheConnection()
    {
        using var h = new AgentHarness(_ => Observable.Never<HttpResponse>());
        var x = h.Get("/");
        h.Run(10 * Ms);
        Assert.Equal(1, h.Agent.Counters.InUse);
        x.Subscription!.Dispose();
        h.Run(10 * Ms);
        Assert.Equal(0, h.Agent.Counters.Open);
        Assert.Equal(1, h.ServerConnectionsClosed);
        Assert.Null(x.Error);
    }

    [Fact]
    public void CancelMidBody_AbortsTheConnection()
    {
        using var h = new AgentHarness((c, _) => AgentHarness.Write(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
        var x = h.Get("/");
        h.Run(10 * Ms);
        Assert.Equal("abc", x.Body);
        x.BodySubscription!.Dispose();
        h.Run(10 * Ms);
        Assert.Equal(0, h.Agent.Counters.Open);
        Assert.Equal(1, h.ServerConnectionsClosed);
    }

    [Fact]
    public void DiscardBody_DrainsASmallRestAndReusesTheConnection()
    {
        using var h = new AgentHarness(_ => Text(new string('x', 5000)));
        var x = h.Get("/", readBody: false);
        h.Run(10 * Ms);
        x.Response!.DiscardBody();
        h.Run(10 * Ms);
        Assert.Equal(1, h.Agent.Counters.Idle);
        h.Get("/");
        h.Run(10 * Ms);
        Assert.Single(h.ServerConnections);
    }

    [Fact]
    public void DiscardBody_ClosesInsteadWhenTheRestIsOverTheDrainLimit()
    {
        using var h = new AgentHarness(_ => Text(new string('x', 5000)), new HttpAgentOptions { MaxResponseDrainSize = 1000 });
        var x = h.Get("/", readBody: false);
        h.Run(10 * Ms);
        x.Response!.DiscardBody();
        h.Run(10 * Ms);
        Assert.Equal(0, h.Agent.Counters.Open);
        Assert.Equal(1, h.ServerConnectionsClosed);
    }

    [Fact]
    public void DiscardBody_ClosesWhenTheDrainTakesLongerThanItsTimeout()
    {
        using var h = new AgentHarness((c, _) => AgentHarness.Write(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"),
            new HttpAgentOptions { ResponseDrainTimeout = TimeSpan.FromSeconds(2) });
        var x = h.Get("/", readBody: false);
        h.Run(10 * Ms);
        x.Response!.DiscardBody();
        long discardedAt = h.Scheduler.Clock;
        h.Scheduler.AdvanceTo(discardedAt + (2000 * Ms) - 1);
        Assert.Equal(1, h.Agent.Counters.InUse);
        h.Scheduler.AdvanceTo(discardedAt + (2000 * Ms));
        Assert.Equal(0, h.Agent.Counters.Open);
    }

    [Fact]
    public void UnreadBody_PausesTheServer_ItsWriterSeesWritableFalse()
    {
        var writable = new List<bool>();
        var body = new PausableTestBody(16 * 1024, total: 16 * 1024 * 1024);
        using var h = new AgentHarness(_ => Observable.Return(new HttpResponse { Body = body }));
        var x = h.Get("/", readBody: false);
        h.Run(10 * Ms);
        h.ServerConnections[0].Output.Writable.Subscribe(writable.Add);
        h.Run(1000 * Ms);
        Assert.False(writable[^1]);
        Assert.True(body.Paused);
        Assert.True(body.Sent < 1024 * 1024, $"the server produced {body.Sent} bytes nobody read");
        var demand = new System.Reactive.Subjects.BehaviorSubject<bool>(true);
        x.ReadBody(demand);
        h.Run(10_000 * Ms);
        Assert.True(x.BodyCompleted, $"read {x.Body.Length} bytes");
        Assert.Equal(16 * 1024 * 1024, x.Body.Length);
    }

    [Fact]
    public void Counters_AndMetrics_FollowThePoolAndReturnToZero()
    {
        using var meterFactory = new IsolatedMeterFactory();
        using var h = new AgentHarness(_ => Text("x"), new HttpAgentOptions { MeterFactory = meterFactory, MaxConnectionsPerOrigin = 1 });
        using var connections = new MetricCollector<long>(meterFactory, RxNetMetrics.MeterName, RxNetMetrics.HttpClientConnections);
        using var waiting = new MetricCollector<long>(meterFactory, RxNetMetrics.MeterName, RxNetMetrics.HttpClientRequestsWaiting);
        h.Get("/");
        h.Get("/");
        Assert.Equal(1, waiting.GetMeasurementSnapshot().EvaluateAsCounter());
        h.Run(10 * Ms);
        Assert.Equal((1, 1, 0, 0), (h.Agent.Counters.Open, h.Agent.Counters.Idle, h.Agent.Counters.InUse, h.Agent.Counters.Waiting));
        var snapshot = connections.GetMeasurementSnapshot();
        Assert.Equal(1, snapshot.Where(m => m.Tags[RxNetMetrics.StateTag] is "idle").Sum(m => m.Value));
        Assert.Equal(0, snapshot.Where(m => m.Tags[RxNetMetrics.StateTag] is "in_use").Sum(m => m.Value));
        Assert.Equal(0, waiting.GetMeasurementSnapshot().EvaluateAsCounter());
        h.Agent.Dispose();
        Assert.Equal(0, h.Agent.Counters.Open);
        Assert.Equal(0, connections.GetMeasurementSnapshot().EvaluateAsCounter());
    }
}

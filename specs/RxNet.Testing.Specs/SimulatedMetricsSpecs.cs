using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Reactive.Testing;
using Xunit;

namespace RxNet.Testing.Specs;

/// <summary>The simulated network publishes the same <see cref="RxNetMetrics"/> instruments as sockets, so
/// metric-driven behaviour (and dashboards' queries) can be specified in virtual time.</summary>
public sealed class SimulatedMetricsSpecs : IDisposable
{
    private readonly TestScheduler _scheduler = new();
    private readonly IsolatedMeterFactory _meters = new();

    [Fact]
    public void Echo_OneMessageThenCleanClose_CountsBothEndsTheirBytesAndTheirCloseReasons()
    {
        var network = new SimulatedNetwork(_scheduler) { MeterFactory = _meters };
        using var opened = Collect(RxNetMetrics.ConnectionsOpened);
        using var active = Collect(RxNetMetrics.ConnectionsActive);
        using var closed = Collect(RxNetMetrics.ConnectionsClosed);
        using var received = Collect(RxNetMetrics.BytesReceived);
        using var sent = Collect(RxNetMetrics.BytesSent);
        var client = network.ConnectTo(server => server.Input.Subscribe(server.Output));
        client.Input.Subscribe(_ => { });

        client.Output.OnNext("hello"u8.ToArray());
        client.Output.OnCompleted();
        _scheduler.Start();

        Assert.Equal(["client", "server"], opened.GetMeasurementSnapshot().Select(m => (string)m.Tags[RxNetMetrics.SideTag]!).Order());
        Assert.Equal(0, active.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(
            ["client:LocalClose", "server:PeerClose"],
            closed.GetMeasurementSnapshot().Select(m => $"{m.Tags[RxNetMetrics.SideTag]}:{m.Tags[RxNetMetrics.ReasonTag]}").Order());
        Assert.Equal(10, received.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(10, sent.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public void Echo_ClientNeverReads_ServerInputPausesOnceAndStaysPaused()
    {
        var network = new SimulatedNetwork(_scheduler) { MeterFactory = _meters };
        using var pauses = Collect(RxNetMetrics.InputPauses);
        var client = network.ConnectTo(server => server.Input.Subscribe(server.Output));

        for (int i = 0; i < 64; i++)
            client.Output.OnNext(new byte[16 * 1024]); // 1 MiB; the echo comes back to nobody
        _scheduler.Start();

        Assert.Equal(1, pauses.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    public void Dispose() => _meters.Dispose();

    private MetricCollector<long> Collect(string instrument) => new(_meters, RxNetMetrics.MeterName, instrument);
}

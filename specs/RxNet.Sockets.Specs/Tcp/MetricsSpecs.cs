using System.Diagnostics.Metrics;
using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RxNet.Testing;
using Xunit;

namespace RxNet.Sockets.Specs.Tcp;

/// <summary>The <see cref="RxNetMetrics"/> instruments of TCP connections, seen through a meter factory of
/// the spec's own, so that connections of other specs running meanwhile do not count.</summary>
[Trait("Category", "Integration")]
public sealed class MetricsSpecs : IDisposable
{
    private readonly IsolatedMeterFactory _meters = new();

    [Fact]
    public async Task Echo_OneMessageThenCleanClose_CountsBothEndsTheirBytesAndTheirCloseReasons()
    {
        var options = new TcpOptions { MeterFactory = _meters };
        using var opened = Collect(RxNetMetrics.ConnectionsOpened);
        using var active = Collect(RxNetMetrics.ConnectionsActive);
        using var closed = Collect(RxNetMetrics.ConnectionsClosed);
        using var received = Collect(RxNetMetrics.BytesReceived);
        using var sent = Collect(RxNetMetrics.BytesSent);
        using var server = await LoopbackServer.StartAsync(c => c.Input.Subscribe(c.Output), options: options);
        var client = await Peer.ConnectAsync(server.EndPoint, options);
        var accepted = await server.NextAsync();
        var reply = client.Input.Aggregate(0, (n, chunk) => n + chunk.Length).ToTask();

        client.Output.OnNext("hello"u8.ToArray());
        client.Output.OnCompleted();
        Assert.Equal(5, await reply.Within());
        await client.ClosedWithin();
        await accepted.ClosedWithin();

        Assert.Equal(["client", "server"], opened.GetMeasurementSnapshot().Select(m => (string)m.Tags[RxNetMetrics.SideTag]!).Order());
        Assert.Equal(0, active.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(
            ["client:LocalClose", "server:PeerClose"],
            closed.GetMeasurementSnapshot().Select(m => $"{m.Tags[RxNetMetrics.SideTag]}:{m.Tags[RxNetMetrics.ReasonTag]}").Order());
        Assert.Equal(10, received.GetMeasurementSnapshot().Sum(m => m.Value)); // 5 to the server, 5 back
        Assert.Equal(10, sent.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task Echo_ClientNeverReads_ServerInputPauseIsCounted()
    {
        var options = new TcpOptions { MeterFactory = _meters };
        using var pauses = Collect(RxNetMetrics.InputPauses);
        using var server = await LoopbackServer.StartAsync(c => c.Input.Subscribe(c.Output), options: options);
        using var client = await Peer.ConnectRawAsync(server.EndPoint);

        // The echo comes back to a client that never reads: the server's output fills, and its input pauses.
        var sending = client.SendRandomAsync(total: 64L * 1024 * 1024, seed: 5, maxWrite: 64 * 1024);
        await pauses.WaitForMeasurementsAsync(minCount: 1, TimeSpan.FromSeconds(30));

        Assert.True(pauses.GetMeasurementSnapshot().Sum(m => m.Value) >= 1);
        client.Close(); // the sender is stuck behind the full buffers; closing ends it
        await Assert.ThrowsAnyAsync<Exception>(() => sending);
    }

    [Fact]
    public async Task Metrics_NoFactoryGiven_ArePublishedOnTheProcessWideRxNetMeter()
    {
        var seen = new TaskCompletionSource<Instrument>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == RxNetMetrics.MeterName && instrument.Meter.Scope is null && instrument.Name == RxNetMetrics.ConnectionsOpened)
                    seen.TrySetResult(instrument);
            },
        };
        listener.Start();
        using var server = await LoopbackServer.StartAsync();
        using var client = await Peer.ConnectAsync(server.EndPoint);

        Assert.Equal("{connection}", (await seen.Task.Within()).Unit);
    }

    public void Dispose() => _meters.Dispose();

    private MetricCollector<long> Collect(string instrument) => new(_meters, RxNetMetrics.MeterName, instrument);
}

using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RxNet.Sockets;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Hosting.Specs;

/// <summary><see cref="RxNetServer"/>s in a Generic Host, on real sockets on 127.0.0.1, with real TCP clients.</summary>
[Trait("Category", "Integration")]
public sealed class RxNetServerSpecs
{
    private const string Loopback = "tcp:0:interface=127.0.0.1";

    [Fact]
    public async Task AddRxNetServer_Echo_ServesARealClientWhileTheHostRuns()
    {
        var builder = HostedEcho.Builder();
        builder.Services.AddRxNetServer(Loopback, HostedEcho.Echo);
        using var host = builder.Build();
        await host.StartAsync(HostedEcho.Timeout());

        using (var client = await HostedEcho.ConnectAsync(host.Server().Port()))
            Assert.Equal("hello, host", await client.RoundTripAsync("hello, host"));

        await host.StopAsync(HostedEcho.Timeout());
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)host.Server().BoundEndPoint!).Address);
    }

    [Fact]
    public async Task StopAsync_IdleConnectionOpenPastTheDeadline_AbortsItReportsItAndLogsAWarning()
    {
        var builder = HostedEcho.Builder();
        builder.Services.AddRxNetServer(Loopback, HostedEcho.Echo, o => o.DrainTimeout = TimeSpan.FromMilliseconds(200));
        using var host = builder.Build();
        await host.StartAsync(HostedEcho.Timeout());
        using var client = await HostedEcho.ConnectAsync(host.Server().Port());
        Assert.Equal("idle soon", await client.RoundTripAsync("idle soon"));

        await host.StopAsync(HostedEcho.Timeout());

        var report = host.Server().LastDrain;
        Assert.NotNull(report);
        Assert.Equal(DrainOutcome.DeadlineHit, report.Outcome);
        Assert.Equal(0, report.Finished);
        Assert.Equal([client.Client.LocalEndPoint], report.Aborted);
        var reset = await Assert.ThrowsAnyAsync<IOException>(() => client.GetStream().ReadAsync(new byte[16], TestContext.Current.CancellationToken).AsTask().WaitAsync(HostedEcho.Bound, TestContext.Current.CancellationToken));
        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(reset.InnerException).SocketErrorCode);
        var warning = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains(client.Client.LocalEndPoint!.ToString()!, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_NoOpenConnections_ReportsDrainedAndStopsAccepting()
    {
        var builder = HostedEcho.Builder();
        builder.Services.AddRxNetServer(Loopback, HostedEcho.Echo);
        using var host = builder.Build();
        await host.StartAsync(HostedEcho.Timeout());
        int port = host.Server().Port();

        await host.StopAsync(HostedEcho.Timeout());

        Assert.Equal(DrainOutcome.Drained, host.Server().LastDrain?.Outcome);
        var refused = await Assert.ThrowsAsync<SocketException>(() => HostedEcho.ConnectAsync(port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task AddRxNetServer_TwoServers_EachListensOnItsOwnPortWithItsOwnProtocol()
    {
        var builder = HostedEcho.Builder();
        builder.Services.AddRxNetServer(Loopback, HostedEcho.Echo, o => o.Name = "echo");
        builder.Services.AddRxNetServer(Loopback, Factory.ForProtocol<Shout>(), o => o.Name = "shout");
        using var host = builder.Build();
        await host.StartAsync(HostedEcho.Timeout());
        var servers = host.Services.GetServices<RxNetServer>().ToDictionary(s => s.Name);

        using var echo = await HostedEcho.ConnectAsync(servers["echo"].Port());
        using var shout = await HostedEcho.ConnectAsync(servers["shout"].Port());

        Assert.NotEqual(servers["echo"].Port(), servers["shout"].Port());
        Assert.Equal("quiet", await echo.RoundTripAsync("quiet"));
        Assert.Equal("LOUD", await shout.RoundTripAsync("loud"));
        Assert.Single(host.Services.GetServices<IReactor>());
        // Both clients leave first, so the stop has nothing to drain and does not wait out its deadline.
        echo.Dispose();
        shout.Dispose();
        await host.StopAsync(HostedEcho.Timeout());
    }

    [Fact]
    public void AddRxNetReactor_HostServices_LogsAndMeasuresThroughTheHostsFactories()
    {
        var builder = HostedEcho.Builder();
        builder.Services.AddMetrics();
        builder.Services.AddRxNetReactor(o => o with { Backlog = 64 });
        using var host = builder.Build();

        var reactor = Assert.IsType<SocketReactor>(host.Services.GetRequiredService<IReactor>());

        Assert.Same(host.Services.GetRequiredService<ILoggerFactory>(), reactor.Options.LoggerFactory);
        Assert.Same(host.Services.GetRequiredService<IMeterFactory>(), reactor.Options.MeterFactory);
        Assert.Equal(64, reactor.Options.Backlog);
    }

    [Fact]
    public async Task StartAsync_PortInUse_FailsTheHostsStart()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        int port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var builder = HostedEcho.Builder();
        builder.Services.AddRxNetServer($"tcp:{port}:interface=127.0.0.1", HostedEcho.Echo);
        using var host = builder.Build();

        await Assert.ThrowsAnyAsync<IOException>(() => host.StartAsync(HostedEcho.Timeout()));
    }

    private sealed class Shout : Protocol
    {
        public override void DataReceived(ReadOnlyMemory<byte> data) =>
            Transport.Write(System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(data.Span).ToUpperInvariant()));
    }
}

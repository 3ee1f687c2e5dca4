using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Hosting.Specs.Internal;

/// <summary>The host's lifetime fires the reactor's system events around the servers (ADR 0012).</summary>
[Trait("Category", "Integration")]
public sealed class ReactorLifetimeSpecs
{
    [Fact]
    public async Task Host_StartAndStop_FiresTriggersAroundTheServers()
    {
        var log = new List<string>();
        var builder = HostedEcho.Builder();
        builder.Services.AddRxNetServer("tcp:0:interface=127.0.0.1", HostedEcho.Echo);
        using var host = builder.Build();
        var reactor = host.Services.GetRequiredService<IReactor>();
        var server = host.Server();
        void Note(string what)
        {
            lock (log)
                log.Add($"{what} (listening: {server.BoundEndPoint is not null}, drained: {server.LastDrain is not null})");
        }
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Startup, () => Note("before startup"));
        reactor.CallWhenRunning(() => Note("running"));
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Shutdown, () => Note("before shutdown"));
        reactor.AddSystemEventTrigger(SystemEventPhase.After, SystemEventType.Shutdown, () => Note("after shutdown"));

        await host.StartAsync(HostedEcho.Timeout());
        await host.StopAsync(HostedEcho.Timeout());

        Assert.Equal([
            "before startup (listening: False, drained: False)",
            "running (listening: True, drained: False)",
            "before shutdown (listening: True, drained: False)",
            "after shutdown (listening: True, drained: True)",
        ], log);
    }

    [Fact]
    public async Task Host_BeforeShutdownTriggerReturnsATask_ServersStopOnlyAfterItFinishes()
    {
        var builder = HostedEcho.Builder();
        builder.Services.AddRxNetServer("tcp:0:interface=127.0.0.1", HostedEcho.Echo);
        using var host = builder.Build();
        var reactor = host.Services.GetRequiredService<IReactor>();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Shutdown, () =>
        {
            entered.SetResult();
            return release.Task;
        });
        await host.StartAsync(HostedEcho.Timeout());

        var stopping = host.StopAsync(HostedEcho.Timeout());
        await entered.Task.WaitAsync(HostedEcho.Bound, TestContext.Current.CancellationToken);
        using (var client = await HostedEcho.ConnectAsync(host.Server().Port()))
            Assert.Equal("still serving", await client.RoundTripAsync("still serving"));
        Assert.False(stopping.IsCompleted);
        release.SetResult();
        await stopping.WaitAsync(HostedEcho.Bound, TestContext.Current.CancellationToken);

        Assert.NotNull(host.Server().LastDrain);
    }
}

using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Extensions.DependencyInjection;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Hosting.Specs;

/// <summary>Twisted-style applications and factories built from the host's services: <c>AddRxNetApplication</c>
/// and <c>AddRxNetServer(endpoint, provider =&gt; factory)</c>.</summary>
[Trait("Category", "Integration")]
public sealed class RxNetApplicationSpecs
{
    private const string Loopback = "tcp:0:interface=127.0.0.1";

    /// <summary>A service of the host's container, which the factory needs.</summary>
    private sealed record Greeting(string Text);

    /// <summary>Greets on connect, from the reactor's thread (a CallLater), then echoes.</summary>
    private sealed class Greeter(Greeting greeting, IReactor reactor) : Protocol
    {
        public override void ConnectionMade() =>
            reactor.CallLater(TimeSpan.Zero, () => Transport.Write(System.Text.Encoding.UTF8.GetBytes(greeting.Text)));

        public override void DataReceived(ReadOnlyMemory<byte> data) => Transport.Write(data);
    }

    private sealed class GreeterFactory(Greeting greeting, IReactor reactor) : Factory
    {
        public override Protocol? BuildProtocol(System.Net.EndPoint? address) => new Greeter(greeting, reactor);
    }

    [Fact]
    public async Task AddRxNetServer_FactoryBuiltFromTheHostsServices_ServesWithTheInjectedServiceAndTheHostsReactor()
    {
        var builder = HostedEcho.Builder();
        builder.Services.AddSingleton(new Greeting("hello from the container"));
        builder.Services.AddRxNetServer(Loopback, provider => new GreeterFactory(provider.GetRequiredService<Greeting>(), provider.GetRequiredService<IReactor>()));
        using var host = builder.Build();
        await host.StartAsync(HostedEcho.Timeout());

        using (var client = await HostedEcho.ConnectAsync(host.Server().Port()))
        {
            var greeting = new byte["hello from the container".Length];
            await client.GetStream().ReadExactlyAsync(greeting, HostedEcho.Timeout());
            Assert.Equal("hello from the container", System.Text.Encoding.UTF8.GetString(greeting));
            Assert.Equal("and back", await client.RoundTripAsync("and back"));
        }

        await host.StopAsync(HostedEcho.Timeout());
    }

    /// <summary>Logs its start and stop; its stop completes when the spec says.</summary>
    private sealed class Recording(List<string> log, string name, IObservable<Unit> stop) : Service
    {
        public override void StartService()
        {
            base.StartService();
            lock (log)
                log.Add("start " + name);
        }

        public override IObservable<Unit> StopService()
        {
            base.StopService();
            lock (log)
                log.Add("stop " + name);
            return stop;
        }
    }

    [Fact]
    public async Task AddRxNetApplication_HostStartsAndStops_TheTreeStartsInOrderAndTheHostsStopWaitsForItsStop()
    {
        var log = new List<string>();
        var slow = new AsyncSubject<Unit>();
        var builder = HostedEcho.Builder();
        builder.Services.AddRxNetApplication(provider =>
        {
            var application = new Application("app");
            new Recording(log, "a", Observable.Return(Unit.Default)).SetServiceParent(application);
            new Recording(log, "slow", slow).SetServiceParent(application);
            new TimerService(provider.GetRequiredService<IReactor>().Scheduler, TimeSpan.FromHours(1), () =>
            {
                lock (log)
                    log.Add("tick");
            }).SetServiceParent(application);
            return application;
        });
        using var host = builder.Build();
        host.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopped.Register(() =>
        {
            lock (log)
                log.Add("host stopped");
        });

        await host.StartAsync(HostedEcho.Timeout());
        var stopping = host.StopAsync(HostedEcho.Timeout());
        await Task.Yield();
        Assert.False(stopping.IsCompleted); // waits for "slow"
        lock (log)
            log.Add("slow stopped");
        slow.OnNext(Unit.Default);
        slow.OnCompleted();
        await stopping;

        lock (log)
            Assert.Equal(["start a", "start slow", "tick", "stop slow", "stop a", "slow stopped", "host stopped"], log);
    }
}

using System.Globalization;
using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using Xunit;

namespace RxNet.Testing.Specs;

/// <summary>The simulated reactor reads endpoint strings as the socket reactor does: same schemes, same
/// keys, same messages, and schemes users add, so code written for sockets runs unchanged in virtual time.</summary>
public sealed class SimulatedEndpointStringSpecs
{
    private readonly TestScheduler _scheduler = new();

    [Theory]
    [InlineData("tcp:8000")]
    [InlineData("tcp:port=8000:interface=127.0.0.1:backlog=128")]
    [InlineData(@"tcp6:8000:interface=\:\:1")]
    [InlineData("tcp:8000:interface=127.0.0.1:rcvbuf=65536:sndbuf=32768")]
    public void ServerEndpoint_SocketReactorStrings_ListenOnTheSimulatedHost(string description)
    {
        var network = new SimulatedNetwork(_scheduler);
        var served = new List<string>();
        using var server = network.Host("server").Reactor.ServerEndpoint(description).Listen()
            .Subscribe(connection => served.Add("accepted"));

        using var client = network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000:timeout=5").Connect().Subscribe();
        _scheduler.Start();

        Assert.Equal(["accepted"], served);
    }

    [Fact]
    public void ClientEndpoint_SocketBufferKeys_AreAcceptedAndConnect()
    {
        var network = new SimulatedNetwork(_scheduler);
        var served = new List<string>();
        using var server = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(_ => served.Add("accepted"));

        using var client = network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000:sndbuf=4096:rcvbuf=8192").Connect().Subscribe();
        _scheduler.Start();

        Assert.Equal(["accepted"], served);
    }

    [Theory]
    [InlineData("server", "tcp:8000:bogus=1", "bogus", 9, "a TCP server takes port, interface, backlog, sndbuf and rcvbuf")]
    [InlineData("server", "tcp:8000:9000", "9000", 9, "only one port")]
    [InlineData("client", "tcp:host=a:port=http", "http", 16, "port must be a whole number")]
    [InlineData("client", "tcp:host=a:port=1:timeout=0", "0", 26, "timeout must be a number of seconds above 0")]
    [InlineData("client", "tcp:port=1", "tcp", 0, "a host is required")]
    [InlineData("datagram", "udp:9999:mode=1", "mode", 9, "a UDP endpoint takes port, interface, remoteHost and remotePort")]
    [InlineData("datagram", "udp:0:remoteHost=b", "b", 17, "a connected endpoint needs remotePort too")]
    [InlineData("datagram", "udp:0:remotePort=9", "9", 17, "a connected endpoint needs remoteHost too")]
    [InlineData("datagram", "udp:0:remoteHost=b:remotePort=0", "0", 30, "remotePort must be a whole number from 1 to 65535")]
    [InlineData("server", "unix:/tmp/a.sock", "unix", 0, "'haproxy:', 'tcp:', 'tcp6:'")]
    [InlineData("server", "tcp:8000:interface=garbage", "garbage", 19, "interface must be an IP address")]
    [InlineData("server", @"tcp:8000:interface=\:\:1", "::1", 19, "'tcp:' takes an IPv4 interface")]
    [InlineData("server", "tcp:8000:backlog=0", "0", 17, "backlog must be a whole number from 1 to 65535")]
    [InlineData("server", "tcp:8000:sndbuf=0", "0", 16, "sndbuf must be a whole number from 1")]
    [InlineData("client", "tcp:host=a:port=1:rcvbuf=x", "x", 25, "rcvbuf must be a whole number from 1")]
    [InlineData("datagram", "udp:9999:interface=garbage", "garbage", 19, "interface must be an IP address")]
    public void Endpoint_BadString_FailsPointingAtTheBadPartAndSayingWhy(string kind, string description, string badPart, int position, string problem)
    {
        var reactor = new SimulatedNetwork(_scheduler).Host("a").Reactor;

        var error = Assert.Throws<FormatException>(() => kind switch
        {
            "server" => (object)reactor.ServerEndpoint(description),
            "client" => reactor.ClientEndpoint(description),
            _ => reactor.DatagramEndpoint(description),
        });

        Assert.Contains($"'{badPart}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"at position {position.ToString(CultureInfo.InvariantCulture)}:", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("udp:9999", "udp:9999")]
    [InlineData("udp:port=0:interface=127.0.0.1:remoteHost=server:remotePort=53", "udp:0:remoteHost=server:remotePort=53")]
    public void DatagramEndpoint_EveryKey_PrintsBackAsAStringThatParsesToTheSameEndpoint(string description, string printed)
    {
        var reactor = new SimulatedNetwork(_scheduler).Host("a").Reactor;

        var endpoint = reactor.DatagramEndpoint(description);

        Assert.Equal(printed, endpoint.ToString());
        Assert.Equal(printed, reactor.DatagramEndpoint(endpoint.ToString()!).ToString());
    }

    [Fact]
    public void Schemes_WrappingSchemeAddedToAHost_ReachesTheEndpointItWraps()
    {
        var network = new SimulatedNetwork(_scheduler);
        var server = network.Host("server").Reactor;
        // An application's own wrapper: "counted:<any endpoint>" counts the connections it accepts.
        int accepted = 0;
        server.Schemes.AddServer("counted", (d, reactor) => new Counted(reactor.ServerEndpoint(d.Inner), () => accepted++));

        using var listening = server.ServerEndpoint("counted:tcp:8000").Listen().Subscribe();
        using var first = network.Host("c1").Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect().Subscribe();
        using var second = network.Host("c2").Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect().Subscribe();
        _scheduler.Start();

        Assert.Equal(2, accepted);
    }

    private sealed class Counted(IServerEndpoint inner, Action onAccepted) : IServerEndpoint
    {
        public IObservable<IConnection> Listen(Action<System.Net.EndPoint>? onListening = null) =>
            inner.Listen(onListening).Do(_ => onAccepted());
    }
}

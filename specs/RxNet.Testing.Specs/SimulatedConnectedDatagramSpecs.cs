using System.Net;
using System.Text;
using Microsoft.Reactive.Testing;
using Xunit;

namespace RxNet.Testing.Specs;

/// <summary>
/// Connected datagram sockets on the simulated network (<c>udp:0:remoteHost=b:remotePort=9999</c>), as on
/// sockets: only the peer's datagrams arrive, sends go only to it, and a closed peer port fails the input
/// with <see cref="ConnectionRefusedException"/> one round trip later, in exact virtual ticks.
/// </summary>
public sealed class SimulatedConnectedDatagramSpecs
{
    private static readonly long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();

    [Fact]
    public void Connected_PeerAndStrangerSend_OnlyThePeersDatagramArrivesAndTheStrangersIsTracedUnreachable()
    {
        var network = new SimulatedNetwork(_scheduler);
        var client = Bind(network, "a", "udp:5000:remoteHost=b:remotePort=9999");
        var peer = Bind(network, "b", "udp:9999");
        var stranger = Bind(network, "c", "udp:9999");
        var received = new List<(string Text, EndPoint From)>();
        client.Input.Subscribe(d => received.Add((Encoding.UTF8.GetString(d.Payload.Span), d.RemoteEndPoint)));

        stranger.Output.OnNext(Text("stranger", "a", 5000));
        peer.Output.OnNext(Text("peer", "a", 5000));
        _scheduler.Start();

        Assert.Equal([("peer", peer.LocalEndPoint)], received);
        var dropped = Assert.Single(network.Trace, e => e.Kind == NetworkEventKind.Unreachable);
        Assert.Equal(("c:9999", "a:5000"), (dropped.From, dropped.To));
    }

    [Fact]
    public void Connected_RemoteEndPoint_IsThePeerByNameAndNullWhenUnconnected()
    {
        var network = new SimulatedNetwork(_scheduler);

        Assert.Equal(new DnsEndPoint("b", 9999), Bind(network, "a", "udp:0:remoteHost=b:remotePort=9999").RemoteEndPoint);
        Assert.Null(Bind(network, "a", "udp:0").RemoteEndPoint);
    }

    [Fact]
    public void Connected_SendToAnotherAddress_ThrowsArgumentExceptionNamingIt()
    {
        var network = new SimulatedNetwork(_scheduler);
        var client = Bind(network, "a", "udp:0:remoteHost=b:remotePort=9999");

        var error = Assert.Throws<ArgumentException>(() => client.Output.OnNext(Text("x", "b", 9998)));

        Assert.Contains("b:9998", error.Message, StringComparison.Ordinal);
        Assert.Contains("only to its peer", error.Message, StringComparison.Ordinal);
        Assert.Empty(network.Trace);
    }

    [Fact]
    public void Connected_RequestAndReply_TheSameCodeAsOnSocketsAnswersOneRoundTripLater()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("a", "b", new LinkOptions { Latency = TimeSpan.FromMilliseconds(5) });
        var server = Bind(network, "b", "udp:9999");
        server.Input.Subscribe(d => server.Output.OnNext(d with { Payload = Encoding.UTF8.GetBytes("re: " + Encoding.UTF8.GetString(d.Payload.Span)) }));
        var client = Bind(network, "a", "udp:0:remoteHost=b:remotePort=9999");
        var replies = new List<(long Ticks, string Text)>();
        client.Input.Subscribe(d => replies.Add((_scheduler.Clock, Encoding.UTF8.GetString(d.Payload.Span))));

        client.Output.OnNext(new Datagram(Encoding.UTF8.GetBytes("ping"), client.RemoteEndPoint!));
        _scheduler.Start();

        Assert.Equal([(10 * Ms, "re: ping")], replies);
    }

    [Fact]
    public void Connected_PeerPortNotBound_InputFailsWithConnectionRefusedOneRoundTripAfterTheSend()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("a", "b", new LinkOptions { Latency = TimeSpan.FromMilliseconds(5) });
        var client = Bind(network, "a", "udp:5000:remoteHost=b:remotePort=9999");
        var observer = _scheduler.CreateObserver<Datagram>();
        client.Input.Subscribe(observer);

        _scheduler.AdvanceTo(1 * Ms);
        client.Output.OnNext(Text("anyone?", "b", 9999));
        _scheduler.Start();

        var only = Assert.Single(observer.Messages);
        Assert.Equal(11 * Ms, only.Time);
        var error = Assert.IsType<ConnectionRefusedException>(only.Value.Exception);
        Assert.Contains("b:9999", error.Message, StringComparison.Ordinal);
        Assert.Equal(
            [(6 * Ms, "a:5000", "b:9999", NetworkEventKind.Unreachable), (11 * Ms, "b:9999", "a:5000", NetworkEventKind.Refused)],
            network.Trace.Select(e => (e.Ticks, e.From, e.To, e.Kind)));
    }

    [Fact]
    public void Connected_AfterARefusal_SubscribingAgainReadsOnOnceThePeerBinds()
    {
        var network = new SimulatedNetwork(_scheduler);
        var client = Bind(network, "a", "udp:5000:remoteHost=b:remotePort=9999");
        Exception? refused = null;
        client.Input.Subscribe(_ => { }, e => refused = e);
        client.Output.OnNext(Text("early", "b", 9999));
        _scheduler.Start();
        Assert.IsType<ConnectionRefusedException>(refused);

        var peer = Bind(network, "b", "udp:9999");
        peer.Input.Subscribe(d => peer.Output.OnNext(d)); // echo
        var received = new List<string>();
        client.Input.Subscribe(d => received.Add(Encoding.UTF8.GetString(d.Payload.Span)));
        client.Output.OnNext(Text("late", "b", 9999));
        _scheduler.Start();

        Assert.Equal(["late"], received);
    }

    [Fact]
    public void Connected_RefusalWhileNobodyReads_FailsTheNextSubscriberAfterWhatWasBufferedBeforeIt()
    {
        var network = new SimulatedNetwork(_scheduler);
        var client = Bind(network, "a", "udp:5000:remoteHost=b:remotePort=9999");
        var peer = Bind(network, "b", "udp:9999");
        peer.Output.OnNext(Text("before", "a", 5000));
        _scheduler.Start();
        peer.Dispose();
        client.Output.OnNext(Text("gone?", "b", 9999));
        _scheduler.Start();

        var observer = _scheduler.CreateObserver<Datagram>();
        client.Input.Subscribe(observer);
        _scheduler.Start();

        Assert.Equal(2, observer.Messages.Count);
        Assert.Equal("before", Encoding.UTF8.GetString(observer.Messages[0].Value.Value.Payload.Span));
        Assert.IsType<ConnectionRefusedException>(observer.Messages[1].Value.Exception);
    }

    [Fact]
    public void PeerOutput_ConnectedSocket_SendsEachPayloadToThePeer()
    {
        var network = new SimulatedNetwork(_scheduler);
        var peer = Bind(network, "b", "udp:9999");
        var received = new List<string>();
        peer.Input.Subscribe(d => received.Add(Encoding.UTF8.GetString(d.Payload.Span)));
        var client = Bind(network, "a", "udp:0:remoteHost=b:remotePort=9999");

        var output = client.PeerOutput();
        output.OnNext("one"u8.ToArray());
        output.OnNext("two"u8.ToArray());
        _scheduler.Start();

        Assert.Equal(["one", "two"], received);
    }

    [Fact]
    public void PeerOutput_UnconnectedSocket_ThrowsInvalidOperationSayingItIsNotConnected()
    {
        var network = new SimulatedNetwork(_scheduler);
        var socket = Bind(network, "a", "udp:0");

        var error = Assert.Throws<InvalidOperationException>(() => socket.PeerOutput());

        Assert.Contains("not connected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multicast_SimulatedSocket_IsNotAMulticastSocket()
    {
        Assert.False(Bind(new SimulatedNetwork(_scheduler), "a", "udp:0") is IMulticastSocket);
    }

    [Fact]
    public void Unconnected_SendToAPortNobodyBinds_NeverHearsOfIt()
    {
        var network = new SimulatedNetwork(_scheduler);
        var sender = Bind(network, "a", "udp:0");
        var observer = _scheduler.CreateObserver<Datagram>();
        sender.Input.Subscribe(observer);

        sender.Output.OnNext(Text("anyone?", "b", 9999));
        _scheduler.Start();

        Assert.Empty(observer.Messages);
        Assert.DoesNotContain(network.Trace, e => e.Kind == NetworkEventKind.Refused);
    }

    [Fact]
    public void Connected_RefusalCrossingAPartition_IsLost()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("a", "b", new LinkOptions { Latency = TimeSpan.FromMilliseconds(5) });
        var client = Bind(network, "a", "udp:5000:remoteHost=b:remotePort=9999");
        var observer = _scheduler.CreateObserver<Datagram>();
        client.Input.Subscribe(observer);

        client.Output.OnNext(Text("anyone?", "b", 9999));
        _scheduler.AdvanceTo(7 * Ms); // arrived unbound at 5 ms; the ICMP answer is on its way back
        network.Partition("a", "b");
        _scheduler.Start();

        Assert.Empty(observer.Messages);
    }

    private static IDatagramSocket Bind(SimulatedNetwork network, string host, string description)
    {
        IDatagramSocket? socket = null;
        network.Host(host).Reactor.DatagramEndpoint(description).Bind().Subscribe(s => socket = s);
        return Assert.IsAssignableFrom<IDatagramSocket>(socket);
    }

    private static Datagram Text(string text, string host, int port) =>
        new(Encoding.UTF8.GetBytes(text), new DnsEndPoint(host, port));
}

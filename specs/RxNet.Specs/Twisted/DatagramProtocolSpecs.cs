using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Reactive.Testing;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>
/// <see cref="DatagramProtocol"/> on <c>reactor.ListenUdp</c>, in virtual time on the simulated network: Twisted's
/// <c>startProtocol</c>, <c>datagramReceived(data, addr)</c>, <c>transport.write(data, addr)</c>, <c>stopProtocol</c>,
/// a connected port's <c>connectionRefused</c>, and a port that keeps serving when the protocol throws.
/// </summary>
public sealed class DatagramProtocolSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;
    private readonly FakeLogger _logger = new();

    public DatagramProtocolSpecs() => _network = new SimulatedNetwork(_scheduler);

    [Fact]
    public void ListenUdp_EchoProtocol_RepliesToEachSenderFromItsPortOneLatencyEachWay()
    {
        using var port = _network.Host("server").Reactor.ListenUdp(9999, new Echo());
        var a = Bind("a");
        var b = Bind("b");
        var heardByA = Record(a);
        var heardByB = Record(b);

        a.Output.OnNext(Text("from a", "server", 9999));
        b.Output.OnNext(Text("from b", "server", 9999));
        _scheduler.Start();

        Assert.Equal([(2 * Ms, "from a", new DnsEndPoint("server", 9999))], heardByA);
        Assert.Equal([(2 * Ms, "from b", new DnsEndPoint("server", 9999))], heardByB);
    }

    [Fact]
    public void StartProtocol_ListenUdp_RunsOnceBeforeItReturnsWithTheTransportOnTheBoundPort()
    {
        var protocol = new Recording();

        using var port = _network.Host("server").Reactor.ListenUdp(0, protocol);

        Assert.Equal(["start"], protocol.Log);
        Assert.Equal(port.Host, protocol.HostAtStart);
        Assert.NotEqual(0, ((DnsEndPoint)port.Host).Port);
        Assert.Null(protocol.Transport.Peer);
    }

    [Fact]
    public void StopListening_AfterDatagrams_StopsTheProtocolOnceForgetsTheTransportAndUnbinds()
    {
        var protocol = new Recording();
        var port = _network.Host("server").Reactor.ListenUdp(9999, protocol);
        var client = Bind("client");
        client.Output.OnNext(Text("one", "server", 9999));
        _scheduler.Start();

        port.StopListening();
        port.Dispose();
        client.Output.OnNext(Text("two", "server", 9999));
        _scheduler.Start();

        Assert.Equal(["start", "one from client", "stop"], protocol.Log);
        Assert.Throws<InvalidOperationException>(() => protocol.Transport);
        Assert.Contains(_network.Trace, e => e.Kind == NetworkEventKind.Unreachable && e.To == "server:9999");
    }

    [Fact]
    public void DatagramReceived_Throws_IsLoggedWithTheProtocolAndThePortKeepsServing()
    {
        var protocol = new Echo { ThrowOn = "boom" };
        using var port = _network.Host("server").Reactor.ListenUdp(9999, protocol, logger: _logger);
        var client = Bind("client");
        var heard = Record(client);

        client.Output.OnNext(Text("boom", "server", 9999));
        _scheduler.Start();
        client.Output.OnNext(Text("still there?", "server", 9999));
        _scheduler.Start();

        Assert.Equal(["still there?"], heard.Select(h => h.Text));
        var error = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Equal("boom", error.Exception?.Message);
        Assert.Contains(nameof(Echo), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(DatagramProtocol.DatagramReceived), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DatagramReceived_LargerThanMaxPacketSize_IsDroppedWholeAndLoggedAndTheNextIsServed()
    {
        var protocol = new Recording();
        using var port = _network.Host("server").Reactor.ListenUdp(9999, protocol, maxPacketSize: 4, logger: _logger);
        var client = Bind("client");

        client.Output.OnNext(Text("12345", "server", 9999));
        client.Output.OnNext(Text("1234", "server", 9999));
        _scheduler.Start();

        Assert.Equal(["start", "1234 from client"], protocol.Log);
        var warning = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("5 bytes", warning.Message, StringComparison.Ordinal);
        Assert.Contains("maxPacketSize of 4", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_WithoutAnAddressOnAnUnconnectedPort_ThrowsInvalidOperationSayingWhatToDo()
    {
        var protocol = new Recording();
        using var port = _network.Host("server").Reactor.ListenUdp(9999, protocol);

        var error = Assert.Throws<InvalidOperationException>(() => protocol.Transport.Write("x"u8.ToArray()));

        Assert.Contains("remoteHost=", error.Message, StringComparison.Ordinal);
        Assert.Empty(_network.Trace);
    }

    [Fact]
    public void ListenDatagram_ConnectedPortWithNobodyAtThePeer_HearsConnectionRefusedThenKeepsTalkingOnceThePeerIsUp()
    {
        var pinger = new Pinger(_scheduler);
        using var client = _network.Host("client").Reactor.ListenDatagram("udp:0:remoteHost=server:remotePort=9999", pinger);
        _scheduler.Start(); // ping leaves at 0, reaches no socket at 1 ms, the refusal is back at 2 ms

        using var server = _network.Host("server").Reactor.ListenUdp(9999, new Echo());
        pinger.Transport.Write("again"u8.ToArray());
        _scheduler.Start();

        Assert.Equal(["refused at 2 ms", "again from server:9999 at 4 ms"], pinger.Log);
        Assert.Equal(new DnsEndPoint("server", 9999), pinger.Transport.Peer);
    }

    [Fact]
    public void ListenUdp_PortInUse_ThrowsIOExceptionAndDoesNotStartTheProtocol()
    {
        using var first = _network.Host("server").Reactor.ListenUdp(9999, new Echo());
        var protocol = new Recording();

        Assert.Throws<IOException>(() => _network.Host("server").Reactor.ListenUdp(9999, protocol));

        Assert.Empty(protocol.Log);
    }

    [Fact]
    public void ListenUdp_ProtocolAlreadyServingAPort_ThrowsInvalidOperationAndLeavesThePortFree()
    {
        var protocol = new Recording();
        using var first = _network.Host("server").Reactor.ListenUdp(9999, protocol);

        Assert.Throws<InvalidOperationException>(() => _network.Host("server").Reactor.ListenUdp(9998, protocol));

        using var again = _network.Host("server").Reactor.ListenUdp(9998, new Echo()); // unbound after the failure
        Assert.Equal(["start"], protocol.Log);
    }

    [Fact]
    public void ListenUdp_BadArguments_Throw()
    {
        var reactor = _network.Host("server").Reactor;

        Assert.Throws<ArgumentNullException>(() => reactor.ListenUdp(9999, null!));
        Assert.Throws<ArgumentNullException>(() => reactor.ListenUdp(9999, new Echo(), @interface: null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => reactor.ListenUdp(9999, new Echo(), maxPacketSize: 0));
    }

    private IDatagramSocket Bind(string host)
    {
        IDatagramSocket? socket = null;
        _network.Host(host).Reactor.DatagramEndpoint("udp:0").Bind().Subscribe(s => socket = s);
        return Assert.IsAssignableFrom<IDatagramSocket>(socket);
    }

    private List<(long Ticks, string Text, EndPoint From)> Record(IDatagramSocket socket)
    {
        var heard = new List<(long, string, EndPoint)>();
        socket.Input.Subscribe(d => heard.Add((_scheduler.Clock, Encoding.UTF8.GetString(d.Payload.Span), d.RemoteEndPoint)));
        return heard;
    }

    private static Datagram Text(string text, string host, int port) => new(Encoding.UTF8.GetBytes(text), new DnsEndPoint(host, port));

    private static string Name(EndPoint address) => address is DnsEndPoint dns ? dns.Host : address.ToString()!;

    /// <summary>Twisted's UDP echo: each datagram goes back to its sender.</summary>
    private sealed class Echo : DatagramProtocol
    {
        public string? ThrowOn { get; init; }

        public override void DatagramReceived(ReadOnlyMemory<byte> data, EndPoint address)
        {
            if (Encoding.UTF8.GetString(data.Span) == ThrowOn)
                throw new InvalidOperationException(ThrowOn);
            Transport.Write(data, address);
        }
    }

    private sealed class Recording : DatagramProtocol
    {
        public List<string> Log { get; } = [];

        public EndPoint? HostAtStart { get; private set; }

        public override void StartProtocol()
        {
            Log.Add("start");
            HostAtStart = Transport.Host;
        }

        public override void DatagramReceived(ReadOnlyMemory<byte> data, EndPoint address) =>
            Log.Add($"{Encoding.UTF8.GetString(data.Span)} from {Name(address)}");

        public override void StopProtocol() => Log.Add("stop");
    }

    /// <summary>Twisted's connected UDP client: pings its peer at start and hears refusals.</summary>
    private sealed class Pinger(TestScheduler clock) : DatagramProtocol
    {
        public List<string> Log { get; } = [];

        private string Now => $"{clock.Clock / Ms} ms";

        public override void StartProtocol() => Transport.Write("ping"u8.ToArray());

        public override void DatagramReceived(ReadOnlyMemory<byte> data, EndPoint address) =>
            Log.Add($"{Encoding.UTF8.GetString(data.Span)} from {Name(address)}:{((DnsEndPoint)address).Port} at {Now}");

        public override void ConnectionRefused() => Log.Add($"refused at {Now}");
    }
}

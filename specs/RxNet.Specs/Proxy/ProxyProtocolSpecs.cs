using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Reactive.Testing;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Specs.Proxy;

/// <summary>
/// The PROXY protocol server operators on a simulated network with the default link (1 ms latency): the client
/// connects at 1 ms, so a header it writes then arrives at 2 ms, and the header timeout (10 s) counts from the accept at 1 ms.
/// </summary>
public sealed class ProxyProtocolSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const long Second = TimeSpan.TicksPerSecond;

    private static readonly IPEndPoint Client4 = new(IPAddress.Parse("203.0.113.7"), 51234);
    private static readonly IPEndPoint Server4 = new(IPAddress.Parse("198.51.100.1"), 443);
    private static readonly IPEndPoint Client6 = new(IPAddress.Parse("2001:db8::7"), 51234);
    private static readonly IPEndPoint Server6 = new(IPAddress.Parse("2001:db8::1"), 443);

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;
    private readonly FakeLogger _logger = new();
    private readonly List<(long At, IProxiedConnection Connection)> _accepted = [];

    public ProxyProtocolSpecs() => _network = new SimulatedNetwork(_scheduler);

    public static TheoryData<string> Headers() => [.. HeadersByName.Keys];

    private static readonly Dictionary<string, ProxyHeader> HeadersByName = new()
    {
        ["v1 TCP4"] = ProxyHeader.V1(Client4, Server4),
        ["v1 TCP6"] = ProxyHeader.V1(Client6, Server6),
        ["v2 PROXY IPv4 + TLVs"] = ProxyHeader.V2(Client4, Server4, tlvs: [new ProxyTlv(ProxyTlv.Authority, "example.com"u8.ToArray()), new ProxyTlv(ProxyTlv.Crc32C, new byte[4])]),
        ["v2 PROXY IPv6"] = ProxyHeader.V2(Client6, Server6),
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void AcceptProxyProtocol_HeaderWithAddresses_ConnectionCarriesThemAndThePayloadFollows(string name)
    {
        var header = HeadersByName[name];
        var received = Serve();
        var client = Connect(connection => connection.Output.OnNext(ProxyHeaderEncoder.ToArray(header)));
        _scheduler.ScheduleAbsolute(5 * Ms, () => client.Value!.Output.OnNext("hello"u8.ToArray()));

        _scheduler.Start();

        var (at, proxied) = Assert.Single(_accepted);
        Assert.Equal(2 * Ms, at);
        Assert.Equal(header.Source, proxied.RemoteEndPoint);
        Assert.Equal(header.Destination, proxied.LocalEndPoint);
        Assert.Equal(new DnsEndPoint("client", 49152), proxied.ProxyEndPoint);
        Assert.Equal(header.Version, proxied.ProxyHeader.Version);
        Assert.Equal(header.Tlvs.Select(t => t.Type), proxied.ProxyHeader.Tlvs.Select(t => t.Type));
        Assert.Equal([OnNext(6 * Ms, "hello")], received[0].Messages);
    }

    [Theory]
    [InlineData("v1 UNKNOWN")]
    [InlineData("v2 LOCAL")]
    public void AcceptProxyProtocol_HeaderWithoutAddresses_KeepsTheRealEndpoints(string name)
    {
        var header = name == "v1 UNKNOWN" ? ProxyHeader.V1Unknown : ProxyHeader.V2Local();
        var received = Serve();
        Connect(connection => connection.Output.OnNext(Join(ProxyHeaderEncoder.ToArray(header), "hi"u8)));

        _scheduler.Start();

        var (_, proxied) = Assert.Single(_accepted);
        Assert.Equal(new DnsEndPoint("client", 49152), proxied.RemoteEndPoint);
        Assert.Equal(new DnsEndPoint("server", 8000), proxied.LocalEndPoint);
        Assert.Equal(header.Command, proxied.ProxyHeader.Command);
        Assert.Equal("hi", string.Concat(received[0].Messages.Where(m => m.Value.HasValue).Select(m => m.Value.Value)));
    }

    [Fact]
    public void AcceptProxyProtocol_PayloadInTheHeadersChunk_IsDeliveredInATurnOfItsOwnThenTheRestFollows()
    {
        var received = Serve();
        var client = Connect(connection => connection.Output.OnNext(Join(ProxyHeaderEncoder.ToArray(ProxyHeader.V1(Client4, Server4)), "GET / HTTP/1.1\r\n"u8)));
        _scheduler.ScheduleAbsolute(5 * Ms, () => client.Value!.Output.OnNext("Host: x\r\n\r\n"u8.ToArray()));

        _scheduler.Start();

        Assert.Equal(2 * Ms, Assert.Single(_accepted).At);
        // The bytes after the header come one tick after the subscribe (a turn of their own, as a transport delivers).
        Assert.Equal([OnNext(2 * Ms + 1, "GET / HTTP/1.1\r\n"), OnNext(6 * Ms, "Host: x\r\n\r\n")], received[0].Messages);
    }

    [Theory]
    [InlineData("v1 TCP4")]
    [InlineData("v2 PROXY IPv4 + TLVs")]
    public void AcceptProxyProtocol_HeaderAndPayloadCutAtEveryBoundary_GivesTheSameConnectionAndEveryByteOnce(string name)
    {
        var header = HeadersByName[name];
        var headerBytes = ProxyHeaderEncoder.ToArray(header);
        byte[] bytes = [.. headerBytes, .. "payload!"u8];
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            var world = new ProxyProtocolSpecs();
            var received = world.Serve();
            var first = bytes[..cut];
            var second = bytes[cut..];
            var client = world.Connect(connection => connection.Output.OnNext(first));
            world._scheduler.ScheduleAbsolute(3 * Ms, () => client.Value!.Output.OnNext(second));

            world._scheduler.Start();

            var (at, proxied) = Assert.Single(world._accepted);
            Assert.Equal(cut < headerBytes.Length ? 4 * Ms : 2 * Ms, at);
            Assert.Equal(header.Source, proxied.RemoteEndPoint);
            Assert.Equal("payload!", string.Concat(received[0].Messages.Select(m => m.Value.Value)));
            Assert.Empty(world._logger.Collector.GetSnapshot());
        }
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public void AcceptProxyProtocol_LinkDeliveringOneByteAtATime_StillReadsTheHeaderAndEveryPayloadByte(string name)
    {
        var header = HeadersByName[name];
        _network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(1), MaxSegmentSize = 1 });
        var received = Serve();
        Connect(connection => connection.Output.OnNext(Join(ProxyHeaderEncoder.ToArray(header), "one byte at a time"u8)));

        _scheduler.Start();

        var (_, proxied) = Assert.Single(_accepted);
        Assert.Equal(header.Source, proxied.RemoteEndPoint);
        Assert.Equal("one byte at a time", string.Concat(received[0].Messages.Select(m => m.Value.Value)));
        Assert.All(received[0].Messages.Where(m => m.Value.HasValue), m => Assert.Single(m.Value.Value));
    }

    [Fact]
    public void ReadProxyHeader_NothingSent_FailsAndAbortsAtTheExactTickOfTheTimeout()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted);
        var read = server!.ReadProxyHeader(_scheduler).Record(_scheduler);
        var clientInput = client.Input.RecordText(_scheduler);
        var closed = server!.Closed.Select(c => c.Reason).Record(_scheduler);

        _scheduler.AdvanceTo(1 * Ms + 10 * Second - 1);
        Assert.Empty(read.Messages);

        _scheduler.Start();
        var failure = Assert.Single(read.Messages);
        Assert.Equal(1 * Ms + 10 * Second, failure.Time);
        var error = Assert.IsType<ProxyProtocolException>(failure.Value.Exception);
        Assert.Equal("Bad PROXY protocol header: no complete header within 10 s (the header timeout); 0 bytes received.", error.Message);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(ConnectionCloseReason.Aborted, closed.Messages[0].Value.Value);

        var reset = Assert.Single(clientInput.Messages);
        Assert.Equal(2 * Ms + 10 * Second, reset.Time); // one latency later, the client sees the abort
        Assert.IsType<ConnectionResetException>(reset.Value.Exception);
    }

    [Fact]
    public void ReadProxyHeader_PartOfAHeaderThenSilence_TimesOutSayingHowManyBytesCame()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted);
        var read = server!.ReadProxyHeader(_scheduler, new ProxyProtocolOptions { HeaderTimeout = TimeSpan.FromSeconds(3) }).Record(_scheduler);
        client.Output.OnNext("PROXY TCP4 1.2."u8.ToArray());

        _scheduler.Start();

        var failure = Assert.Single(read.Messages);
        Assert.Equal(1 * Ms + 3 * Second, failure.Time);
        Assert.Equal("Bad PROXY protocol header: no complete header within 3 s (the header timeout); 15 bytes received.", failure.Value.Exception!.Message);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "Bad PROXY protocol header: the connection starts with \"G\", which is neither \"PROXY \" (version 1) nor the version 2 signature \"\\r\\n\\r\\n\\x00\\r\\nQUIT\\n\".")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 99999 80\r\n", "Bad PROXY protocol header: version 1 source port '99999' is not a number from 0 to 65535 without leading zeros.")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", "Bad PROXY protocol header: a lone LF at byte 31 of a version 1 header, which must end with CRLF: \"PROXY TCP4 1.2.3.4 5.6.7.8 1 2\\n\".")]
    [InlineData("\r\n\r\n\0\r\nQUIT\n\x0021\x0011\0\x0004abcd", "Bad PROXY protocol header: version 2 length 4 is too short for the 12 bytes of two IPv4 addresses.")]
    public void ReadProxyHeader_BadHeader_FailsWithItsMessageAndThePeerSeesAReset(string sent, string message)
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted);
        var read = server!.ReadProxyHeader(_scheduler).Record(_scheduler);
        var clientInput = client.Input.RecordText(_scheduler);
        client.Output.OnNext(Encoding.Latin1.GetBytes(sent.Replace("\x0021", "\x21", StringComparison.Ordinal).Replace("\x0011", "\x11", StringComparison.Ordinal).Replace("\x0004", "\x04", StringComparison.Ordinal)));

        _scheduler.Start();

        var failure = Assert.Single(read.Messages);
        Assert.Equal(2 * Ms, failure.Time);
        Assert.Equal(message, Assert.IsType<ProxyProtocolException>(failure.Value.Exception).Message);
        var reset = Assert.Single(clientInput.Messages);
        Assert.Equal(3 * Ms, reset.Time);
        Assert.IsType<ConnectionResetException>(reset.Value.Exception);
    }

    [Fact]
    public void ReadProxyHeader_PeerFinishesBeforeOrInsideTheHeader_FailsSayingSo()
    {
        IConnection? early = null, partial = null;
        var before = _network.ConnectTo(accepted => early = accepted, port: 8001);
        var inside = _network.ConnectTo(accepted => partial = accepted, port: 8002);
        var readEarly = early!.ReadProxyHeader(_scheduler).Record(_scheduler);
        var readPartial = partial!.ReadProxyHeader(_scheduler).Record(_scheduler);
        before.Output.OnCompleted();
        inside.Output.OnNext("\r\n\r\n\0\r"u8.ToArray());
        inside.Output.OnCompleted();

        _scheduler.Start();

        Assert.Equal("Bad PROXY protocol header: the connection ended before sending a header.", readEarly.Messages.Single().Value.Exception!.Message);
        Assert.Equal("Bad PROXY protocol header: the connection ended after 6 bytes, inside the header: \"\\r\\n\\r\\n\\x00\\r\".",
            readPartial.Messages.Single().Value.Exception!.Message);
    }

    [Fact]
    public void ReadProxyHeader_UnsubscribedBeforeTheHeader_AbortsTheConnection()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted);
        var clientInput = client.Input.RecordText(_scheduler);
        var reading = server!.ReadProxyHeader(_scheduler).Subscribe();
        _scheduler.ScheduleAbsolute(5 * Ms, reading.Dispose);

        _scheduler.Start();

        Assert.Equal(6 * Ms, clientInput.Messages.Single().Time);
        Assert.IsType<ConnectionResetException>(clientInput.Messages.Single().Value.Exception);
    }

    [Fact]
    public void AcceptProxyProtocol_OneBadAndOneSilentClientAmongGoodOnes_TheGoodOnesAreServedAndTheOthersAbortedAndLogged()
    {
        var listening = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .AcceptProxyProtocol(_scheduler, logger: _logger)
            .Subscribe(connection => connection.Input
                .Select(chunk => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes($"{connection.RemoteEndPoint} says {Encoding.ASCII.GetString(chunk.Span)}"))
                .Subscribe(connection.Output));
        var good1 = ConnectAt(0, ProxyHeaderEncoder.ToArray(ProxyHeader.V1(Client4, Server4)), "one");
        var bad = ConnectAt(0, "SSH-2.0-OpenSSH_9.6\r\n"u8.ToArray(), "");
        var silent = ConnectAt(0, [], "");
        var good2 = ConnectAt(0, ProxyHeaderEncoder.ToArray(ProxyHeader.V2(Client6, Server6)), "two");
        var late = ConnectAt(20 * Second, ProxyHeaderEncoder.ToArray(ProxyHeader.V2Local()), "three");

        _scheduler.Start();
        listening.Dispose();

        Assert.Equal([OnNext(4 * Ms, "203.0.113.7:51234 says one")], good1.Messages.Take(1));
        Assert.Equal([OnNext(4 * Ms, "[2001:db8::7]:51234 says two")], good2.Messages.Take(1));
        Assert.Equal("Unspecified/client:49156 says three", late.Messages[0].Value.Value);
        Assert.IsType<ConnectionResetException>(bad.Messages.Single().Value.Exception);
        Assert.Equal(3 * Ms, bad.Messages.Single().Time);
        Assert.IsType<ConnectionResetException>(silent.Messages.Single().Value.Exception);
        Assert.Equal(10 * Second + 2 * Ms, silent.Messages.Single().Time);
        var logged = _logger.Collector.GetSnapshot();
        Assert.Equal(2, logged.Count);
        Assert.All(logged, l => Assert.Equal(LogLevel.Warning, l.Level));
        Assert.Equal("Aborted simulated connection server:8000<->client:49153 from Unspecified/client:49153: Bad PROXY protocol header: the connection starts with \"S\", which is neither \"PROXY \" (version 1) nor the version 2 signature \"\\r\\n\\r\\n\\x00\\r\\nQUIT\\n\".",
            logged[0].Message);
        Assert.Contains("no complete header within 10 s", logged[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithProxyProtocol_EndpointsOnBothSides_ServerSeesTheClientEndpointsHeader()
    {
        EndPoint? bound = null;
        var server = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").WithProxyProtocol(_scheduler);
        using var listening = server.Listen(address => bound = address).Subscribe(connection =>
        {
            connection.Output.OnNext(Encoding.ASCII.GetBytes($"you are {connection.RemoteEndPoint}, I am {connection.LocalEndPoint}"));
            connection.Output.OnCompleted();
        });
        var endpoint = _network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000")
            .WithProxyHeader(connection => ProxyHeader.V2(Client4, Server4, tlvs: [new ProxyTlv(ProxyTlv.UniqueId, Encoding.ASCII.GetBytes(connection.LocalEndPoint!.ToString()!))]));
        var reply = endpoint.Connect().SelectMany(connection => connection.Input.ReadAllText()).Record(_scheduler);

        _scheduler.Start();

        Assert.Equal(new DnsEndPoint("server", 8000), bound);
        Assert.Equal([OnNext(3 * Ms, "you are 203.0.113.7:51234, I am 198.51.100.1:443"), OnCompleted<string>(3 * Ms)], reply.Messages);
    }

    [Fact]
    public void HAProxyEndpointString_OnASimulatedHost_ServesWithTheHeadersAddressesAndPrintsBack()
    {
        var server = _network.Host("server").Reactor.ServerEndpoint("haproxy:tcp:8000");
        using var listening = server.Listen().Subscribe(connection =>
        {
            connection.Output.OnNext(Encoding.ASCII.GetBytes($"you are {connection.RemoteEndPoint}"));
            connection.Output.OnCompleted();
        });
        var reply = _network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000")
            .WithProxyHeader(ProxyHeader.V1(Client4, Server4))
            .Connect().SelectMany(connection => connection.Input.ReadAllText()).Record(_scheduler);

        _scheduler.Start();

        Assert.Equal([OnNext(3 * Ms, "you are 203.0.113.7:51234"), OnCompleted<string>(3 * Ms)], reply.Messages);
        Assert.StartsWith("haproxy:", server.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ProxiedInput_PayloadHeldWhileASecondSubscriberComes_RefusesItMentioningPublish()
    {
        var proxied = ReadWithPayload("held");
        var first = proxied.Input.RecordText(_scheduler);
        var second = proxied.Input.RecordText(_scheduler);

        _scheduler.Start();

        Assert.Equal("held", first.Messages[0].Value.Value);
        Assert.Contains("Publish()", Assert.IsType<InvalidOperationException>(second.Messages.Single().Value.Exception).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProxiedInput_UnsubscribedBeforeThePayloadCame_KeepsItForTheNextSubscriber()
    {
        var proxied = ReadWithPayload("kept");
        var leaving = proxied.Input.Subscribe(_ => Assert.Fail("unsubscribed before its turn"));
        leaving.Dispose();
        var next = proxied.Input.RecordText(_scheduler);

        _scheduler.Start();

        Assert.Equal([OnNext(2 * Ms + 1, "kept")], next.Messages);
    }

    [Fact]
    public void ProxiedInput_ConsumerWithoutDemand_GetsThePayloadOnlyOnceItAsks()
    {
        var proxied = ReadWithPayload("paced");
        var demand = new BehaviorSubject<bool>(false);
        var got = new List<(long, string)>();
        proxied.Input.Subscribe(
            System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(chunk => got.Add((_scheduler.Clock, Encoding.ASCII.GetString(chunk.Span)))), demand);
        _scheduler.ScheduleAbsolute(50 * Ms, () => demand.OnNext(true));

        _scheduler.Start();

        Assert.Equal([(50 * Ms + 1, "paced")], got);
    }

    [Fact]
    public void ProxiedConnection_DisposedWithThePayloadUnread_DropsItAndTheInputFailsAsAborted()
    {
        var proxied = ReadWithPayload("dropped");
        proxied.Dispose();
        var input = proxied.Input.RecordText(_scheduler);

        _scheduler.Start();

        Assert.IsType<ConnectionAbortedException>(input.Messages.Single().Value.Exception);
    }

    /// <summary>Listens on server:8000 through <c>AcceptProxyProtocol</c>; each proxied connection's input is recorded as text.</summary>
    private List<ITestableObserver<string>> Serve()
    {
        var inputs = new List<ITestableObserver<string>>();
        _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .AcceptProxyProtocol(_scheduler, logger: _logger)
            .Subscribe(connection =>
            {
                _accepted.Add((_scheduler.Clock, connection));
                inputs.Add(connection.Input.RecordText(_scheduler));
            });
        return inputs;
    }

    /// <summary>Connects client to server:8000 and calls <paramref name="onConnected"/> at the connect (1 ms).</summary>
    private StrongBox<IConnection> Connect(Action<IConnection> onConnected)
    {
        var box = new StrongBox<IConnection>();
        _network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect().Subscribe(connection =>
        {
            box.Value = connection;
            onConnected(connection);
        });
        return box;
    }

    /// <summary>A client connecting at <paramref name="at"/> that writes <paramref name="header"/> and then, 1 ms later,
    /// <paramref name="message"/>; what it receives is recorded.</summary>
    private ITestableObserver<string> ConnectAt(long at, byte[] header, string message)
    {
        var received = _scheduler.CreateObserver<string>();
        if (at == 0)
            Connect();
        else
            _scheduler.ScheduleAbsolute(at, Connect);
        return received;

        void Connect() => _network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect().Subscribe(connection =>
        {
            connection.Input.Select(chunk => Encoding.ASCII.GetString(chunk.Span)).Subscribe(received);
            if (header.Length > 0)
                connection.Output.OnNext(header);
            if (message.Length > 0)
                _scheduler.ScheduleRelative(1 * Ms, () => connection.Output.OnNext(Encoding.ASCII.GetBytes(message)));
        });
    }

    /// <summary>A proxied server connection whose header came with <paramref name="payload"/> in its chunk, read at 2 ms.</summary>
    private IProxiedConnection ReadWithPayload(string payload)
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted);
        IProxiedConnection? proxied = null;
        server!.ReadProxyHeader(_scheduler).Subscribe(c => proxied = c);
        client.Output.OnNext(Join(ProxyHeaderEncoder.ToArray(ProxyHeader.V1(Client4, Server4)), Encoding.ASCII.GetBytes(payload)));
        _scheduler.AdvanceTo(2 * Ms);
        return proxied ?? throw new InvalidOperationException("no header by 2 ms");
    }

    private static byte[] Join(byte[] header, ReadOnlySpan<byte> payload) => [.. header, .. payload];

    private sealed class StrongBox<T>
        where T : class
    {
        public T? Value { get; set; }
    }
}

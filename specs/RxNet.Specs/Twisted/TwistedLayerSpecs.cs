using System.Net;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>
/// The Twisted-style layer on a simulated host: <c>ListenTcp</c>, <c>ConnectTcp</c>, <c>Protocol</c> and
/// <c>ClientFactory</c> meet each simulated fault exactly as they meet it on sockets, at the tick the
/// timing model says.
/// </summary>
public sealed class TwistedLayerSpecs
{
    private static readonly long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();

    [Fact]
    public void ConnectTcp_NobodyListens_ClientConnectionFailedWithRefusalOneLatencyLater()
    {
        var network = Network(latency: 7);
        var factory = new RecordingClientFactory(_scheduler);

        network.Host("client").Reactor.ConnectTcp("server", 8000, factory);
        _scheduler.Start();

        var (ticks, reason) = Assert.Single(factory.Failures);
        Assert.Equal(7 * Ms, ticks);
        Assert.IsType<ConnectionRefusedException>(reason);
    }

    [Fact]
    public void ConnectTcp_AcrossAPartition_ClientConnectionFailedWithTimeoutAtTheTimeout()
    {
        var network = Network(latency: 7);
        network.Partition("client", "server");
        using var port = network.Host("server").Reactor.ListenTcp(8000, Factory.ForProtocol<Silent>());
        var factory = new RecordingClientFactory(_scheduler);

        network.Host("client").Reactor.ConnectTcp("server", 8000, factory, timeout: 5);
        _scheduler.Start();

        var (ticks, reason) = Assert.Single(factory.Failures);
        Assert.Equal(5_000 * Ms, ticks);
        Assert.IsType<TimeoutException>(reason);
    }

    [Fact]
    public void Protocol_OneByteSegments_DataReceivedOncePerByteAndEveryByteInOrder()
    {
        var network = Network(latency: 1);
        network.Link("client", "server", new LinkOptions { MaxSegmentSize = 1 });
        var received = new List<string>();
        using var port = network.Host("server").Reactor.ListenTcp(8000, new LambdaFactory(() => new Recorder(received)));
        var factory = new RecordingClientFactory(_scheduler, "Hello, RxNet Server!\n");

        network.Host("client").Reactor.ConnectTcp("server", 8000, factory);
        _scheduler.Start();

        Assert.Equal("Hello, RxNet Server!\n".Select(c => c.ToString()), received);
    }

    [Fact]
    public void Protocol_NetworkResetsTheConnection_ConnectionLostWithResetOnBothSides()
    {
        var network = Network(latency: 3);
        var serverReasons = new List<ConnectionCloseReason>();
        using var port = network.Host("server").Reactor.ListenTcp(8000, new LambdaFactory(() => new Recorder([], serverReasons)));
        var factory = new RecordingClientFactory(_scheduler);
        network.Host("client").Reactor.ConnectTcp("server", 8000, factory);
        _scheduler.AdvanceTo(3 * Ms);

        network.Reset(Assert.Single(factory.Protocols).Connection!);
        _scheduler.Start();

        Assert.Equal([ConnectionCloseReason.Reset], serverReasons);
        var (ticks, reason) = Assert.Single(factory.Lost);
        Assert.Equal(3 * Ms, ticks);
        Assert.Equal(ConnectionCloseReason.Reset, reason.Reason);
        Assert.IsType<ConnectionResetException>(reason.Error);
    }

    [Fact]
    public void Protocol_LatencyAndBandwidth_DataArrivesWhenTransmissionEndsPlusLatency()
    {
        var network = Network(latency: 10);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(10), BytesPerSecond = 1_000 });
        var arrivals = new List<long>();
        using var port = network.Host("server").Reactor.ListenTcp(8000, new LambdaFactory(() => new Recorder([], onData: () => arrivals.Add(_scheduler.Clock))));
        var factory = new RecordingClientFactory(_scheduler, new string('x', 100));

        network.Host("client").Reactor.ConnectTcp("server", 8000, factory);
        _scheduler.Start();

        // Connected at 10 ms; 100 bytes at 1000 B/s take 100 ms; then 10 ms on the link.
        Assert.Equal([120 * Ms], arrivals);
    }

    private SimulatedNetwork Network(int latency)
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(latency) });
        return network;
    }

    private sealed class Silent : Protocol;

    private sealed class Recorder(List<string> data, List<ConnectionCloseReason>? reasons = null, Action? onData = null) : Protocol
    {
        public override void DataReceived(ReadOnlyMemory<byte> bytes)
        {
            data.Add(Encoding.UTF8.GetString(bytes.Span));
            onData?.Invoke();
        }

        public override void ConnectionLost(ConnectionClosed reason) => reasons?.Add(reason.Reason);
    }

    private sealed class LambdaFactory(Func<Protocol> build) : Factory
    {
        public override Protocol BuildProtocol(EndPoint? address) => build();
    }

    /// <summary>Sends <paramref name="greeting"/> when connected, and records failures and losses with their ticks.</summary>
    private sealed class RecordingClientFactory(TestScheduler scheduler, string? greeting = null) : ClientFactory
    {
        public List<(long Ticks, Exception Reason)> Failures { get; } = [];

        public List<(long Ticks, ConnectionClosed Reason)> Lost { get; } = [];

        public List<Greeter> Protocols { get; } = [];

        public override Protocol BuildProtocol(EndPoint? address)
        {
            var protocol = new Greeter(greeting);
            Protocols.Add(protocol);
            return protocol;
        }

        public override void ClientConnectionFailed(IConnector connector, Exception reason) => Failures.Add((scheduler.Clock, reason));

        public override void ClientConnectionLost(IConnector connector, ConnectionClosed reason) => Lost.Add((scheduler.Clock, reason));
    }

    private sealed class Greeter(string? greeting) : Protocol
    {
        public IConnection? Connection { get; private set; }

        public override void ConnectionMade()
        {
            Connection = Transport.Connection;
            if (greeting is not null)
                Transport.Write(Encoding.UTF8.GetBytes(greeting));
        }
    }
}

using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Testing.Specs.Twisted;
using RxNet.Twisted;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Testing.Specs.Helpers;

/// <summary>
/// One-call connections for Twisted-style protocols: <c>ConnectTo(factory)</c> runs the protocol under test on the
/// server with the spec on the client's end, and <c>ConnectPair(serverFactory, clientFactory)</c> connects two
/// protocols (Twisted's <c>iosim.connectedServerAndClient</c>), each factory knowing its host's reactor.
/// </summary>
public sealed class ConnectFactorySpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();

    [Fact]
    public void ConnectTo_FingerFactory_AScriptedClientGetsTheAnswerThenTheClose()
    {
        var network = new SimulatedNetwork(_scheduler);
        var client = network.ConnectTo(Factory.ForProtocol<Finger>());

        var run = Script.Send("moshez\r\n").Expect("Login: moshez\nNo such user\n").ExpectClose().Run(client, _scheduler);
        _scheduler.Start();

        run.Verify();
    }

    [Fact]
    public void ConnectTo_ProtocolWithATimer_RunsItOnTheServerHostsReactorInVirtualTime()
    {
        var network = new SimulatedNetwork(_scheduler);
        var factory = Factory.ForProtocol(f => new TestingGuideSpecs.Bell(f.Reactor, TimeSpan.FromSeconds(30))); // the guide's bell

        var client = network.ConnectTo(factory, serverHost: "db");
        var heard = client.Input.RecordText(_scheduler);
        _scheduler.Start();

        Assert.Same(network.Host("db").Reactor, factory.Reactor);
        Assert.Equal([OnNext(30_002 * Ms, "ding"), OnCompleted<string>(30_002 * Ms)], heard.Messages); // connected at 1 ms
    }

    [Fact]
    public void ConnectTo_FactoryRefuses_TheClientIsReset()
    {
        var network = new SimulatedNetwork(_scheduler);

        var client = network.ConnectTo(Factory.ForProtocol(() => null));
        var heard = client.Input.RecordText(_scheduler);
        _scheduler.Start();

        Assert.IsType<ConnectionResetException>(Assert.Single(heard.Messages).Value.Exception);
    }

    [Fact]
    public void ConnectPair_FingerAndAClient_TalkWhenTheSchedulerRunsAndBothSeeTheEnd()
    {
        var network = new SimulatedNetwork(_scheduler);
        var clientFactory = Factory.ForProtocol<Asker>();

        var (client, server) = network.ConnectPair(Factory.ForProtocol<Finger>(), clientFactory);
        _scheduler.Start(); // Twisted's pump.flush()

        var asker = Assert.IsType<Asker>(client);
        Assert.IsType<Finger>(server);
        Assert.Equal("Login: moshez\nNo such user\n", asker.Heard.ToString());
        Assert.False(asker.Connected);
        Assert.False(server.Connected);
        Assert.Same(network.Host("client").Reactor, clientFactory.Reactor);
    }

    [Fact]
    public void ConnectPair_ClientFactoryRefuses_ThrowsInvalidOperationNamingItAndResetsTheServer()
    {
        var network = new SimulatedNetwork(_scheduler);
        var serverFactory = Factory.ForProtocol<Finger>();

        var error = Assert.Throws<InvalidOperationException>(() => network.ConnectPair(serverFactory, new Refusing()));
        _scheduler.Start();

        Assert.Contains(nameof(Refusing), error.Message, StringComparison.Ordinal);
        Assert.Contains(network.Trace, e => e.Kind == NetworkEventKind.Reset && e.To.StartsWith("server:", StringComparison.Ordinal));
    }

    /// <summary>Asks finger about moshez and keeps what it hears.</summary>
    private sealed class Asker : Protocol
    {
        public StringBuilder Heard { get; } = new();

        public override void ConnectionMade() => Transport.Write("moshez\r\n"u8.ToArray());

        public override void DataReceived(ReadOnlyMemory<byte> data) => Heard.Append(Encoding.UTF8.GetString(data.Span));
    }

    private sealed class Refusing : Factory
    {
        public override Protocol? BuildProtocol(System.Net.EndPoint? address) => null;
    }
}

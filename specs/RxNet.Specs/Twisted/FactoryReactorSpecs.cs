using System.Net;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet.Specs.Fakes;
using RxNet.Twisted;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Specs.Twisted;

/// <summary>
/// A factory that knows its reactor (<see cref="Factory.Reactor"/>, set by the reactor verbs), and factories made
/// from a builder (<c>Factory.ForProtocol(f =&gt; ...)</c>), so a protocol with a timer or constructor arguments
/// needs no factory class of its own.
/// </summary>
public sealed class FactoryReactorSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    [Fact]
    public void Reactor_ListenTcp_IsTheReactorListenedThroughAlreadyInStartFactory()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory();
        IReactor? atStart = null;
        factory.OnStart = () => atStart = factory.Reactor;

        using var port = reactor.ListenTcp(8000, factory);

        Assert.Same(reactor, factory.Reactor);
        Assert.Same(reactor, atStart);
    }

    [Fact]
    public void Reactor_ListenWithADescription_IsTheReactorListenedThrough()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory();

        using var port = reactor.Listen("unix:/run/app.sock", factory);

        Assert.Same(reactor, factory.Reactor);
    }

    [Fact]
    public void Reactor_ConnectTcpAndConnect_AreTheReactorConnectedThroughAlreadyInStartedConnecting()
    {
        var first = new FakeReactor();
        var second = new FakeReactor();
        var factory = new CountingFactory();
        var seen = new List<IReactor>();
        factory.OnConnecting = _ => seen.Add(factory.Reactor);

        first.ConnectTcp("example.com", 80, factory);
        second.Connect("tcp:host=example.com:port=80", factory);

        Assert.Equal([first, second], seen);
        Assert.Same(second, factory.Reactor); // the last reactor used wins
    }

    [Fact]
    public void Reactor_NeverListenedNorSet_ThrowsInvalidOperationNamingTheFactoryAndTheVerbs()
    {
        var factory = new CountingFactory();

        var error = Assert.Throws<InvalidOperationException>(() => factory.Reactor);

        Assert.Contains(nameof(CountingFactory), error.Message, StringComparison.Ordinal);
        Assert.Contains("ListenTcp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reactor_SetByHand_IsReturnedAndNullIsRefused()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory { Reactor = reactor };

        Assert.Same(reactor, factory.Reactor);
        Assert.Throws<ArgumentNullException>(() => factory.Reactor = null!);
    }

    [Fact]
    public void ForProtocol_ProtocolWithATimerFromItsFactory_RingsOnTheReactorsClockInVirtualTime()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var factory = Factory.ForProtocol(f => new Bell(f.Reactor, TimeSpan.FromSeconds(5), "ding\r\n"));
        using var port = network.Host("server").Reactor.ListenTcp(8000, factory);
        ITestableObserver<string>? replies = null;
        using var connecting = network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect()
            .Subscribe(connection => replies = connection.Input.RecordText(scheduler));

        scheduler.Start();

        Assert.NotNull(replies);
        // connected at 1 ms, rung 5 s later on the server's reactor, heard 1 ms after that, then the server closes
        Assert.Equal([OnNext(5_002 * Ms, "ding\r\n"), OnCompleted<string>(5_002 * Ms)], replies.Messages);
    }

    [Fact]
    public void ForProtocol_ClientFactoryWithATimer_RingsOnTheReactorItConnectedThrough()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        ITestableObserver<string>? heard = null;
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(connection => heard = connection.Input.RecordText(scheduler));
        var factory = ClientFactory.ForProtocol(f => new Bell(f.Reactor, TimeSpan.FromSeconds(2), "hello\r\n"));

        network.Host("client").Reactor.ConnectTcp("server", 8000, factory);
        scheduler.Start();

        Assert.NotNull(heard);
        Assert.Equal([OnNext(2_002 * Ms, "hello\r\n"), OnCompleted<string>(2_002 * Ms)], heard.Messages);
    }

    [Fact]
    public void ForProtocol_BuilderWithConstructorArguments_BuildsAFreshProtocolPerConnectionWithItsFactorySet()
    {
        var factory = Factory.ForProtocol(() => new Bell(new FakeReactor(), TimeSpan.Zero, "x"));

        var a = factory.BuildProtocol(null);
        var b = factory.BuildProtocol(new IPEndPoint(IPAddress.Loopback, 1));

        Assert.IsType<Bell>(a);
        Assert.IsType<Bell>(b);
        Assert.NotSame(a, b);
        Assert.Same(factory, a.Factory); // as Twisted's buildProtocol sets protocol.factory
        Assert.Same(factory, b.Factory);
    }

    [Fact]
    public void ForProtocol_TypeOnly_BuildProtocolByHandSetsTheFactoryAsTwistedDoes()
    {
        var factory = Factory.ForProtocol<RecordingProtocol>();
        var client = ClientFactory.ForProtocol<RecordingProtocol>();

        Assert.Same(factory, factory.BuildProtocol(null)!.Factory);
        Assert.Same(client, client.BuildProtocol(null)!.Factory);
    }

    [Fact]
    public void ForProtocol_BuilderReturnsNull_RefusesTheConnection()
    {
        var reactor = new FakeReactor();
        using var port = reactor.ListenTcp(8000, Factory.ForProtocol(_ => null));
        var connection = new FakeConnection();

        reactor.ServerEndpoints[0].Accept(connection);

        Assert.True(connection.IsDisposed);
    }

    [Fact]
    public void ForProtocol_NullBuilder_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => Factory.ForProtocol((Func<Protocol?>)null!));
        Assert.Throws<ArgumentNullException>(() => Factory.ForProtocol((Func<Factory, Protocol?>)null!));
        Assert.Throws<ArgumentNullException>(() => ClientFactory.ForProtocol((Func<ClientFactory, Protocol?>)null!));
    }

    [Fact]
    public void Serve_AConnectionInHand_RunsTheFactorysProtocolOverIt()
    {
        var factory = Factory.ForProtocol<RecordingProtocol>();
        var connection = new FakeConnection();

        var protocol = Assert.IsType<RecordingProtocol>(factory.Serve(connection));
        connection.Input.Receive("hi");
        connection.Input.End();

        Assert.Same(factory, protocol.Factory);
        Assert.Equal(["made", "made:end", "data:hi"], protocol.Log);
        Assert.True(connection.Output.IsCompleted); // the peer's FIN closes a protocol's side too
    }

    [Fact]
    public void Serve_FactoryRefuses_AbortsTheConnectionAndReturnsNull()
    {
        var connection = new FakeConnection();

        Assert.Null(Factory.ForProtocol(() => null).Serve(connection));
        Assert.True(connection.IsDisposed);
    }

    /// <summary>Writes its message once, <c>delay</c> after the connection is made, on the reactor's clock, then closes.</summary>
    private sealed class Bell(IReactor reactor, TimeSpan delay, string message) : Protocol
    {
        public override void ConnectionMade() => reactor.CallLater(delay, () =>
        {
            Transport.Write(Encoding.UTF8.GetBytes(message));
            Transport.LoseConnection();
        });
    }
}

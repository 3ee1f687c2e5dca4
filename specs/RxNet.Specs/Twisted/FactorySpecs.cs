using System.Net;
using RxNet.Specs.Fakes;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>
/// <see cref="Factory"/>: one protocol per connection, and <c>StartFactory</c>/<c>StopFactory</c>
/// once around all the ports that listen with it (Twisted's <c>doStart</c>/<c>doStop</c>).
/// </summary>
public sealed class FactorySpecs
{
    [Fact]
    public void ForProtocol_EachConnection_GetsANewProtocolWhoseFactoryIsSet()
    {
        var reactor = new FakeReactor();
        var factory = Factory.ForProtocol<SelfReportingProtocol>();
        using var port = reactor.ListenTcp(8000, factory);
        using var first = new FakeConnection();
        using var second = new FakeConnection();

        reactor.ServerEndpoints[0].Accept(first);
        reactor.ServerEndpoints[0].Accept(second);

        var a = SelfReportingProtocol.On(first);
        var b = SelfReportingProtocol.On(second);
        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.NotSame(a, b);
        Assert.Same(factory, a.Factory);
        Assert.Same(factory, b.Factory);
        Assert.Same(factory, a.FactoryAtMade);
    }

    [Fact]
    public void ForProtocol_BuildProtocol_ReturnsAFreshInstanceOfT()
    {
        var factory = Factory.ForProtocol<RecordingProtocol>();

        var a = factory.BuildProtocol(null);
        var b = factory.BuildProtocol(new IPEndPoint(IPAddress.Loopback, 1));

        Assert.IsType<RecordingProtocol>(a);
        Assert.IsType<RecordingProtocol>(b);
        Assert.NotSame(a, b);
    }

    [Fact]
    public void BuildProtocol_NotOverridden_ThrowsNotSupportedNamingTheFactory()
    {
        var factory = new PlainFactory();

        var error = Assert.Throws<NotSupportedException>(() => factory.BuildProtocol(null));

        Assert.Contains(nameof(PlainFactory), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartFactory_OnePort_RunsOnceBeforeTheEndpointListens()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory();
        bool listeningAtStart = true;
        factory.OnStart = () => listeningAtStart = reactor.ServerEndpoints[^1].IsListening;

        using var port = reactor.ListenTcp(8000, factory);

        Assert.Equal(1, factory.StartCount);
        Assert.Equal(0, factory.StopCount);
        Assert.False(listeningAtStart);
        Assert.True(reactor.ServerEndpoints[0].IsListening);
    }

    [Fact]
    public void StopFactory_OnePortStops_RunsOnceAfterTheEndpointUnbinds()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory();
        var port = reactor.ListenTcp(8000, factory);

        port.StopListening();

        Assert.Equal(1, factory.StopCount);
        Assert.False(reactor.ServerEndpoints[0].IsListening);
        Assert.Equal(["start", "stop"], factory.Log);
    }

    [Fact]
    public void StartAndStop_TwoPortsShareAFactory_StartOnceAndStopAfterTheLast()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory();

        var first = reactor.ListenTcp(8000, factory);
        var second = reactor.ListenTcp(8001, factory);
        Assert.Equal(1, factory.StartCount);

        first.StopListening();
        Assert.Equal(0, factory.StopCount);

        second.Dispose();
        Assert.Equal(1, factory.StopCount);
        Assert.Equal(["start", "stop"], factory.Log);
    }

    [Fact]
    public void StartFactory_ListeningAgainAfterAllStopped_RunsAgain()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory();
        reactor.ListenTcp(8000, factory).Dispose();

        using var again = reactor.ListenTcp(8000, factory);

        Assert.Equal(["start", "stop", "start"], factory.Log);
    }

    [Fact]
    public void StopFactory_PortStoppedTwice_RunsOnceAndTheOtherPortKeepsItStarted()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory();
        var first = reactor.ListenTcp(8000, factory);
        using var second = reactor.ListenTcp(8001, factory);

        first.StopListening();
        first.StopListening();
        first.Dispose();

        Assert.Equal(0, factory.StopCount);
        Assert.Equal(1, reactor.ServerEndpoints[0].UnsubscribeCount);
    }

    private sealed class PlainFactory : Factory;
}

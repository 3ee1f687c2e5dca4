using System.Net;
using RxNet.Specs.Fakes;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>
/// A port listening with a factory (<c>reactor.ListenTcp</c>): every accepted connection gets a
/// protocol, a refused one is closed, a bind failure is an <see cref="IOException"/>, and stopping
/// unbinds without touching connections already made.
/// </summary>
public sealed class ListeningPortSpecs
{
    [Fact]
    public void Accept_Connection_RunsAProtocolBuiltForThePeer()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory();
        using var port = reactor.ListenTcp(8000, factory);
        var peer = new IPEndPoint(IPAddress.Parse("10.0.0.7"), 40000);
        using var connection = new FakeConnection { RemoteEndPoint = peer };

        reactor.ServerEndpoints[0].Accept(connection);
        connection.Input.Receive("hi");

        var protocol = Assert.Single(factory.Built);
        Assert.Equal(peer, Assert.Single(factory.BuildAddresses));
        Assert.Same(factory, protocol.Factory);
        Assert.Equal(["made", "made:end", "data:hi"], protocol.Log);
    }

    [Fact]
    public void Accept_ConnectionEnds_ProtocolHearsConnectionLost()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory();
        using var port = reactor.ListenTcp(8000, factory);
        using var connection = new FakeConnection();
        reactor.ServerEndpoints[0].Accept(connection);

        connection.Input.End();
        connection.Close(ConnectionCloseReason.PeerClose);

        var protocol = Assert.Single(factory.Built);
        Assert.True(connection.Output.IsCompleted);
        Assert.Equal(ConnectionCloseReason.PeerClose, Assert.Single(protocol.LostReasons).Reason);
        Assert.False(protocol.Connected);
    }

    [Fact]
    public void Accept_FactoryReturnsNull_ClosesThatConnectionAndKeepsListening()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory { Refuse = true };
        using var port = reactor.ListenTcp(8000, factory);
        using var refused = new FakeConnection();
        using var accepted = new FakeConnection();

        reactor.ServerEndpoints[0].Accept(refused);
        factory.Refuse = false;
        reactor.ServerEndpoints[0].Accept(accepted);

        Assert.Equal(1, refused.DisposeCount);
        Assert.Equal(0, refused.Input.SubscribeCount);
        Assert.False(accepted.IsDisposed);
        Assert.Single(factory.Built);
        Assert.True(reactor.ServerEndpoints[0].IsListening);
    }

    [Fact]
    public void Host_AfterListening_IsTheAddressTheEndpointBound()
    {
        var reactor = new FakeReactor();
        var bound = new IPEndPoint(IPAddress.Loopback, 43210);
        reactor.ConfigureServer = e => e.BoundAt = bound;

        using var port = reactor.ListenTcp(0, new CountingFactory());

        Assert.Equal(bound, port.Host);
    }

    [Fact]
    public void StopListening_WithOpenConnections_UnbindsAndLeavesThemRunning()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory();
        var port = reactor.ListenTcp(8000, factory);
        using var connection = new FakeConnection();
        reactor.ServerEndpoints[0].Accept(connection);
        var protocol = Assert.Single(factory.Built);

        port.StopListening();
        connection.Input.Receive("after stop");

        Assert.False(reactor.ServerEndpoints[0].IsListening);
        Assert.Equal(1, reactor.ServerEndpoints[0].UnsubscribeCount);
        Assert.False(connection.IsDisposed);
        Assert.True(protocol.Connected);
        Assert.Contains("data:after stop", protocol.Log);
    }

    [Fact]
    public void ListenTcp_ListenFailsWithAnIOException_ThrowsIt()
    {
        var reactor = new FakeReactor();
        var inUse = new IOException("address in use");
        reactor.ConfigureServer = e => e.ListenError = inUse;

        var error = Assert.Throws<IOException>(() => reactor.ListenTcp(8000, new CountingFactory()));

        Assert.Same(inUse, error);
    }

    [Fact]
    public void ListenTcp_ListenFailsWithAnotherException_ThrowsAnIOExceptionWrappingIt()
    {
        var reactor = new FakeReactor();
        var denied = new UnauthorizedAccessException("port below 1024");
        reactor.ConfigureServer = e => e.ListenError = denied;

        var error = Assert.Throws<IOException>(() => reactor.ListenTcp(80, new CountingFactory()));

        Assert.Same(denied, error.InnerException);
        Assert.Contains("port below 1024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListenTcp_ListenFails_LeavesTheFactoryStoppedAndTheEndpointUnsubscribed()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory();
        reactor.ConfigureServer = e => e.ListenError = new IOException("in use");
        Assert.Throws<IOException>(() => reactor.ListenTcp(8000, factory));
        Assert.Equal(factory.StartCount, factory.StopCount);
        Assert.Equal(1, reactor.ServerEndpoints[0].UnsubscribeCount);

        reactor.ConfigureServer = null;
        using var port = reactor.ListenTcp(8001, factory);

        Assert.Equal("start", factory.Log[^1]);
        Assert.Equal(factory.StopCount + 1, factory.StartCount);
    }

    [Fact]
    public void ListenTcp_ListenFailsLater_DoesNotThrowAndStopListeningStillStopsTheFactory()
    {
        var reactor = new FakeReactor();
        var factory = new CountingFactory();
        var port = reactor.ListenTcp(8000, factory);

        var error = Record.Exception(() => reactor.ServerEndpoints[0].Fail(new IOException("network down")));
        port.StopListening();

        Assert.Null(error);
        Assert.Equal(1, factory.StopCount);
    }
}

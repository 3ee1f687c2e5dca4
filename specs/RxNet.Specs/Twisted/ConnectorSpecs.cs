using System.Net;
using RxNet.Specs.Fakes;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>
/// A client connection through <c>reactor.ConnectTcp</c>: the factory hears <c>StartedConnecting</c>,
/// then either a protocol runs over the connection (and <c>ClientConnectionLost</c> follows its end)
/// or <c>ClientConnectionFailed</c>; the connector retries, cancels and disconnects.
/// </summary>
public sealed class ConnectorSpecs
{
    private readonly FakeReactor _reactor = new();
    private readonly CountingFactory _factory = new();

    private FakeClientEndpoint Endpoint => Assert.Single(_reactor.ClientEndpoints);

    [Fact]
    public void ConnectTcp_Called_StartsConnectingWithTheReturnedConnectorBeforeAttempting()
    {
        int attemptsAtStart = -1;
        _factory.OnConnecting = _ => attemptsAtStart = Endpoint.Attempts.Count;

        var connector = _reactor.ConnectTcp("example.com", 80, _factory);

        Assert.Same(connector, Assert.Single(_factory.Connecting));
        Assert.Equal(0, attemptsAtStart);
        Assert.Single(Endpoint.Attempts);
        Assert.Empty(_factory.Built);
    }

    [Fact]
    public void Connected_Connection_BuildsTheProtocolForThePeerAndRunsIt()
    {
        var peer = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 80);
        using var connection = new FakeConnection { RemoteEndPoint = peer };
        _reactor.ConnectTcp("example.com", 80, _factory);

        Endpoint.Attempts[0].Succeed(connection);
        connection.Input.Receive("welcome");

        var protocol = Assert.Single(_factory.Built);
        Assert.Equal(peer, Assert.Single(_factory.BuildAddresses));
        Assert.Same(_factory, protocol.Factory);
        Assert.Equal(["made", "made:end", "data:welcome"], protocol.Log);
        Assert.Empty(_factory.Failed);
    }

    [Fact]
    public void Connected_ConnectionEnds_ProtocolLosesItThenTheFactoryHearsClientConnectionLost()
    {
        using var connection = new FakeConnection();
        var connector = _reactor.ConnectTcp("example.com", 80, _factory);
        Endpoint.Attempts[0].Succeed(connection);
        var reason = new ConnectionClosed(ConnectionCloseReason.PeerClose);

        connection.Input.End();
        connection.Close(reason);

        Assert.Equal(["connecting", "build", "protocol:lost:PeerClose", "lost:PeerClose"], _factory.Log);
        var (lostConnector, lostReason) = Assert.Single(_factory.Lost);
        Assert.Same(connector, lostConnector);
        Assert.Same(reason, lostReason);
    }

    [Fact]
    public void Connect_AttemptFails_FactoryHearsClientConnectionFailedWithTheError()
    {
        var connector = _reactor.ConnectTcp("example.com", 80, _factory);
        var refused = new ConnectionRefusedException("nobody home");

        Endpoint.Attempts[0].Fail(refused);

        var (failedConnector, reason) = Assert.Single(_factory.Failed);
        Assert.Same(connector, failedConnector);
        Assert.Same(refused, reason);
        Assert.Empty(_factory.Built);
        Assert.Empty(_factory.Lost);
    }

    [Fact]
    public void Connect_AfterAFailure_RetriesThroughTheSameEndpoint()
    {
        using var connection = new FakeConnection();
        var connector = _reactor.ConnectTcp("example.com", 80, _factory);
        Endpoint.Attempts[0].Fail(new TimeoutException());

        connector.Connect();
        Endpoint.Attempts[1].Succeed(connection);

        Assert.Equal(2, Endpoint.Attempts.Count);
        Assert.Equal(2, _factory.Connecting.Count);
        Assert.Single(_factory.Built);
        Assert.Equal(["connecting", "failed", "connecting", "build"], _factory.Log);
    }

    [Fact]
    public void Connect_FromClientConnectionLost_ReconnectsWithANewProtocol()
    {
        using var first = new FakeConnection();
        using var second = new FakeConnection();
        _factory.OnLost = (connector, _) => connector.Connect();
        _reactor.ConnectTcp("example.com", 80, _factory);
        Endpoint.Attempts[0].Succeed(first);

        first.Close(ConnectionCloseReason.Reset, new ConnectionResetException());
        Endpoint.Attempts[1].Succeed(second);
        second.Input.Receive("again");

        Assert.Equal(2, _factory.Built.Count);
        Assert.NotSame(_factory.Built[0], _factory.Built[1]);
        Assert.False(_factory.Built[0].Connected);
        Assert.Contains("data:again", _factory.Built[1].Log);
    }

    [Fact]
    public void Connect_WhileAnAttemptIsPending_CancelsThePendingAttempt()
    {
        var connector = _reactor.ConnectTcp("example.com", 80, _factory);

        connector.Connect();

        Assert.True(Endpoint.Attempts[0].IsCancelled);
        Assert.False(Endpoint.Attempts[1].IsCancelled);
    }

    [Fact]
    public void StopConnecting_WhileConnecting_DisposesTheAttemptSoNoProtocolIsBuilt()
    {
        var connector = _reactor.ConnectTcp("example.com", 80, _factory);
        using var late = new FakeConnection();

        connector.StopConnecting();
        Endpoint.Attempts[0].Succeed(late);

        Assert.True(Endpoint.Attempts[0].IsCancelled);
        Assert.Empty(_factory.Built);
        Assert.Equal(0, late.Input.SubscribeCount);
    }

    [Fact]
    public void StopConnecting_NothingPending_DoesNothing()
    {
        using var connection = new FakeConnection();
        var connector = _reactor.ConnectTcp("example.com", 80, _factory);
        Endpoint.Attempts[0].Succeed(connection);

        var error = Record.Exception(() =>
        {
            connector.StopConnecting();
            connector.StopConnecting();
        });

        Assert.Null(error);
        Assert.False(connection.IsDisposed);
        Assert.True(Assert.Single(_factory.Built).Connected);
    }

    [Fact]
    public void Disconnect_WhileConnected_CompletesTheOutput()
    {
        using var connection = new FakeConnection();
        var connector = _reactor.ConnectTcp("example.com", 80, _factory);
        Endpoint.Attempts[0].Succeed(connection);

        connector.Disconnect();

        Assert.Equal(1, connection.Output.CompletedCount);
        Assert.False(connection.IsDisposed);
    }

    [Fact]
    public void Disconnect_AfterTheConnectionWasLost_DoesNotTouchIt()
    {
        using var connection = new FakeConnection();
        var connector = _reactor.ConnectTcp("example.com", 80, _factory);
        Endpoint.Attempts[0].Succeed(connection);
        connection.Close(ConnectionCloseReason.Reset, new ConnectionResetException());

        connector.Disconnect();

        Assert.Equal(0, connection.Output.CompletedCount);
    }

    [Fact]
    public void Disconnect_BeforeAnyConnection_DoesNotThrow()
    {
        var connector = _reactor.ConnectTcp("example.com", 80, _factory);

        var error = Record.Exception(connector.Disconnect);

        Assert.Null(error);
    }

    [Fact]
    public void Connected_FactoryReturnsNull_ClosesTheConnection()
    {
        using var connection = new FakeConnection();
        _factory.Refuse = true;
        _reactor.ConnectTcp("example.com", 80, _factory);

        Endpoint.Attempts[0].Succeed(connection);

        Assert.Equal(1, connection.DisposeCount);
        Assert.Equal(0, connection.Input.SubscribeCount);
    }

    [Fact]
    public void Destination_IsTheEndpointDescription()
    {
        var connector = _reactor.ConnectTcp("example.com", 80, _factory);

        Assert.Equal(Endpoint.Description, connector.Destination);
        Assert.Equal(Endpoint.Description, connector.ToString());
    }

    [Fact]
    public void Connect_FromClientConnectionFailedDuringASynchronousFailure_KeepsTheNewAttempt()
    {
        using var connection = new FakeConnection();
        _reactor.ConfigureClient = e => e.OnAttempt = a =>
        {
            if (e.Attempts.Count == 1)
                a.Fail(new ConnectionRefusedException());
        };
        _factory.OnFailed = (connector, _) => connector.Connect();

        _reactor.ConnectTcp("example.com", 80, _factory);

        Assert.Equal(2, Endpoint.Attempts.Count);
        Assert.False(Endpoint.Attempts[1].IsCancelled);
        Endpoint.Attempts[1].Succeed(connection);
        Assert.Single(_factory.Built);
    }

    [Fact]
    public void StopConnecting_FromStartedConnecting_CancelsTheAttempt()
    {
        using var connection = new FakeConnection();
        _factory.OnConnecting = connector => connector.StopConnecting();

        _reactor.ConnectTcp("example.com", 80, _factory);
        foreach (var attempt in Endpoint.Attempts)
            attempt.Succeed(connection);

        Assert.All(Endpoint.Attempts, a => Assert.True(a.IsCancelled));
        Assert.Empty(_factory.Built);
    }
}

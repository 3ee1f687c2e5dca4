using System.Net;
using System.Reactive.Concurrency;
using Xunit;

namespace RxNet.Testing.Specs.Fakes;

/// <summary>
/// The recording reactor (Twisted's MemoryReactor): it hands out fake endpoints that the spec drives, keeps
/// them with their descriptions, and keeps time with its TestScheduler.
/// </summary>
public sealed class FakeReactorSpecs
{
    [Fact]
    public void ServerEndpoint_ListenedTo_BindsAtOnceAndEmitsWhatTheSpecAccepts()
    {
        var reactor = new FakeReactor { ConfigureServer = s => s.BoundAt = new IPEndPoint(IPAddress.Loopback, 9000) };
        var bound = new List<EndPoint>();
        var accepted = new List<IConnection>();

        using var listening = reactor.ServerEndpoint("tcp:9000").Listen(bound.Add).Subscribe(accepted.Add);
        var connection = new FakeConnection();
        reactor.ServerEndpoints.Single().Accept(connection);

        Assert.Equal("tcp:9000", reactor.ServerEndpoints.Single().Description);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 9000)], bound);
        Assert.Same(connection, Assert.Single(accepted));
        Assert.True(reactor.ServerEndpoints.Single().IsListening);
    }

    [Fact]
    public void ServerEndpoint_WithAListenError_FailsTheSubscriptionAtOnce()
    {
        var reactor = new FakeReactor { ConfigureServer = s => s.ListenError = new InvalidOperationException("address in use") };
        Exception? error = null;

        using var _ = reactor.ServerEndpoint("tcp:80").Listen().Subscribe(_ => { }, e => error = e);

        Assert.Equal("address in use", Assert.IsType<InvalidOperationException>(error).Message);
        Assert.False(reactor.ServerEndpoints.Single().IsListening);
    }

    [Fact]
    public void ClientEndpoint_AttemptSucceeds_DeliversTheConnectionThenCompletes()
    {
        var reactor = new FakeReactor();
        var endpoint = (FakeClientEndpoint)reactor.ClientEndpoint("tcp:host=db:port=5432");
        var connections = new List<IConnection>();
        bool completed = false;

        using var _ = endpoint.Connect().Subscribe(connections.Add, () => completed = true);
        var connection = new FakeConnection();
        endpoint.Attempts.Single().Succeed(connection);

        Assert.Same(connection, Assert.Single(connections));
        Assert.True(completed);
        Assert.True(endpoint.Attempts.Single().IsFinished);
    }

    [Fact]
    public void ClientEndpoint_AttemptResolvedAfterTheSubscriberLeft_DisposesTheConnection()
    {
        var endpoint = new FakeClientEndpoint("tcp:host=db:port=5432");
        var subscription = endpoint.Connect().Subscribe(_ => Assert.Fail("the subscriber had left"));

        subscription.Dispose();
        var connection = new FakeConnection();
        endpoint.Attempts.Single().Succeed(connection);

        Assert.True(endpoint.Attempts.Single().IsCancelled);
        Assert.True(connection.IsDisposed);
    }

    [Fact]
    public void ClientEndpoint_OnAttemptFails_EachSubscriptionIsARefusedAttempt()
    {
        var reactor = new FakeReactor { ConfigureClient = c => c.OnAttempt = a => a.Fail(new ConnectionRefusedException()) };
        var endpoint = (FakeClientEndpoint)reactor.ClientEndpoint("tcp:host=db:port=5432");
        var errors = new List<Exception>();

        using var first = endpoint.Connect().Subscribe(_ => { }, errors.Add);
        using var second = endpoint.Connect().Subscribe(_ => { }, errors.Add);

        Assert.Equal(2, endpoint.Attempts.Count);
        Assert.All(errors, e => Assert.IsType<ConnectionRefusedException>(e));
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Scheduler_IsTheTestScheduler_SoTimersRunOnlyWhenTheSpecMovesIt()
    {
        var reactor = new FakeReactor();
        bool fired = false;
        reactor.Scheduler.Schedule(TimeSpan.FromSeconds(5), () => fired = true);

        reactor.Run();
        reactor.TestScheduler.AdvanceBy(TimeSpan.FromSeconds(4).Ticks);
        Assert.False(fired);
        reactor.TestScheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);

        Assert.True(fired);
        Assert.Equal(1, reactor.RunCount);
    }

    [Fact]
    public void DatagramEndpoint_Asked_ThrowsNotSupportedNamingTheSimulatedNetwork()
    {
        var reactor = new FakeReactor();

        var error = Assert.Throws<NotSupportedException>(() => reactor.DatagramEndpoint("udp:9999"));

        Assert.Contains("SimulatedNetwork", error.Message, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Reactive.Testing;
using RxNet.Twisted;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Specs.Services;

/// <summary>
/// <see cref="ServerService"/> on a simulated network with the default link (1 ms latency): an echo service on
/// server:8000, clients from the host "client". A client that connects at tick 0 is accepted at 1 ms.
/// </summary>
public sealed class ServerServiceSpecs : IDisposable
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const long Second = TimeSpan.TicksPerSecond;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;
    private readonly FakeLogger _logger = new();
    private readonly ServerService _service;

    public ServerServiceSpecs()
    {
        _network = new SimulatedNetwork(_scheduler);
        _service = new ServerService(_network.Host("server").Reactor.ServerEndpoint("tcp:8000"), Serve, _scheduler, _logger);
    }

    public void Dispose() => _service.Dispose();

    [Fact]
    public void Start_PortFree_EmitsTheBoundAddressAndCompletesAtOnce()
    {
        var started = _service.Start().Record(_scheduler);

        Assert.Equal([OnNext<EndPoint>(0, new DnsEndPoint("server", 8000)), OnCompleted<EndPoint>(0)], started.Messages);
        Assert.Equal(new DnsEndPoint("server", 8000), _service.BoundEndPoint);
    }

    [Fact]
    public void Start_PortInUse_FailsWithTheBindError()
    {
        using var squatter = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe();

        var started = _service.Start().Record(_scheduler);

        var failure = Assert.Single(started.Messages);
        Assert.IsType<IOException>(failure.Value.Exception);
        Assert.Null(_service.BoundEndPoint);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
    }

    [Fact]
    public void Serve_ConnectedClient_IsServedAndCountedOpen()
    {
        _service.Start();
        var client = Connect();
        var heard = client.Input.RecordText(_scheduler);
        _scheduler.AdvanceTo(1 * Ms);

        client.Output.OnNext("hi"u8.ToArray());
        _scheduler.AdvanceTo(10 * Ms);

        Assert.Equal("hi", string.Concat(heard.Messages.Select(m => m.Value.Value)));
        Assert.Equal(1, _service.OpenConnections);
    }

    [Fact]
    public void Stop_NoOpenConnections_ReportsDrainedAtTheStopTick()
    {
        _service.Start();
        _scheduler.AdvanceTo(5 * Second);

        var report = _service.Stop(Deadline).Record(_scheduler);

        var value = Assert.Single(report.Messages.Where(m => m.Value.HasValue));
        var drained = value.Value.Value;
        Assert.Equal((5 * Second, 0, 0, DrainOutcome.Drained, TimeSpan.Zero),
            (value.Time, drained.Finished, drained.Aborted.Count, drained.Outcome, drained.Elapsed));
    }

    [Fact]
    public void Stop_ConnectionClosesBeforeTheDeadline_FinishesAndTheReportComesWhenItCloses()
    {
        _service.Start();
        var client = Connect();
        _scheduler.AdvanceTo(10 * Second);

        var report = _service.Stop(Deadline).Record(_scheduler);
        _scheduler.ScheduleAbsolute(12 * Second, () => client.Output.OnCompleted());   // the client says goodbye
        _scheduler.AdvanceTo(10 * Second + 30 * Second + 1 * Ms);

        // The client's FIN leaves in the flush tick after its write (ADR 0007) and reaches the server one
        // latency later, at 12.001 s + 1 tick; the echo completes its output in answer and the server's side is
        // released in that same tick, so the drain ends there, 18 s before the deadline.
        var serverClosed = ServerClosed();
        Assert.Equal(ConnectionCloseReason.PeerClose, serverClosed.Reason);
        var value = Assert.Single(report.Messages.Where(m => m.Value.HasValue));
        Assert.Equal(serverClosed.At, value.Time);
        Assert.Equal(12 * Second + 1 * Ms + 1, value.Time);
        var drained = value.Value.Value;
        Assert.Equal(DrainOutcome.Drained, drained.Outcome);
        Assert.Equal(1, drained.Finished);
        Assert.Empty(drained.Aborted);
        Assert.Equal(TimeSpan.FromTicks(value.Time - 10 * Second), drained.Elapsed);
        Assert.Equal(0, _service.OpenConnections);
    }

    [Fact]
    public void Stop_ConnectionStillOpen_AbortedExactlyAtTheDeadlineTickAndThePeerSeesAReset()
    {
        _service.Start();
        var client = Connect();
        var clientInput = client.Input.RecordText(_scheduler);
        _scheduler.AdvanceTo(10 * Second);

        var report = _service.Stop(Deadline).Record(_scheduler);
        _scheduler.AdvanceTo(40 * Second - 1);
        Assert.Empty(report.Messages);
        Assert.Equal(1, _service.OpenConnections);
        Assert.Empty(clientInput.Messages);

        _scheduler.AdvanceTo(40 * Second + 1 * Ms);
        var serverClosed = ServerClosed();

        Assert.Equal([OnNext(40 * Second, DrainOutcome.DeadlineHit), OnCompleted<DrainOutcome>(40 * Second)],
            report.Messages.Select(m => m.Value.HasValue ? OnNext(m.Time, m.Value.Value.Outcome) : OnCompleted<DrainOutcome>(m.Time)));
        Assert.Equal((40 * Second, ConnectionCloseReason.Aborted), (serverClosed.At, serverClosed.Reason));
        var reset = Assert.Single(clientInput.Messages);
        Assert.Equal(40 * Second + 1 * Ms, reset.Time);
        Assert.IsType<ConnectionResetException>(reset.Value.Exception);
    }

    [Fact]
    public void Stop_OneFinishesOneDoesNot_ReportCountsTheFinishedAndNamesTheAbortedPeerAndLogsAWarning()
    {
        _service.Start();
        var polite = Connect();
        var idle = Connect();                       // both accepted by 2 ms, when the stop comes
        var idlePeer = idle.LocalEndPoint;

        var report = _service.Stop(Deadline).Record(_scheduler);
        _scheduler.ScheduleAbsolute(2 * Second, () => polite.Output.OnCompleted());
        _scheduler.AdvanceTo(2 * Ms + Deadline.Ticks + 1 * Ms);

        var value = Assert.Single(report.Messages.Where(m => m.Value.HasValue));
        Assert.Equal(2 * Ms + Deadline.Ticks, value.Time);
        var drained = value.Value.Value;
        Assert.Equal(1, drained.Finished);
        Assert.Equal([idlePeer], drained.Aborted);
        Assert.True(drained.DeadlineHit);
        Assert.False(drained.IsClean);
        Assert.Equal(Deadline, drained.Elapsed);
        var warning = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains(idlePeer!.ToString()!, warning.Message, StringComparison.Ordinal);
        Assert.Contains("DeadlineHit", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stop_NewConnectionAfterTheStop_IsRefused()
    {
        _service.Start();
        _scheduler.AdvanceTo(1 * Second);
        _service.Stop(Deadline);

        var attempt = _network.Host("client").Reactor.ClientEndpoint("tcp:server:8000").Connect().Record(_scheduler);
        _scheduler.AdvanceTo(2 * Second);

        var refused = Assert.Single(attempt.Messages);
        Assert.IsType<ConnectionRefusedException>(refused.Value.Exception);
        Assert.Equal(1 * Second + 1 * Ms, refused.Time);
    }

    [Fact]
    public void Stop_CalledAgainWhileDraining_AbortsTheRestAtOnce()
    {
        _service.Start();
        var client = Connect();
        var clientInput = client.Input.RecordText(_scheduler);
        _scheduler.AdvanceTo(1 * Second);
        var report = _service.Stop(Deadline).Record(_scheduler);
        _scheduler.AdvanceTo(3 * Second);

        var again = _service.Stop(Deadline).Record(_scheduler);
        _scheduler.AdvanceTo(4 * Second);

        var value = Assert.Single(report.Messages.Where(m => m.Value.HasValue));
        Assert.Equal(3 * Second, value.Time);
        Assert.Equal(DrainOutcome.AbortRequested, value.Value.Value.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(2), value.Value.Value.Elapsed);
        Assert.Single(value.Value.Value.Aborted);
        Assert.Equal(report.Messages, again.Messages);
        Assert.IsType<ConnectionResetException>(Assert.Single(clientInput.Messages).Value.Exception);
    }

    [Fact]
    public void Abort_InfiniteDeadline_WaitsUntilAbortThenResets()
    {
        _service.Start();
        Connect();
        _scheduler.AdvanceTo(1 * Second);
        var report = _service.Stop(Timeout.InfiniteTimeSpan).Record(_scheduler);
        _scheduler.AdvanceTo(3600 * Second);
        Assert.Empty(report.Messages);

        _service.Abort();

        Assert.Equal(DrainOutcome.AbortRequested, Assert.Single(report.Messages.Where(m => m.Value.HasValue)).Value.Value.Outcome);
        Assert.Equal(3600 * Second, report.Messages[0].Time);
    }

    [Fact]
    public void Stop_ZeroDeadline_AbortsAtTheStopTick()
    {
        _service.Start();
        Connect();
        _scheduler.AdvanceTo(1 * Second);

        var report = _service.Stop(TimeSpan.Zero).Record(_scheduler);

        var value = Assert.Single(report.Messages.Where(m => m.Value.HasValue));
        Assert.Equal((1 * Second, DrainOutcome.DeadlineHit, TimeSpan.Zero), (value.Time, value.Value.Value.Outcome, value.Value.Value.Elapsed));
    }

    [Fact]
    public void Stop_NeverStarted_ReportsNothingToDrain()
    {
        var report = _service.Stop(Deadline).Record(_scheduler);

        var value = Assert.Single(report.Messages.Where(m => m.Value.HasValue)).Value.Value;
        Assert.Equal((0, 0, DrainOutcome.Drained), (value.Finished, value.Aborted.Count, value.Outcome));
    }

    [Fact]
    public void Serve_HandlerThrows_AbortsThatConnectionAndKeepsServing()
    {
        int calls = 0;
        using var service = new ServerService(_network.Host("server").Reactor.ServerEndpoint("tcp:9000"), c =>
        {
            if (++calls == 1)
                throw new InvalidOperationException("boom");
            Echo(c);
        }, _scheduler, _logger);
        service.Start();
        var first = Connect(9000);
        var firstInput = first.Input.RecordText(_scheduler);
        var second = Connect(9000);
        var secondInput = second.Input.RecordText(_scheduler);

        second.Output.OnNext("ok"u8.ToArray());
        _scheduler.AdvanceBy(1 * Second);

        Assert.IsType<ConnectionResetException>(Assert.Single(firstInput.Messages).Value.Exception);
        Assert.Equal("ok", string.Concat(secondInput.Messages.Where(m => m.Value.HasValue).Select(m => m.Value.Value)));
        Assert.Equal(1, service.OpenConnections);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error && r.Exception?.Message == "boom");
    }

    [Fact]
    public void Factory_ProtocolThrowsUnderTheService_IsLoggedOnTheServicesLoggerUnlessTheFactoryHadOne()
    {
        var served = Factory.ForProtocol(() => new Throwing());
        var ownLogger = new FakeLogger();
        var own = Factory.ForProtocol(() => new Throwing());
        own.Logger = ownLogger;
        var server = _network.Host("server").Reactor;
        using var first = StreamServerEndpointService.Create(server.ServerEndpoint("tcp:9000"), served, _scheduler, _logger);
        using var second = StreamServerEndpointService.Create(server.ServerEndpoint("tcp:9001"), own, _scheduler, _logger);
        first.Start().Subscribe();
        second.Start().Subscribe();
        var client = _network.Host("client").Reactor;
        foreach (string port in new[] { "9000", "9001" })
            client.ClientEndpoint("tcp:server:" + port).Connect().Subscribe(c => c.Output.WriteLine("x"));
        _scheduler.AdvanceBy(1 * Second);

        Assert.Same(_logger, served.Logger);
        Assert.Same(ownLogger, own.Logger);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Message.StartsWith("Throwing: DataReceived threw", StringComparison.Ordinal));
        Assert.Contains(ownLogger.Collector.GetSnapshot(), r => r.Message.StartsWith("Throwing: DataReceived threw", StringComparison.Ordinal));
    }

    private sealed class Throwing : Protocol
    {
        public override void DataReceived(ReadOnlyMemory<byte> data) => throw new InvalidOperationException("protocol bug");
    }

    [Fact]
    public void Factory_StartAndStop_RunsStartFactoryThenServesThenStopFactoryOnStop()
    {
        var factory = new CountingEcho();
        using var service = StreamServerEndpointService.Create(_network.Host("server").Reactor.ServerEndpoint("tcp:9000"), factory, _scheduler);

        service.Start();
        var client = Connect(9000);
        var heard = client.Input.RecordText(_scheduler);
        client.Output.OnNext("ping"u8.ToArray());
        _scheduler.AdvanceBy(1 * Second);
        Assert.Equal((1, 0), (factory.Started, factory.Stopped));

        service.Stop(Deadline);

        Assert.Equal((1, 1), (factory.Started, factory.Stopped));
        Assert.Equal("ping", string.Concat(heard.Messages.Where(m => m.Value.HasValue).Select(m => m.Value.Value)));
    }

    private readonly List<ITestableObserver<ConnectionClosed>> _serverClosed = [];

    private static void Echo(IConnection connection) => connection.Input.Subscribe(connection.Output);

    private void Serve(IConnection connection)
    {
        _serverClosed.Add(connection.Closed.Record(_scheduler));
        Echo(connection);
    }

    // When and why the one connection the service accepted closed on the server's side.
    private (long At, ConnectionCloseReason Reason) ServerClosed()
    {
        var closed = Assert.Single(Assert.Single(_serverClosed).Messages.Where(m => m.Value.HasValue));
        return (closed.Time, closed.Value.Value.Reason);
    }

    private IConnection Connect(int port = 8000)
    {
        IConnection? connection = null;
        _network.Host("client").Reactor.ClientEndpoint($"tcp:server:{port}").Connect().Subscribe(c => connection = c);
        _scheduler.AdvanceBy(1 * Ms);
        return connection ?? throw new InvalidOperationException("not connected");
    }

    private sealed class CountingEcho : Factory
    {
        public int Started { get; private set; }

        public int Stopped { get; private set; }

        public override Protocol BuildProtocol(EndPoint? address) => new EchoProtocol();

        public override void StartFactory() => Started++;

        public override void StopFactory() => Stopped++;
    }

    private sealed class EchoProtocol : Protocol
    {
        public override void DataReceived(ReadOnlyMemory<byte> data) => Transport.Write(data);
    }
}

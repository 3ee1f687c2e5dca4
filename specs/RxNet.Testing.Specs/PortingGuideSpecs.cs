using System.Globalization;
using System.Net;
using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Reactive.Testing;
using RxNet;
using RxNet.Hosting;
using RxNet.Sockets;
using RxNet.Testing;
using RxNet.Twisted;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Testing.Specs;

/// <summary>
/// The C# side of docs/porting-from-twisted.md. Each snippet of the guide is here, inside a spec that runs it
/// on a simulated network in virtual time and pins what it does; the few that need real sockets are only
/// compiled and checked without binding anything. The last spec checks that every code block of the guide
/// appears here verbatim, so the guide cannot drift from code that compiles and passes.
/// </summary>
public sealed class PortingGuideSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();

    // ---- The reactor -----------------------------------------------------------------------------------------

    [Fact]
    public void Reactor_CallLaterStop_RunReturnsAtFiveSecondsAndLaterCallsNeverRun()
    {
        var scheduler = _scheduler;
        var reactor = new SimulatedNetwork(scheduler).Host("server").Reactor;
        bool late = false, cancelled = false;
        reactor.CallLater(10, () => late = true);

        reactor.CallLater(5, reactor.Stop);
        reactor.Run();

        var call = reactor.CallLater(1, () => cancelled = true);
        call.Dispose();                                   // Twisted: call.cancel()

        Assert.Equal(TimeSpan.FromSeconds(5).Ticks, scheduler.Clock);
        Assert.False(late);
        scheduler.Start();
        Assert.True(late);
        Assert.False(cancelled);
    }

    [Fact]
    public void Reactor_CallWhenRunning_RunsOnceTheReactorRuns()
    {
        var reactor = new SimulatedNetwork(_scheduler).Host("server").Reactor;
        bool started = false;
        bool early = false;
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Startup, () => early = !started);

        reactor.CallWhenRunning(() => started = true);
        reactor.Run();

        Assert.True(early);                               // not before startup...
        Assert.True(started);                             // ...but once the reactor runs
        Assert.Equal(0, _scheduler.Clock);                // at startup, before any scheduled work
    }

    [Fact]
    public void Reactor_CallFromThread_RunsOnTheLoop()
    {
        var reactor = new SimulatedNetwork(_scheduler).Host("server").Reactor;
        bool started = false;

        reactor.Scheduler.Schedule(() => started = true);
        reactor.Run();

        Assert.True(started);
        Assert.Equal(1, _scheduler.Clock);                // "now" on a TestScheduler is the next tick
    }

    [Fact]
    public void Reactor_LoopingCall_TicksAtOnceThenEverySecondUntilDisposed()
    {
        var scheduler = _scheduler;
        var reactor = new SimulatedNetwork(scheduler).Host("server").Reactor;
        var ticks = new List<long>();
        void Tick() => ticks.Add(scheduler.Clock);

        var loop = Observable.Timer(TimeSpan.Zero, TimeSpan.FromSeconds(1), reactor.Scheduler)
            .Subscribe(_ => Tick());                              // now, then every second; loop.Dispose() stops it
        scheduler.AdvanceTo(3500 * Ms);
        loop.Dispose();
        scheduler.AdvanceTo(10_000 * Ms);

        Assert.Equal([1, 1000 * Ms + 1, 2000 * Ms + 1, 3000 * Ms + 1], ticks); // "now" is the next tick
    }

    // ---- Deferreds -------------------------------------------------------------------------------------------

    [Fact]
    public void Deferred_SelectAndCatch_RefusalBecomesAValueAndAConnectionAnother()
    {
        var network = new SimulatedNetwork(_scheduler);
        var endpoint = network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000");

        var outcome = endpoint.Connect().Select(connection => "connected")
            .Catch((ConnectionRefusedException _) => Observable.Return("refused"));

        var refused = outcome.Record(_scheduler);
        _scheduler.Start();
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe();
        var connected = outcome.Record(_scheduler);
        _scheduler.Start();

        Assert.Equal([OnNext(1 * Ms, "refused"), OnCompleted<string>(1 * Ms)], refused.Messages);
        Assert.Equal([OnNext(2 * Ms, "connected"), OnCompleted<string>(2 * Ms)], connected.Messages);
    }

    [Fact]
    public async Task Deferred_InlineCallbacksAsAsyncAwait_AsksAndReturnsTheAnswer()
    {
        var network = new SimulatedNetwork(_scheduler);
        using var shouting = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Input.Lines().Select(line => Utf8Line(line.ToUpperInvariant())).Subscribe(c.Output));
        var endpoint = network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000");

        async Task<string> AskAsync(IClientEndpoint endpoint, string question)
        {
            using var connection = await endpoint.Connect();                  // yield endpoint.connect(...)
            connection.Output.WriteLine(question);
            return await connection.Input.Lines().FirstAsync();               // yield the first line back
        }

        var answer = AskAsync(endpoint, "hello");
        _scheduler.Start();

        Assert.True(answer.IsCompletedSuccessfully);
        Assert.Equal("HELLO", await answer);
    }

    [Fact]
    public void Deferred_DeferredListConsumeErrors_MaterializeGivesEveryOutcome()
    {
        var network = new SimulatedNetwork(_scheduler);
        using var listening = network.Host("alpha").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe();
        var reactor = network.Host("client").Reactor;
        var d1 = reactor.ClientEndpoint("tcp:alpha:8000").Connect();
        var d2 = reactor.ClientEndpoint("tcp:beta:8000").Connect();     // nobody listens there

        var all = Observable.Zip(d1.Materialize().FirstAsync(), d2.Materialize().FirstAsync()); // [OnNext(c), OnError(e)]

        var outcomes = all.Select(list => string.Join(" ", list.Select(n => n.Kind))).Record(_scheduler);
        var errors = all.Select(list => list[1].Exception).Record(_scheduler);
        _scheduler.Start();

        Assert.Equal([OnNext(1 * Ms, "OnNext OnError"), OnCompleted<string>(1 * Ms)], outcomes.Messages);
        Assert.IsType<ConnectionRefusedException>(errors.Messages[0].Value.Value);
    }

    [Fact]
    public void Deferred_DeferLater_ATimerOnTheReactorsScheduler()
    {
        var reactor = new SimulatedNetwork(_scheduler).Host("server").Reactor;

        var d = Observable.Timer(TimeSpan.FromSeconds(5), reactor.Scheduler).Select(_ => "late");

        var seen = d.Record(_scheduler);
        _scheduler.Start();

        Assert.Equal([OnNext(5000 * Ms, "late"), OnCompleted<string>(5000 * Ms)], seen.Messages);
    }

    [Fact]
    public void Deferred_MaybeDeferred_AThrowBecomesOnError()
    {
        static int Parse(string text) => int.Parse(text, CultureInfo.InvariantCulture);
        IObservable<int> MaybeDeferred(string text)
        {
            var d = Observable.Defer(() => Observable.Return(Parse(text)));     // a throw becomes OnError
            return d;
        }

        var good = MaybeDeferred("42").Record(_scheduler);
        var bad = MaybeDeferred("forty-two").Record(_scheduler);
        _scheduler.Start();

        Assert.Equal([OnNext(0, 42), OnCompleted<int>(0)], good.Messages);
        Assert.IsType<FormatException>(Assert.Single(bad.Messages).Value.Exception);
    }

    [Fact]
    public void Deferred_Cancel_DisposingTheSubscriptionAbandonsTheConnect()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromSeconds(10) });  // a slow satellite link
        int accepted = 0, served = 0;
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(_ => accepted++);
        var reactor = network.Host("client").Reactor;
        var endpoint = reactor.ClientEndpoint("tcp:host=server:port=8000");
        void Serve(IConnection connection) => served++;

        var attempt = endpoint.Connect().Subscribe(Serve);
        reactor.CallLater(5, attempt.Dispose);
        _scheduler.Start();

        Assert.Equal(0, served);
        Assert.Equal(0, accepted);
    }

    [Fact]
    public void Deferred_AddTimeout_FailsWithTimeoutExceptionOnTheReactorsClock()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromSeconds(10) });
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe();
        var reactor = network.Host("client").Reactor;
        var endpoint = reactor.ClientEndpoint("tcp:host=server:port=8000");

        var d = endpoint.Connect().Timeout(TimeSpan.FromSeconds(5), reactor.Scheduler);

        var seen = d.Record(_scheduler);
        _scheduler.Start();

        var failure = Assert.Single(seen.Messages);
        Assert.Equal(5000 * Ms, failure.Time);
        Assert.IsType<TimeoutException>(failure.Value.Exception);
    }

    // ---- Protocol and Factory ----------------------------------------------------------------------------------

    sealed class Echo : Protocol
    {
        public override void DataReceived(ReadOnlyMemory<byte> data) => Transport.Write(data);
    }

    sealed class Greeter : Protocol
    {
        public ConnectionClosed? Lost { get; private set; }
        public override void ConnectionMade() => Transport.Write("hello\r\n"u8.ToArray());
        public override void ConnectionLost(ConnectionClosed reason) => Lost = reason;
    }

    sealed class Greeters : Factory
    {
        public List<Greeter> Built { get; } = [];
        public override Protocol BuildProtocol(EndPoint? address)
        {
            var greeter = new Greeter();
            Built.Add(greeter);
            return greeter;
        }
    }

    sealed class RetryingClient(IReactor reactor) : ClientFactory
    {
        public override Protocol BuildProtocol(EndPoint? address) => new Greeter();
        public override void ClientConnectionFailed(IConnector connector, Exception reason) => reactor.CallLater(1, connector.Connect);
        public override void ClientConnectionLost(IConnector connector, ConnectionClosed reason) => reactor.CallLater(1, connector.Connect);
    }

    [Fact]
    public void Protocol_EchoWithForProtocol_EchoesEveryByte()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;

        var factory = Factory.ForProtocol<Echo>();
        using var port = reactor.ListenTcp(8000, factory);

        var runs = Play(network, Script.Send("ping").Expect("ping").Close().ExpectClose());
        _scheduler.Start();

        Assert.Single(runs).Verify();
    }

    [Fact]
    public void Protocol_GreeterFromItsFactory_GreetsAndHearsWhyTheConnectionEnded()
    {
        var network = new SimulatedNetwork(_scheduler);
        var greeters = new Greeters();
        using var port = network.Host("server").Reactor.ListenTcp(8000, greeters);

        var runs = Play(network, Script.Expect("hello\r\n").Close().ExpectClose());
        _scheduler.Start();

        Assert.Single(runs).Verify();
        var greeter = Assert.Single(greeters.Built);
        Assert.Same(greeters, greeter.Factory);
        Assert.Equal(ConnectionCloseReason.PeerClose, greeter.Lost?.Reason);
    }

    [Fact]
    public void ClientFactory_RefusedThenRetriedASecondLater_ConnectsOnceTheServerListens()
    {
        var network = new SimulatedNetwork(_scheduler);
        var greeters = new Greeters();
        var server = network.Host("server").Reactor;
        IListeningPort? port = null;
        server.CallLater(0.5, () => port = server.ListenTcp(8000, greeters));
        var client = network.Host("client").Reactor;

        var connector = client.ConnectTcp("server", 8000, new RetryingClient(client));
        _scheduler.AdvanceTo(3000 * Ms);

        var greeter = Assert.Single(greeters.Built);        // refused at 1 ms, retried at 1001 ms
        Assert.True(greeter.Connected);
        Assert.Equal("tcp:host=server:port=8000:timeout=30", connector.Destination);
        port?.Dispose();
    }

    // ---- LineReceiver and the string receivers ------------------------------------------------------------------

    sealed class Shout : LineReceiver
    {
        public override void LineReceived(string line) => SendLine(line.ToUpperInvariant());
    }

    sealed class Upload : LineReceiver
    {
        private int _left;
        public List<string> Seen { get; } = [];

        public override void LineReceived(string line)
        {
            Seen.Add(line);
            if (line.StartsWith("SIZE ", StringComparison.Ordinal))
            {
                _left = int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture);
                SetRawMode();                                        // the next _left bytes are not lines
            }
        }

        public override void RawDataReceived(ReadOnlyMemory<byte> data)
        {
            int take = Math.Min(_left, data.Length);
            Seen.Add(Encoding.UTF8.GetString(data.Span[..take]));
            _left -= take;
            if (_left == 0)
                SetLineMode(data[take..]);                           // what follows the body is lines again
        }
    }

    sealed class Short : LineReceiver
    {
        public Short() => MaxLength = 80;

        public override void LineLengthExceeded(ReadOnlyMemory<byte> line)
        {
            SendLine("line too long");
            Transport.LoseConnection();
        }
    }

    sealed class Echo32 : Int32StringReceiver
    {
        public override void StringReceived(ReadOnlyMemory<byte> data) => SendString(data);
    }

    [Fact]
    public void LineReceiver_RawModeForASizedBody_LinesResumeAfterIt()
    {
        var network = new SimulatedNetwork(_scheduler);
        var uploads = new Keep<Upload>();
        using var port = network.Host("server").Reactor.ListenTcp(8000, uploads);

        var runs = Play(network, Script.Send("SIZE 3\r\nabcQUIT\r\n").Close().ExpectClose());
        _scheduler.Start();

        Assert.Single(runs).Verify();
        Assert.Equal(["SIZE 3", "abc", "QUIT"], Assert.Single(uploads.Built).Seen);
    }

    [Fact]
    public void LineReceiver_LineAboveMaxLength_AnswersAndLosesTheConnection()
    {
        var network = new SimulatedNetwork(_scheduler);
        using var port = network.Host("server").Reactor.ListenTcp(8000, Factory.ForProtocol<Short>());

        var runs = Play(network, Script.Send(new string('x', 81) + "\r\n").Expect("line too long\r\n").ExpectClose().Close());
        _scheduler.Start();

        Assert.Single(runs).Verify();
    }

    [Fact]
    public void Int32StringReceiver_Echo32_SendsEachStringBackWithItsPrefix()
    {
        var network = new SimulatedNetwork(_scheduler);
        using var port = network.Host("server").Reactor.ListenTcp(8000, Factory.ForProtocol<Echo32>());
        byte[] hello = [0, 0, 0, 5, .. "hello"u8];

        var runs = Play(network, Script.Send(hello).Expect(hello).Close().ExpectClose());
        _scheduler.Start();

        Assert.Single(runs).Verify();
    }

    [Fact]
    public void Netstrings_FramedConnection_EchoesNetstrings()
    {
        var network = new SimulatedNetwork(_scheduler);
        var client = network.ConnectTo(connection =>
        {
            var framed = connection.Framed(new NetstringCodec());
            framed.Input.Subscribe(framed.Output);                       // echo, one netstring at a time
        });

        var run = Script.Send("5:hello,0:,").Expect("5:hello,0:,").Close().ExpectClose().Run(client, _scheduler);
        _scheduler.Start();

        run.Verify();
    }

    // ---- Endpoints -------------------------------------------------------------------------------------------

    [Fact]
    public void Endpoints_FromStrings_ListenAndConnectByDescription()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;

        var endpoint = reactor.ServerEndpoint("tcp:8000:interface=127.0.0.1");
        using var listening = endpoint.Listen().Subscribe(connection => connection.Input.Subscribe(connection.Output));

        reactor = network.Host("client").Reactor;
        var client = reactor.ClientEndpoint("tcp:host=server:port=8000");
        using var session = client.Connect().Subscribe(connection => connection.Output.OnNext("hi\r\n"u8.ToArray()));
        _scheduler.Start();

        var data = network.Trace.Where(e => e.Kind == NetworkEventKind.Data).Select(e => (e.Ticks, e.From, e.To, Text: Encoding.UTF8.GetString(e.Payload.Span)));
        Assert.Equal([(2 * Ms, "client:49152", "server:8000", "hi\r\n"), (3 * Ms, "server:8000", "client:49152", "hi\r\n")], data);
    }

    sealed class EchoFactory : Factory
    {
        public override Protocol BuildProtocol(EndPoint? address) => new Echo();
    }

    sealed class GreeterFactory : ClientFactory
    {
        public override Protocol BuildProtocol(EndPoint? address) => new Greeter();
    }

    [Fact]
    public void Endpoints_FactoriesOnEndpointStrings_ListenAndConnectLikeServerFromString()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;
        var clientReactor = network.Host("client").Reactor;

        using var port = reactor.Listen("tcp:8000", new EchoFactory());
        var connector = clientReactor.Connect("tcp:host=server:port=8000", new GreeterFactory());
        _scheduler.Start();

        var data = network.Trace.Where(e => e.Kind == NetworkEventKind.Data).Select(e => (e.From, e.To, Text: Encoding.UTF8.GetString(e.Payload.Span)));
        Assert.Equal([("client:49152", "server:8000", "hello\r\n"), ("server:8000", "client:49152", "hello\r\n")], data);
        Assert.Equal("tcp:host=server:port=8000", connector.Destination);
    }

    [Fact]
    public void Endpoints_SocketEndpoints_AreMadeWithoutBindingAnything()
    {
        var server = new TcpServerEndpoint(new IPEndPoint(IPAddress.Any, 8000));
        var client = new TcpClientEndpoint("example.com", 80);

        var parsed = TcpServerEndpoint.Parse("tcp:8000:interface=127.0.0.1");

        Assert.Equal(8000, server.EndPoint.Port);
        Assert.Equal("tcp:host=example.com:port=80:timeout=30", client.ToString());
        Assert.Equal(IPAddress.Loopback, parsed.EndPoint.Address);
    }

    [Fact]
    public void Udp_EchoSocket_RepliesToEachSender()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;

        using var bound = reactor.DatagramEndpoint("udp:9999").Bind()
            .Subscribe(socket => socket.Input.Subscribe(socket.Output));      // each reply goes back to its sender

        var replies = new List<(long, string)>();
        using var client = network.Host("client").Reactor.DatagramEndpoint("udp:0").Bind().Subscribe(socket =>
        {
            socket.Input.Subscribe(d => replies.Add((_scheduler.Clock, Encoding.UTF8.GetString(d.Payload.Span))));
            socket.Output.OnNext(new Datagram("ping"u8.ToArray(), new DnsEndPoint("server", 9999)));
        });
        _scheduler.Start();

        Assert.Equal([(2 * Ms, "ping")], replies);
    }

    [Fact]
    public void Udp_ConnectedSocket_SendsToItsPeerAndHearsOfItsClosedPort()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("client").Reactor;
        var heard = new List<string>();

        using var client = reactor.DatagramEndpoint("udp:0:remoteHost=server:remotePort=9999").Bind().Subscribe(socket =>
        {
            socket.Input.Subscribe(
                d => heard.Add(Encoding.UTF8.GetString(d.Payload.Span)),   // datagramReceived: the peer's only
                e => heard.Add(e.GetType().Name));                         // connectionRefused(): nobody at the peer's port
            socket.PeerOutput().OnNext("ping"u8.ToArray());                // transport.write(data): to the peer
        });
        _scheduler.Start();

        Assert.Equal(["ConnectionRefusedException"], heard);
    }

    // ---- DatagramProtocol and factories that know their reactor ---------------------------------------------

    sealed class UdpEcho : DatagramProtocol
    {
        public override void DatagramReceived(ReadOnlyMemory<byte> data, EndPoint address) => Transport.Write(data, address);
    }

    sealed class Ping : DatagramProtocol
    {
        public List<string> Heard { get; } = [];
        public override void StartProtocol() => Transport.Write("ping"u8.ToArray());          // to the peer
        public override void DatagramReceived(ReadOnlyMemory<byte> data, EndPoint address) => Heard.Add(Encoding.UTF8.GetString(data.Span));
        public override void ConnectionRefused() => Heard.Add("nobody at 9999");
    }

    [Fact]
    public void DatagramProtocol_ListenUdp_EchoesToEachSender()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;

        using var port = reactor.ListenUdp(9999, new UdpEcho());

        var replies = new List<string>();
        using var client = network.Host("client").Reactor.DatagramEndpoint("udp:0").Bind().Subscribe(socket =>
        {
            socket.Input.Subscribe(d => replies.Add(Encoding.UTF8.GetString(d.Payload.Span)));
            socket.Output.OnNext(new Datagram("hi"u8.ToArray(), new DnsEndPoint("server", 9999)));
        });
        _scheduler.Start();

        Assert.Equal(["hi"], replies);
    }

    [Fact]
    public void DatagramProtocol_ListenDatagramConnected_HearsConnectionRefused()
    {
        var reactor = new SimulatedNetwork(_scheduler).Host("client").Reactor;
        var ping = new Ping();

        using var port = reactor.ListenDatagram("udp:0:remoteHost=server:remotePort=9999", ping);
        _scheduler.Start();

        Assert.Equal(["nobody at 9999"], ping.Heard);
    }

    sealed class Pinger(IReactor reactor, TimeSpan every) : Protocol
    {
        IDisposable? _next;
        public override void ConnectionMade() => Ping();
        void Ping()
        {
            Transport.Write("ping\r\n"u8.ToArray());
            _next = reactor.CallLater(every, Ping);
        }
        public override void ConnectionLost(ConnectionClosed reason) => _next?.Dispose();
    }

    [Fact]
    public void Factories_ForProtocolWithTheFactorysReactor_PingsOnItsClock()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;

        var factory = Factory.ForProtocol(f => new Pinger(f.Reactor, TimeSpan.FromSeconds(5)));
        using var port = reactor.ListenTcp(8000, factory);                   // factory.Reactor is now reactor

        ITestableObserver<string>? pings = null;
        network.Host("client").Reactor.ClientEndpoint("tcp:server:8000").Connect().Subscribe(c => pings = c.Input.RecordText(_scheduler));
        _scheduler.AdvanceTo(TimeSpan.FromSeconds(12).Ticks);

        Assert.Same(reactor, factory.Reactor);
        Assert.NotNull(pings);
        Assert.Equal([OnNext(2 * Ms, "ping\r\n"), OnNext(5_002 * Ms, "ping\r\n"), OnNext(10_002 * Ms, "ping\r\n")], pings.Messages);
    }

    // ---- Services --------------------------------------------------------------------------------------------

    [Fact]
    public void Services_ServerService_ListensThenDrainsAndAbortsWhatIsOpenAtTheDeadline()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;
        var factory = Factory.ForProtocol<Echo>();
        var logger = new ListLogger();
        EndPoint? bound = null;
        IConnection? idle = null;
        network.Host("client").Reactor.ClientEndpoint("tcp:server:8000").Connect().Subscribe(c => idle = c);

        var service = StreamServerEndpointService.Create(reactor.ServerEndpoint("tcp:8000"), factory, reactor.Scheduler, logger);
        service.Start().Subscribe(address => bound = address);
        _scheduler.AdvanceTo(1 * Ms);                      // the client is connected, and stays idle
        var drained = service.Stop(TimeSpan.FromSeconds(30));    // stop accepting; at 30 s abort what is still open

        var report = drained.Record(_scheduler);
        _scheduler.Start();
        Assert.Equal(new DnsEndPoint("server", 8000), bound);
        var (at, value) = Assert.Single(report.Messages.Where(m => m.Value.HasValue).Select(m => (m.Time, m.Value.Value)));
        Assert.Equal(1 * Ms + 30_000 * Ms, at);
        Assert.Equal((0, DrainOutcome.DeadlineHit, TimeSpan.FromSeconds(30)), (value.Finished, value.Outcome, value.Elapsed));
        Assert.Equal([idle!.LocalEndPoint], value.Aborted);
        Assert.Contains(logger.Lines, line => line.StartsWith("Warning: ", StringComparison.Ordinal) && line.Contains(idle.LocalEndPoint!.ToString()!, StringComparison.Ordinal));
    }

    [Fact]
    public void Services_ZipOfStops_EndsWhenTheSlowerServiceHasDrained()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;
        var web = new ServerService(reactor.ServerEndpoint("tcp:80"), c => c.Input.Subscribe(c.Output), reactor.Scheduler);
        var admin = new ServerService(reactor.ServerEndpoint("tcp:81"), c => c.Input.Subscribe(c.Output), reactor.Scheduler);
        web.Start();
        admin.Start();
        IConnection? client = null;
        network.Host("client").Reactor.ClientEndpoint("tcp:server:81").Connect().Subscribe(c => client = c);
        _scheduler.AdvanceTo(1 * Ms);
        _scheduler.ScheduleAbsolute(5_000 * Ms, () => client!.Output.OnCompleted());   // the admin's client leaves at 5 s

        var both = Observable.Zip(web.Stop(TimeSpan.FromSeconds(30)), admin.Stop(TimeSpan.FromSeconds(30)));

        var stopped = both.Select(reports => reports.Sum(r => r.Finished)).Record(_scheduler);
        _scheduler.Start();
        Assert.Equal([OnNext(5_001 * Ms + 1, 1), OnCompleted<int>(5_001 * Ms + 1)], stopped.Messages);
    }

    [Fact]
    public async Task Services_GenericHost_EachAddRxNetServerIsAHostedServiceThatServesAndDrains()
    {
        async Task RunAsync(string[] args)
        {
            var builder = Host.CreateApplicationBuilder(args);
            builder.Services.AddRxNetServer("tcp:8000", connection => connection.Input.Subscribe(connection.Output));
            builder.Services.AddRxNetServer("tcp:8001", Factory.ForProtocol<Echo>(), o => o.DrainTimeout = TimeSpan.FromSeconds(10));
            await builder.Build().RunAsync();                      // Ctrl+C or SIGTERM: stop accepting, drain, abort the rest
        }
        _ = (Func<string[], Task>)RunAsync;                // compiled only: it would listen on real ports until Ctrl+C

        // The same registrations on a simulated reactor, started and stopped.
        var network = new SimulatedNetwork(_scheduler);
        var check = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        check.Services.AddSingleton(network.Host("server").Reactor);
        check.Services.AddRxNetServer("tcp:8000", connection => connection.Input.Subscribe(connection.Output));
        check.Services.AddRxNetServer("tcp:8001", Factory.ForProtocol<Echo>(), o => o.DrainTimeout = TimeSpan.FromSeconds(10));
        using var host = check.Build();
        var bounded = TestContext.Current.CancellationToken;
        await host.StartAsync(bounded).WaitAsync(TimeSpan.FromSeconds(30), bounded);
        var replies = new List<string>();
        foreach (int port in new[] { 8000, 8001 })
        {
            network.Host("client").Reactor.ClientEndpoint($"tcp:server:{port}").Connect().Subscribe(c =>
            {
                c.Input.Lines().Subscribe(line => replies.Add($"{port}: {line}"));
                c.Output.OnNext(Utf8Line("hi"));
                c.Output.OnCompleted();
            });
        }
        _scheduler.Start();
        await host.StopAsync(bounded).WaitAsync(TimeSpan.FromSeconds(30), bounded);

        Assert.Equal(["8000: hi", "8001: hi"], replies.Order());
        Assert.All(host.Services.GetServices<RxNetServer>(), server => Assert.Equal(DrainOutcome.Drained, server.LastDrain?.Outcome));
    }

    [Fact]
    public void Services_BeforeShutdownTrigger_ShutdownWaitsForItsObservable()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;
        var log = new List<string>();
        IObservable<long> Flush() => Observable.Timer(TimeSpan.FromSeconds(2), reactor.Scheduler).Do(_ => log.Add($"flushed at {_scheduler.Clock / (1000 * Ms)} s"));
        reactor.AddSystemEventTrigger(SystemEventPhase.After, SystemEventType.Shutdown, () => log.Add($"stopped at {_scheduler.Clock / (1000 * Ms)} s"));

        reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Shutdown, () => Flush());   // waited for
        reactor.CallLater(10, reactor.Stop);
        reactor.Run();

        Assert.Equal(["flushed at 12 s", "stopped at 12 s"], log);
    }

    // ---- Policies --------------------------------------------------------------------------------------------

    [Fact]
    public void Policies_TimeoutOnInput_AbortsAClientSilentForThirtySeconds()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;
        var client = network.ConnectTo(connection =>
        {
            connection.Input.Timeout(TimeSpan.FromSeconds(30), reactor.Scheduler)        // every chunk restarts the timer
                .Subscribe(connection.Output.OnNext, _ => connection.Dispose(), connection.Output.OnCompleted);
        });
        var heard = client.Input.RecordText(_scheduler);

        client.Output.OnNext("hi"u8.ToArray());
        _scheduler.Start();

        Assert.Equal(2, heard.Messages.Count);
        Assert.Equal(OnNext(3 * Ms, "hi"), heard.Messages[0]);
        Assert.Equal(30_003 * Ms, heard.Messages[1].Time);                 // 2 ms + 30 s, then 1 ms on the link
        Assert.IsType<ConnectionResetException>(heard.Messages[1].Value.Exception);
    }

    [Fact]
    public void Policies_RetryWhenWithBackoff_ReconnectsOnceTheServerListens()
    {
        var network = new SimulatedNetwork(_scheduler);
        var server = network.Host("server").Reactor;
        IDisposable? listening = null;
        server.CallLater(5, () => listening = server.ServerEndpoint("tcp:8000").Listen().Subscribe());
        var reactor = network.Host("client").Reactor;

        var connection = reactor.ClientEndpoint("tcp:host=server:port=8000").Connect()
            .RetryWhen(failures => failures.Select((_, n) => Observable.Timer(TimeSpan.FromSeconds(Math.Min(Math.Pow(2, n), 3600)), reactor.Scheduler)).Concat());

        var seen = connection.Record(_scheduler);
        _scheduler.Start();

        // Refused at 1 ms, 1002 ms and 3003 ms (waits of 1, 2 and 4 s); the attempt at 7003 ms connects.
        var connected = seen.Messages[0];
        Assert.Equal(7004 * Ms, connected.Time);
        Assert.Equal(new DnsEndPoint("server", 8000), connected.Value.Value.RemoteEndPoint);
        listening?.Dispose();
    }

    [Fact]
    public void Policies_IdleTimeout_ClosesAConnectionIdleForThirtySecondsWithReasonTimeout()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;
        var reasons = new List<ConnectionCloseReason>();
        var client = network.ConnectTo(connection =>
        {
            var watched = connection.IdleTimeout(TimeSpan.FromSeconds(30), reactor.Scheduler);   // use only watched from now on
            watched.Input.Subscribe(watched.Output);
            watched.Closed.Subscribe(closed => reasons.Add(closed.Reason));
        });
        var heard = client.Input.RecordText(_scheduler);

        client.Output.OnNext("hi"u8.ToArray());
        _scheduler.Start();

        Assert.Equal([
            OnNext(3 * Ms, "hi"),
            OnCompleted<string>(30_003 * Ms)], heard.Messages);        // FIN 30 s after the echo at 2 ms, 1 ms on the link
        Assert.Equal([ConnectionCloseReason.Timeout], reasons);
    }

    [Fact]
    public void Policies_LimitConnections_AbortsTheThirdConnectionFromOnePeer()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;

        var admitted = reactor.ServerEndpoint("tcp:8000").Listen().LimitConnections(maxConnections: 100, maxConnectionsPerPeer: 2);
        using var serving = admitted.Subscribe(connection => connection.Input.Subscribe(connection.Output));

        var outcomes = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            network.Host("client").Reactor.ClientEndpoint("tcp:server:8000").Connect()
                .SelectMany(c => { c.Output.OnNext("x"u8.ToArray()); return c.Input.Take(1); })
                .Subscribe(_ => outcomes.Add("echoed"), e => outcomes.Add(e.GetType().Name));
        }
        _scheduler.Start();

        Assert.Equal(["ConnectionResetException", "echoed", "echoed"], outcomes);   // the reset at 2 ms, the echoes at 3 ms
    }

    sealed class Reconnecting(IReactor reactor) : ReconnectingClientFactory(reactor)
    {
        public override Protocol BuildProtocol(EndPoint? address)
        {
            ResetDelay();
            return new Greeter();
        }
    }

    [Fact]
    public void Policies_ReconnectingClientFactory_RetriesWithTwistedsBackoffUntilTheServerListens()
    {
        var network = new SimulatedNetwork(_scheduler);
        var greeters = new Greeters();
        var server = network.Host("server").Reactor;
        IListeningPort? port = null;
        server.CallLater(5, () => port = server.ListenTcp(8000, greeters));
        var reactor = network.Host("client").Reactor;

        var factory = new Reconnecting(reactor) { Jitter = 0 };   // Twisted's waits without the noise: e s, e² s, ...
        reactor.ConnectTcp("server", 8000, factory);
        _scheduler.AdvanceTo(60_000 * Ms);

        var greeter = Assert.Single(greeters.Built);
        Assert.True(greeter.Connected);
        Assert.Equal(0, factory.Retries);                          // ResetDelay() once connected
        port?.Dispose();
    }

    [Fact]
    public void Policies_Reconnecting_KeepsAClientConnectedLikeClientService()
    {
        var network = new SimulatedNetwork(_scheduler);
        var server = network.Host("server").Reactor;
        var greetings = new List<long>();
        IDisposable? listening = null;
        server.CallLater(5, () => listening = server.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Input.Lines().Subscribe(_ => greetings.Add(_scheduler.Clock))));
        var reactor = network.Host("client").Reactor;

        using var client = reactor.ClientEndpoint("tcp:host=server:port=8000").Reconnecting(Backoff.ClientService, reactor.Scheduler)
            .Subscribe(connection => connection.Output.OnNext("hello\r\n"u8.ToArray()));
        _scheduler.AdvanceTo(60_000 * Ms);

        var at = Assert.Single(greetings);                         // one connection, made after the server started
        Assert.InRange(at, 5_000 * Ms, 20_000 * Ms);
        listening?.Dispose();
    }

    [Fact]
    public void Policies_LogTraffic_LogsWhatEachConnectionReceivesAndSends()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;
        var logger = new ListLogger();

        using var logged = reactor.ServerEndpoint("tcp:8000").Listen().LogTraffic(logger)
            .Subscribe(connection => connection.Input.Subscribe(connection.Output));

        var runs = Play(network, Script.Send("hi").Expect("hi").Close().ExpectClose());
        _scheduler.Start();

        Assert.Single(runs).Verify();
        Assert.Contains(logger.Lines, line => line.Contains("in 2 bytes \"hi\"", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, line => line.Contains("out 2 bytes \"hi\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Policies_WithThrottle_ReadsAtMostAThousandBytesPerSecond()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;

        using var throttled = reactor.ServerEndpoint("tcp:8000").Listen().WithThrottle(readBytesPerSecond: 1000, writeBytesPerSecond: 0, reactor.Scheduler)
            .Subscribe(connection => connection.Input.Subscribe(connection.Output));

        var echoed = new List<(long At, int Bytes)>();
        network.Host("client").Reactor.ClientEndpoint("tcp:server:8000").Connect().Subscribe(c =>
        {
            c.Input.ReadAllBytes().Subscribe(all => echoed.Add((_scheduler.Clock, all.Length)));
            c.Output.OnNext(new byte[2000]);
            c.Output.OnCompleted();
        });
        _scheduler.Start();

        var (at, bytes) = Assert.Single(echoed);
        Assert.Equal(2000, bytes);
        Assert.Equal(2003 * Ms, at);                      // arrived at 2 ms, read until 2002 ms at 1000 B/s, 1 ms back
    }

    [Fact]
    public void Policies_WithProxyProtocol_GreetsTheClientNamedByTheProxy()
    {
        var network = new SimulatedNetwork(_scheduler);
        var reactor = network.Host("server").Reactor;

        using var proxied = reactor.ServerEndpoint("tcp:8000").WithProxyProtocol(reactor.Scheduler).Listen()
            .Subscribe(connection => connection.Output.WriteLine($"hello {connection.RemoteEndPoint}"));

        reactor = network.Host("client").Reactor;
        var client = reactor.ClientEndpoint("tcp:host=server:port=8000")
            .WithProxyHeader(ProxyHeader.V2(new IPEndPoint(IPAddress.Parse("203.0.113.7"), 51234), new IPEndPoint(IPAddress.Parse("198.51.100.1"), 443)));
        var greeting = client.Connect().SelectMany(c => c.Input.Lines()).Record(_scheduler);
        _scheduler.Start();

        Assert.Equal([OnNext(3 * Ms, "hello 203.0.113.7:51234")], greeting.Messages);   // header at 2 ms, greeting back at 3 ms
    }

    // ---- Testing ---------------------------------------------------------------------------------------------

    [Fact]
    public void Clock_TestScheduler_NothingHappensUntilTheSpecAdvancesIt()
    {
        bool fired = false;
        var late = new TestScheduler();
        late.Schedule(TimeSpan.FromSeconds(5), () => fired = true);
        late.AdvanceBy(TimeSpan.FromSeconds(5).Ticks - 1);
        Assert.False(fired);                              // not a tick early

        var clock = new TestScheduler();
        clock.Schedule(TimeSpan.FromSeconds(5), () => fired = true);
        clock.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);

        Assert.True(fired);
        Assert.Equal(TimeSpan.FromSeconds(5).Ticks, clock.Clock);
    }

    [Fact]
    public void Shout_OneLine_ComesBackUpperCased()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        using var port = network.Host("server").Reactor.ListenTcp(8000, Factory.ForProtocol<Shout>());

        var script = Script.Send("hi\r\n").Expect("HI\r\n").Close().ExpectClose();   // the client, written down
        ScriptRun? run = null;
        network.Host("client").Reactor.ClientEndpoint("tcp:server:8000").Connect().Subscribe(c => run = script.Run(c, scheduler));
        scheduler.Start();

        Assert.NotNull(run);
        run.Verify();                       // throws ScriptMismatchException with both texts and a caret
    }

    [Fact]
    public void IoSim_ConnectPair_RecordsLinesWithTheirVirtualTimes()
    {
        var scheduler = _scheduler;
        var network = new SimulatedNetwork(scheduler);

        var (client, server) = network.ConnectPair();
        var heard = server.Input.RecordLines(scheduler);
        client.Output.OnNext("hi\r\n"u8.ToArray());
        scheduler.Start();

        Assert.Equal([OnNext(2 * Ms, "hi")], heard.Messages);
    }

    [Fact]
    public void MemoryReactor_SimulatedHostReactor_ReallyListens()
    {
        var network = new SimulatedNetwork(_scheduler);

        var reactor = network.Host("server").Reactor;        // a MemoryReactor that really listens
        using var port = reactor.ListenTcp(8000, Factory.ForProtocol<Echo>());

        Assert.Equal(new DnsEndPoint("server", 8000), port.Host);
        var runs = Play(network, Script.Send("x").Expect("x").Close().ExpectClose());
        _scheduler.Start();
        Assert.Single(runs).Verify();
    }

    [Fact]
    public void FlowControl_WriteToBothWays_ProxiesBytesBetweenTwoConnections()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (user, a) = network.ConnectPair("user", "proxy");
        var (b, backend) = network.ConnectPair("proxy", "backend");
        var arrived = backend.Input.RecordText(_scheduler);

        a.Input.WriteTo(b.Output);               // reading a pauses while b cannot take more
        b.Input.WriteTo(a.Output);

        user.Output.OnNext("hi"u8.ToArray());
        user.Output.OnCompleted();
        _scheduler.Start();

        Assert.Equal([OnNext(4 * Ms, "hi"), OnCompleted<string>(4 * Ms)], arrived.Messages);
    }

    // ---- Logging ---------------------------------------------------------------------------------------------

    [Fact]
    public void Logging_SocketReactorAndYourOwnCode_LogThroughILogger()
    {
        var loggerFactory = NullLoggerFactory.Instance;
        var logger = new ListLogger();

#pragma warning disable CA1848, CA1873 // the guide shows the plain call; hot paths use [LoggerMessage]
        using var reactor = new SocketReactor(new TcpOptions { LoggerFactory = loggerFactory });   // RxNet's own events
        logger.LogInformation("listening on {Port}", 8000);
#pragma warning restore CA1848, CA1873

        Assert.Same(loggerFactory, reactor.Options.LoggerFactory);
        Assert.Equal(["Information: listening on 8000"], logger.Lines);
    }

    // ---- Producers on the Twisted layer -------------------------------------------------------------------------

    sealed class SendFile : LineReceiver
    {
        public override void LineReceived(string line)
        {
            var file = new MemoryStream(new byte[100_000]);          // File.OpenRead(line) in a real server
            _ = new FileSender().BeginFileTransferAsync(file, Transport); // a Task<byte?>: the last byte sent
        }
    }

    [Fact]
    public void SendFile_AClientThatReadsLate_GetsTheWholeFile()
    {
        var network = new SimulatedNetwork(_scheduler);
        using var port = network.Host("server").Reactor.ListenTcp(8000, Factory.ForProtocol<SendFile>());
        IConnection? client = null;
        network.Host("client").Reactor.ClientEndpoint("tcp:server:8000").Connect().Subscribe(c => client = c);
        _scheduler.Start();
        client!.Output.WriteLine("file.bin");
        _scheduler.AdvanceBy(1000 * Ms);                              // nobody reads: the server's queue fills and stops

        long received = 0;
        client.Input.Subscribe(chunk => received += chunk.Length);
        _scheduler.AdvanceBy(1000 * Ms);

        Assert.Equal(100_000, received);
    }

    // ---- LoopingCall, services and signals --------------------------------------------------------------------

    [Fact]
    public void LoopingCall_StoppedAtThreeAndAHalfSeconds_PolledFourTimesAndItsObservableCompleted()
    {
        var reactor = new SimulatedNetwork(_scheduler).Host("server").Reactor;
        bool completed = false;

        int polls = 0;
        var poll = new LoopingCall(reactor.Scheduler, () => polls++);
        var stopped = poll.Start(TimeSpan.FromSeconds(1));   // completes on Stop(), fails if the function throws
        reactor.CallLater(3.5, poll.Stop);                   // polls at 0, 1, 2 and 3 s
        stopped.Subscribe(_ => { }, () => completed = true);
        _scheduler.Start();

        Assert.Equal(4, polls);
        Assert.True(completed);
    }

    [Fact]
    public void Application_OnTheReactor_TimerTicksUntilTheStopAndRunReturnsAfterTheDrain()
    {
        var reactor = new SimulatedNetwork(_scheduler).Host("server").Reactor;
        var flushed = new List<long>();
        void Save() => flushed.Add(_scheduler.Clock / (1000 * Ms));
        reactor.CallLater(65, reactor.Stop);                 // SIGTERM, in virtual time

        var application = new Application("echo");
        new TimerService(reactor.Scheduler, TimeSpan.FromSeconds(30), Save).SetServiceParent(application);
        StreamServerEndpointService.Create(reactor.ServerEndpoint("tcp:8000"), Factory.ForProtocol<Echo>(), reactor.Scheduler)
            .AsService(TimeSpan.FromSeconds(10)).SetServiceParent(application);
        using var running = reactor.StartApplication(application);
        reactor.Run();              // on SIGTERM: the timer stops, the server drains (10 s at most), then Run returns

        Assert.Equal([0L, 30, 60], flushed);
        Assert.False(application.Running);
        Assert.Equal(65 * 1000 * Ms, _scheduler.Clock);
    }

    // ---- The guide and these specs are the same code ------------------------------------------------------------

    [Fact]
    public void PortingGuide_EveryCodeBlock_AppearsVerbatimInTheseSpecs()
    {
        int blocks = DocSnippets.AssertEveryBlockAppearsIn(
            Path.Combine("docs", "porting-from-twisted.md"),
            Path.Combine("specs", "RxNet.Testing.Specs", "PortingGuideSpecs.cs"),
            Path.Combine("specs", "RxNet.Testing.Specs", "PortingGuideDeferredSpecs.cs"),
            Path.Combine("specs", "RxNet.Testing.Specs", "PortingGuideExamplesSpecs.cs"),
            Path.Combine("specs", "RxNet.Testing.Specs", "PortingGuideWebSpecs.cs"),
            Path.Combine("specs", "RxNet.Testing.Specs", "PortingGuideWebSocketSpecs.cs"),
            Path.Combine("specs", "RxNet.Testing.Specs", "PortingGuideWebClientSpecs.cs"));

        Assert.True(blocks >= 20, $"the guide has {blocks} C# blocks; expected one per concept");
    }

    // ---- Helpers ---------------------------------------------------------------------------------------------

    /// <summary>A line to write: UTF-8 with its <c>\n</c>.</summary>
    private static ReadOnlyMemory<byte> Utf8Line(string text) => Encoding.UTF8.GetBytes(text + "\n");

    /// <summary>Plays <paramref name="script"/> from host <c>client</c> against server:8000, once connected.</summary>
    private List<ScriptRun> Play(SimulatedNetwork network, PeerScript script)
    {
        var runs = new List<ScriptRun>();
        network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect()
            .Subscribe(connection => runs.Add(script.Run(connection, _scheduler)));
        return runs;
    }

    /// <summary>A factory that keeps every protocol it builds.</summary>
    private sealed class Keep<T> : Factory
        where T : Protocol, new()
    {
        public List<T> Built { get; } = [];

        public override Protocol BuildProtocol(EndPoint? address)
        {
            var protocol = new T();
            Built.Add(protocol);
            return protocol;
        }
    }

    /// <summary>An <see cref="ILogger"/> that keeps what it is given, one line per entry.</summary>
    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{logLevel}: {formatter(state, exception)}");
    }
}

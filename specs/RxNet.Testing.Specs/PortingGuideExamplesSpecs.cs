using System.Globalization;
using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Reactive.Testing;
using RxNet;
using RxNet.Sockets;
using RxNet.Twisted;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Testing.Specs;

/// <summary>
/// The porting guide's later additions, run: a Deferred fired later (an <c>AsyncSubject</c>, a
/// <c>TaskCompletionSource</c>), the thread code runs on after <c>await</c>, and the worked examples (Twisted's finger
/// server with a Deferred and <c>callLater</c>; a finger client gathering several servers with timeouts). Each runs on
/// a simulated network in virtual time; the guide's blocks appear here verbatim.
/// </summary>
public sealed class PortingGuideExamplesSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;

    public PortingGuideExamplesSpecs() => _network = new SimulatedNetwork(_scheduler);

    // ---- A Deferred you fire yourself ----------------------------------------------------------------------------

    [Fact]
    public void FireLater_AsyncSubject_FiresAtTwoSecondsAndGivesItsResultToLateSubscribersAtOnce()
    {
        var reactor = _network.Host("server").Reactor;
        var users = new Dictionary<string, string> { ["moshez"] = "Happy and well" };

        IObservable<string> GetUser(string user)
        {
            var d = new AsyncSubject<string>();                                  // Deferred()
            reactor.CallLater(2, () =>
            {
                d.OnNext(users.GetValueOrDefault(user, "No such user"));        // d.callback(...): the value...
                d.OnCompleted();                                                 // ...and the end
            });
            return d;
        }

        var moshez = GetUser("moshez");
        var early = moshez.Record(_scheduler);
        var nobody = GetUser("nobody").Record(_scheduler);
        _scheduler.AdvanceTo(3000 * Ms);
        var late = moshez.Record(_scheduler);

        Assert.Equal([OnNext(2000 * Ms, "Happy and well"), OnCompleted<string>(2000 * Ms)], early.Messages);
        Assert.Equal([OnNext(2000 * Ms, "No such user"), OnCompleted<string>(2000 * Ms)], nobody.Messages);
        Assert.Equal([OnNext(3000 * Ms, "Happy and well"), OnCompleted<string>(3000 * Ms)], late.Messages); // remembered
    }

    [Fact]
    public async Task FireLater_TaskCompletionSource_CompletesAtTwoSeconds()
    {
        var reactor = _network.Host("server").Reactor;
        var users = new Dictionary<string, string> { ["moshez"] = "Happy and well" };

        Task<string> GetUserAsync(string user)
        {
            var d = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            reactor.CallLater(2, () => d.SetResult(users.GetValueOrDefault(user, "No such user")));   // d.callback(...)
            return d.Task;
        }

        var moshez = GetUserAsync("moshez");
        _scheduler.AdvanceTo(2000 * Ms - 1);
        Assert.False(moshez.IsCompleted);
        _scheduler.AdvanceTo(2000 * Ms);

        Assert.True(moshez.IsCompletedSuccessfully);
        Assert.Equal("Happy and well", await moshez);
    }

    [Fact]
    public void FireLater_TaskCompletionSourceWithoutTheOption_RunsTheAwaitingCodeInsideTheReactorsCallback()
    {
        var reactor = _network.Host("server").Reactor;
        var d = new TaskCompletionSource<string>();                          // no RunContinuationsAsynchronously
        var steps = new List<string>();

        async Task AwaitingAsync()
        {
            string user = await d.Task;
            steps.Add($"the awaiting code got {user}");
        }
        _ = AwaitingAsync();
        reactor.CallLater(2, () =>
        {
            steps.Add("timer fires");
            d.SetResult("moshez");
            steps.Add("SetResult returned");
        });
        _scheduler.Start();

        // The rest of the awaiting method ran inside SetResult, inside the reactor's timer callback.
        Assert.Equal(["timer fires", "the awaiting code got moshez", "SetResult returned"], steps);
    }

    // ---- Threads after await -------------------------------------------------------------------------------------

    [Fact]
    public async Task Threads_YieldToTheReactorsScheduler_TheCodeAfterAwaitRunsInTheReactorsTurn()
    {
        var reactor = _network.Host("client").Reactor;
        var (connection, server) = _network.ConnectPair();
        var turns = new List<long>();

        async Task<string> ReadAsync()
        {
            string line = await connection.Input.Lines().FirstAsync();   // here: the connection's I/O thread
            await reactor.Scheduler.Yield();                             // from here on: the reactor's thread
            turns.Add(_scheduler.Clock);
            return line;
        }
        var read = ReadAsync();
        server.Output.WriteLine("hello");
        _scheduler.Start();

        Assert.Equal("hello", await read);
        Assert.Equal([2 * Ms + 1], turns);                              // the line at 2 ms; then a turn of the reactor's own
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Threads_YieldToASocketReactorsScheduler_TheCodeAfterAwaitRunsOnItsThread()
    {
        using var reactor = new SocketReactor();
        string? before = await Task.Run(() => Thread.CurrentThread.Name, TestContext.Current.CancellationToken);

        await reactor.Scheduler.Yield(TestContext.Current.CancellationToken);
        string? after = Thread.CurrentThread.Name;

        Assert.NotEqual("RxNet reactor", before);                       // a pool thread...
        Assert.Equal("RxNet reactor", after);                           // ...then, after Yield, the reactor's own
    }

    // ---- Worked example: the finger server ----------------------------------------------------------------------

#pragma warning disable CA1859 // GetUser hands out its Deferred as an IObservable, so that callers cannot fire it
    sealed class FingerProtocol(FingerFactory factory) : LineReceiver
    {
        public override void LineReceived(string user) =>
            factory.GetUser(user)
                .Catch((Exception _) => Observable.Return("Internal error in server"))   // onError
                .Subscribe(message =>                                                    // writeResponse
                {
                    SendLine(message);
                    Transport.LoseConnection();
                });
    }

    sealed class FingerFactory(IReactor reactor, IReadOnlyDictionary<string, string> users) : Factory
    {
        public override Protocol BuildProtocol(EndPoint? address) => new FingerProtocol(this);

        public IObservable<string> GetUser(string user)
        {
            var d = new AsyncSubject<string>();
            reactor.CallLater(2, () =>
            {
                d.OnNext(users.GetValueOrDefault(user, "No such user"));
                d.OnCompleted();
            });
            return d;
        }
    }
#pragma warning restore CA1859

    [Fact]
    public void Finger_Server_AnswersEachUserTwoSecondsLaterThenLosesTheConnection()
    {
        var runs = new List<ScriptRun>();
        foreach (var (user, reply) in new[] { ("moshez", "Happy and well"), ("nobody", "No such user") })
        {
            var script = Script.Send(user + "\r\n").Expect(reply + "\r\n").ExpectClose().Close();
            _network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=1079").Connect()
                .Subscribe(c => runs.Add(script.Run(c, _scheduler)));
        }
        var reactor = _network.Host("server").Reactor;

        using var port = reactor.ListenTcp(1079, new FingerFactory(reactor, new Dictionary<string, string> { ["moshez"] = "Happy and well" }));
        reactor.Run();

        Assert.Equal(2, runs.Count);
        runs.ForEach(run => run.Verify());
        var replies = _network.Trace.Where(e => e.Kind == NetworkEventKind.Data && e.From == "server:1079").Select(e => e.Ticks);
        Assert.Equal([2003 * Ms, 2003 * Ms], replies);                   // asked at 2 ms, answered 2 s later, 1 ms on the link
    }

    // ---- Worked example: asking many finger servers --------------------------------------------------------------

    static IObservable<string> Finger(IReactor reactor, string host, string user) =>
        reactor.ClientEndpoint($"tcp:host={host}:port=1079").Connect()
            .SelectMany(connection => Observable.Using(() => connection, c =>
            {
                c.Output.WriteLine(user);
                return c.Input.Lines().Take(1);                            // the reply; then the connection is aborted
            }))
            .Timeout(TimeSpan.FromSeconds(5), reactor.Scheduler);          // addTimeout(5, reactor): cancels the ask

    [Fact]
    public void Finger_DeferredListWithTimeouts_GivesEveryOutcomeInOrderWhenTheLastAskTimesOut()
    {
        var reactor = FingerServers();

        string[] hosts = ["alpha", "beta", "gamma"];
        var everyone = Observable.Zip(hosts.Select(host => Finger(reactor, host, "moshez").Materialize().FirstAsync()));  // DeferredList
        var allOrNothing = Observable.Zip(hosts.Select(host => Finger(reactor, host, "moshez")));                         // gatherResults

        var outcomes = everyone.Select(list => string.Join(", ", list.Select(n => n.HasValue ? n.Value : n.Exception!.GetType().Name))).Record(_scheduler);
        _scheduler.Start();

        Assert.Equal([
            OnNext(5000 * Ms, "Happy and well, TimeoutException, ConnectionRefusedException"),
            OnCompleted<string>(5000 * Ms)], outcomes.Messages);
        Assert.NotNull(allOrNothing);
    }

    [Fact]
    public void Finger_GatherResultsWithTimeouts_FailsAtTheFirstRefusalAndAbortsTheOtherAsks()
    {
        var reactor = FingerServers();
        string[] hosts = ["alpha", "beta", "gamma"];

        var seen = Observable.Zip(hosts.Select(host => Finger(reactor, host, "moshez"))).Record(_scheduler);
        _scheduler.Start();

        var failure = Assert.Single(seen.Messages);
        Assert.Equal(1000 * Ms, failure.Time);
        Assert.IsType<ConnectionRefusedException>(failure.Value.Exception);
        var resets = _network.Trace.Where(e => e.Kind == NetworkEventKind.Reset).Select(e => (e.Ticks, e.To));
        Assert.Equal([(1001 * Ms, "alpha:1079")], resets);             // alpha's connection aborted at 1 s (1 ms on the link)
        Assert.DoesNotContain(_network.Trace, e => e.To.StartsWith("beta:", StringComparison.Ordinal) && e.Kind == NetworkEventKind.Connect);
    }

    // ---- Worked example: a client that reconnects and polls -----------------------------------------------------

    sealed class Poller(PollerFactory factory) : LineReceiver
    {
        LoopingCall? _loop;
        public override void ConnectionMade()
        {
            factory.ResetDelay();
            _loop = new LoopingCall(factory.Reactor.Scheduler, () => SendLine("status"));
            _loop.Start(TimeSpan.FromSeconds(5));            // a failing call is logged by the reactor
        }
        public override void LineReceived(string line) => factory.Answers.Add(line);
        public override void ConnectionLost(ConnectionClosed reason)
        {
            if (_loop is { Running: true })
                _loop.Stop();
        }
    }

    sealed class PollerFactory(IReactor reactor) : ReconnectingClientFactory(reactor)
    {
        public List<string> Answers { get; } = [];
        public override Protocol BuildProtocol(EndPoint? address) => new Poller(this) { Factory = this };
    }

    /// <summary>A status server that answers three polls per connection ("ok 1" to "ok 3"), then closes it.</summary>
    sealed class ThreeAnswers : LineReceiver
    {
        int _answered;

        public override void LineReceived(string line)
        {
            SendLine(string.Create(CultureInfo.InvariantCulture, $"ok {++_answered}"));
            if (_answered == 3)
                Transport.LoseConnection();
        }
    }

    [Fact]
    public void Poller_ServerClosesAfterThreePolls_ReconnectsAfterTwistedsBackoffAndPollsOnAFreshGrid()
    {
        var server = _network.Host("server").Reactor;
        using var port = server.ListenTcp(8000, Factory.ForProtocol<ThreeAnswers>());
        var polls = new List<long>();
        var reactor = _network.Host("client").Reactor;

        var poller = new PollerFactory(reactor) { Jitter = 0 };             // Twisted's delays without their noise
        reactor.ConnectTcp("server", 8000, poller);
        _scheduler.AdvanceTo(20_000 * Ms);
        polls.AddRange(_network.Trace.Where(e => e.Kind == NetworkEventKind.Data && e.To == "server:8000").Select(e => e.Ticks / Ms));
        poller.StopTrying();

        Assert.Equal(["ok 1", "ok 2", "ok 3", "ok 1", "ok 2"], poller.Answers);
        // The first connection's polls at 2, 5,002 and 10,002 ms (the handshake takes 2 ms); it closes at 10,004 ms.
        Assert.Equal([2L, 5002, 10_002], polls.Take(3));
        // The retry comes e seconds after the loss (Twisted's 1 s times 2.718...), the new grid starts when it connects.
        long reconnected = polls[3];
        Assert.InRange(reconnected, 10_004 + 2718, 10_004 + 2718 + 10);
        Assert.Equal(reconnected + 5000, polls[4]);
    }

    /// <summary>Finger servers as the guide describes them: alpha answers after its two seconds, beta is behind a
    /// ten-second link, nobody listens at gamma's port, behind a one-second link. Returns the client's reactor.</summary>
    private IReactor FingerServers()
    {
        _network.Link("client", "beta", new LinkOptions { Latency = TimeSpan.FromSeconds(10) });
        _network.Link("client", "gamma", new LinkOptions { Latency = TimeSpan.FromSeconds(1) });
        var users = new Dictionary<string, string> { ["moshez"] = "Happy and well" };
        foreach (string host in new[] { "alpha", "beta" })
        {
            var server = _network.Host(host).Reactor;
            server.ListenTcp(1079, new FingerFactory(server, users));
        }
        return _network.Host("client").Reactor;
    }
}

using System.Collections.Immutable;
using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Testing.Specs.Linq;

/// <summary>
/// The queries of docs/linq.md, run on a simulated network with their virtual times pinned to the tick.
/// The last spec checks that every code block of the guide appears here verbatim, so the guide cannot
/// drift from code that compiles and passes.
/// </summary>
public sealed class LinqQuerySpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    /// <summary>CRLF lines of any length: the clients may send a line above the server's limit on purpose.</summary>
    private static readonly LineOptions AnyLength = LineOptions.CrLf with { MaxLength = int.MaxValue };

    // ---- 1. Every line of every connection ----------------------------------------------------------------

    [Fact]
    public void Query_ErrorsFromEveryConnection_ArriveTaggedWithTheirHostAndAnOverlongLineDropsOnlyItsSender()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var listener = network.Host("server").Reactor.ServerEndpoint("tcp:7000").Listen();

        var errors =
            from connection in listener
            from line in connection.Input.Lines().Catch((IOException _) => Observable.Empty<string>()) // a bad client drops out alone
            where line.StartsWith("ERROR", StringComparison.Ordinal)
            select $"{Host(connection)}: {line}";

        var seen = errors.Record(scheduler);
        Client(network, "alice", 0, (10, "hello"), (20, "ERROR disk full"), (30, "bye"));
        Client(network, "bob", 0, (15, "ERROR no route"), (25, "ok"));
        Client(network, "eve", 0, (12, new string('x', 20_000)), (14, "ERROR fake"));  // a line above 16384 bytes
        scheduler.Start();

        Assert.Equal([
            OnNext(16 * Ms, "bob: ERROR no route"),          // written at 15 ms, 1 ms on the link
            OnNext(21 * Ms, "alice: ERROR disk full")], seen.Messages);
    }

    // ---- 2. Per-connection counts with Scan ----------------------------------------------------------------

    [Fact]
    public void Query_LinesPerHostWithScan_UpdatesAtEveryLineOfAnyConnection()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var listener = network.Host("server").Reactor.ServerEndpoint("tcp:7000").Listen();

        var tallies =
            (from connection in listener
             from line in connection.Input.Lines()
             select Host(connection))
            .Scan(ImmutableSortedDictionary<string, int>.Empty,
                  (tally, host) => tally.SetItem(host, tally.GetValueOrDefault(host) + 1))
            .Select(tally => string.Join(" ", tally.Select(entry => $"{entry.Key}={entry.Value}")));

        var seen = tallies.Record(scheduler);
        Client(network, "alice", 0, (10, "hello"), (20, "ERROR disk full"), (30, "bye"));
        Client(network, "bob", 0, (15, "ERROR no route"), (25, "ok"));
        scheduler.Start();

        Assert.Equal([
            OnNext(11 * Ms, "alice=1"),
            OnNext(16 * Ms, "alice=1 bob=1"),
            OnNext(21 * Ms, "alice=2 bob=1"),
            OnNext(26 * Ms, "alice=2 bob=2"),
            OnNext(31 * Ms, "alice=3 bob=2")], seen.Messages);
    }

    // ---- 3. Top talkers per second: Window and GroupBy in virtual time -------------------------------------

    [Fact]
    public void Query_TopTalkerPerSecond_IsReportedAtTheEndOfEachSecondThatHadLines()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var listener = network.Host("server").Reactor.ServerEndpoint("tcp:7000").Listen();

        var senders =
            from connection in listener
            from line in connection.Input.Lines()
            select Host(connection);

        var topTalkers =
            from second in senders.Window(TimeSpan.FromSeconds(1), scheduler)
            from tally in second.GroupBy(host => host)
                                .SelectMany(host => host.Count().Select(lines => (Host: host.Key, Lines: lines)))
                                .ToList()
            where tally.Count > 0
            select tally.OrderByDescending(t => t.Lines).ThenBy(t => t.Host, StringComparer.Ordinal).First();

        var seen = topTalkers.Record(scheduler);
        Client(network, "alice", 0, (100, "a"), (200, "b"), (300, "c"), (1500, "d"));
        Client(network, "bob", 0, (400, "e"), (1200, "f"), (1300, "g"), (1400, "h"));
        scheduler.AdvanceTo(3500 * Ms);                       // the windows tick forever: run 3.5 s, not Start()

        Assert.Equal([
            OnNext(1000 * Ms, (Host: "alice", Lines: 3)),    // 0-1 s: alice 3, bob 1
            OnNext(2000 * Ms, (Host: "bob", Lines: 3))], seen.Messages); // 1-2 s: bob 3, alice 1; 2-3 s: silence
    }

    // ---- 4. First line, then the rest ----------------------------------------------------------------------

    [Fact]
    public void Query_NameThenMessages_TagsEveryMessageAndDropsAClientSilentForFiveSeconds()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var listener = network.Host("server").Reactor.ServerEndpoint("tcp:7000").Listen();

        var chat =
            from connection in listener
            from said in connection.Input.Lines().Publish(lines =>
                    from name in lines.Take(1).Timeout(TimeSpan.FromSeconds(5), scheduler)
                    from text in lines
                    select $"{name}: {text}")
                .Catch((TimeoutException _) =>
                {
                    connection.Dispose();                    // one silent client, not the server, fails
                    return Observable.Return($"{Host(connection)} never said its name");
                })
            select said;

        var seen = chat.Record(scheduler);
        Client(network, "laptop", 0, (10, "alice"), (20, "hi all"), (30, "bye"));
        var silent = Client(network, "mallory", 0);
        scheduler.Start();

        Assert.Equal([
            OnNext(21 * Ms, "alice: hi all"),
            OnNext(31 * Ms, "alice: bye"),
            OnNext(5001 * Ms, "mallory never said its name")], seen.Messages); // accepted at 1 ms, + 5 s
        var reset = Assert.Single(silent.Messages);
        Assert.Equal(5002 * Ms, reset.Time);                                  // the abort, one latency later
        Assert.IsType<ConnectionResetException>(reset.Value.Exception);
    }

    // ---- 5. Request/response correlation -------------------------------------------------------------------

    [Fact]
    public void Query_AnswersOutOfOrder_EachReachesItsOwnQuestionAndAnUnansweredOneTimesOut()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        // The server answers "ID QUESTION" with "ID ANSWER": slow questions after 50 ms, others after 10 ms,
        // so answers overtake each other; it never answers "never".
        var connection = network.ConnectTo(server =>
            (from line in server.Input.Lines()
             let request = line.Split(' ', 2)
             where request[1] != "never"
             from _ in Observable.Timer(TimeSpan.FromMilliseconds(request[1] == "slow" ? 50 : 10), scheduler)
             select $"{request[0]} {request[1].ToUpperInvariant()}")
            .Subscribe(server.Output.Lines()));                      // connected at 1 ms

        var replies = connection.Input.Lines()
            .Select(line => line.Split(' ', 2))
            .Publish();                                      // one subscription to the input, shared by every question
        using var reading = replies.Connect();

        IObservable<string> Ask(string id, string question) =>
            Observable.Create<string>(observer =>
            {
                var answer = replies
                    .Where(reply => reply[0] == id)
                    .Select(reply => reply[1])
                    .Take(1)
                    .Timeout(TimeSpan.FromSeconds(1), scheduler)
                    .Subscribe(observer);
                connection.Output.WriteLine($"{id} {question}"); // asked after subscribing: no answer slips by
                return answer;
            });

        var slow = Ask("1", "slow").Record(scheduler);
        var fast = Ask("2", "fast").Record(scheduler);
        var never = Ask("3", "never").Record(scheduler);
        scheduler.Start();

        Assert.Equal([OnNext(53 * Ms, "SLOW"), OnCompleted<string>(53 * Ms)], slow.Messages); // 1 + 1 + 50 + 1 ms
        Assert.Equal([OnNext(13 * Ms, "FAST"), OnCompleted<string>(13 * Ms)], fast.Messages);
        var timedOut = Assert.Single(never.Messages);
        Assert.Equal(1001 * Ms, timedOut.Time);
        Assert.IsType<TimeoutException>(timedOut.Value.Exception);
    }

    // ---- 6. A connection-rate limit ------------------------------------------------------------------------

    [Fact]
    public void Query_AtMostTwoConnectionsPerSecond_TurnsTheThirdAwayAndAdmitsTheNextSecondsFirst()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var listener = network.Host("server").Reactor.ServerEndpoint("tcp:7000").Listen();

        var arrivals =
            from second in listener.Window(TimeSpan.FromSeconds(1), scheduler)
            from arrival in second.Select((connection, nth) => (Connection: connection, Admitted: nth < 2))
            select arrival;

        using var serving = arrivals.Subscribe(arrival =>
        {
            arrival.Connection.Output.WriteLine(arrival.Admitted ? "welcome" : "busy, try again later");
            arrival.Connection.Output.OnCompleted();
        });

        var alice = Client(network, "alice", 100);
        var bob = Client(network, "bob", 200);
        var carol = Client(network, "carol", 300);
        var dave = Client(network, "dave", 1100);
        scheduler.AdvanceTo(2500 * Ms);

        Assert.Equal([OnNext(102 * Ms, "welcome"), OnCompleted<string>(102 * Ms)], alice.Messages);
        Assert.Equal([OnNext(202 * Ms, "welcome"), OnCompleted<string>(202 * Ms)], bob.Messages);
        Assert.Equal([OnNext(302 * Ms, "busy, try again later"), OnCompleted<string>(302 * Ms)], carol.Messages);
        Assert.Equal([OnNext(1102 * Ms, "welcome"), OnCompleted<string>(1102 * Ms)], dave.Messages);
    }

    // ---- 7. Several queries over one listener ---------------------------------------------------------------

    [Fact]
    public void Query_TwoQueriesOverOnePublishedListener_ShareOneBindingAndTheLiveCountDropsWhenAClientHalfCloses()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var listener = network.Host("server").Reactor.ServerEndpoint("tcp:7000").Listen();

        var connections = listener.Publish().RefCount();    // one binding, however many queries subscribe

        var live =
            (from connection in connections
             from change in Observable.Return(+1).Concat(connection.Closed.Select(_ => -1))
             select change)
            .Scan(0, (open, change) => open + change);

        var shouts =
            from connection in connections
            from line in connection.Input.Lines()
                .Finally(connection.Output.OnCompleted)      // the client half-closed: finish this side too, so Closed comes
                .Catch((IOException _) =>                    // what a bad client causes (overlong line, reset), nothing else
                {
                    connection.Dispose();                    // drop it: nobody reads it any more
                    return Observable.Empty<string>();
                })
            where line.EndsWith('!')
            select $"{Host(connection)}: {line}";

        var counts = live.Record(scheduler);
        var seen = shouts.Record(scheduler);
        Client(network, "alice", 0, (10, "hi!"), (20, "bye"));
        Client(network, "bob", 5, (15, "hello!"), (40, "ciao!"));
        Client(network, "eve", 8, (12, new string('x', 20_000)));          // a line above 16384 bytes
        scheduler.Start();

        Assert.Equal([
            OnNext(1 * Ms, 1),                               // alice accepted
            OnNext(6 * Ms, 2),                               // bob
            OnNext(9 * Ms, 3),                               // eve
            OnNext(13 * Ms, 2),                              // eve's overlong line: dropped at once
            OnNext(21 * Ms + 1, 1),                          // alice half-closed after "bye"; our FIN goes a tick later
            OnNext(41 * Ms + 1, 0)], counts.Messages);       // bob, after "ciao!"
        Assert.Equal([
            OnNext(11 * Ms, "alice: hi!"),
            OnNext(16 * Ms, "bob: hello!"),
            OnNext(41 * Ms, "bob: ciao!")], seen.Messages);
    }

    [Fact]
    public void Query_SecondQueryOverOneListenerWithoutPublish_FailsAtOnceSayingToPublish()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var listener = network.Host("server").Reactor.ServerEndpoint("tcp:7000").Listen();

        using var first = listener.Subscribe(connection => connection.Dispose());
        var second = listener.Record(scheduler);            // the same Listen(), no Publish(): it would bind again

        var error = Assert.IsType<InvalidOperationException>(Assert.Single(second.Messages).Value.Exception);
        Assert.Contains("Publish()", error.Message, StringComparison.Ordinal);
    }

    // ---- The guide and these specs are the same code -------------------------------------------------------

    [Fact]
    public void LinqGuide_EveryCodeBlock_AppearsVerbatimInTheseSpecs() =>
        DocSnippets.AssertEveryBlockAppearsIn("docs/linq.md", "specs/RxNet.Testing.Specs/Linq/LinqQuerySpecs.cs");

    // ---- Helpers (shown in the guide's setup) --------------------------------------------------------------

    /// <summary>The host name of the connection's other end.</summary>
    private static string Host(IConnection connection) => ((DnsEndPoint)connection.RemoteEndPoint!).Host;


    /// <summary>
    /// A client on <paramref name="host"/>: connects to server:7000 at <paramref name="connectAt"/> ms,
    /// writes each line at its time (ms, absolute), half-closes after the last one (a client with no lines
    /// stays connected and silent), and records the lines it receives.
    /// </summary>
    private static ITestableObserver<string> Client(SimulatedNetwork network, string host, int connectAt, params (int At, string Line)[] lines)
    {
        var scheduler = network.Scheduler;
        var heard = scheduler.CreateObserver<string>();
        void Connect() =>
            network.Host(host).Reactor.ClientEndpoint("tcp:host=server:port=7000").Connect().Subscribe(connection =>
            {
                connection.Input.Lines().Subscribe(heard);
                foreach (var (at, line) in lines)
                    scheduler.ScheduleAbsolute(at * Ms, () => connection.Output.WriteLine(line, AnyLength));
                if (lines.Length > 0)
                    scheduler.ScheduleAbsolute(lines[^1].At * Ms, connection.Output.OnCompleted);
            });
        if (connectAt * Ms <= scheduler.Clock)
            Connect();                                       // now, not one tick later as the TestScheduler would
        else
            scheduler.ScheduleAbsolute(connectAt * Ms, Connect);
        return heard;
    }
}

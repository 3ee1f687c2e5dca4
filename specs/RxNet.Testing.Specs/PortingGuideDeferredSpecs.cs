using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet;
using RxNet.Twisted;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Testing.Specs;

/// <summary>
/// The porting guide's <c>gatherResults</c>, <c>DeferredList</c> and <c>addTimeout</c> mappings, pinned in virtual
/// time: <c>Zip</c> fails at the first failure in time and cancels the rest, and a timeout on an operation that
/// owns its connection aborts that connection. Beside each, the mapping the guide used to give (<c>Task.WhenAll</c>,
/// a timeout on a started task), shown to do neither. The guide's blocks appear here verbatim.
/// </summary>
public sealed class PortingGuideDeferredSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;
    private readonly IReactor _client;

    public PortingGuideDeferredSpecs()
    {
        _network = new SimulatedNetwork(_scheduler);
        _client = _network.Host("client").Reactor;
    }

    // The guide's Ask: an observable ask that owns its connection.
    static IObservable<string> Ask(IClientEndpoint endpoint, string question) =>
        endpoint.Connect().SelectMany(connection => Observable.Using(() => connection, c =>
        {
            c.Output.WriteLine(question);
            return c.Input.Lines().Take(1);                        // the first line back; disposing aborts the connection
        }));

    // The guide's AskAsync with a token.
    static async Task<string> AskAsync(IClientEndpoint endpoint, string question, CancellationToken cancel)
    {
        using var connection = await endpoint.Connect().RunAsync(cancel);     // cancelled: the connect is abandoned
        connection.Output.WriteLine(question);
        return await connection.Input.Lines().FirstAsync().RunAsync(cancel);  // cancelled: `using` aborts the connection
    }

    // ---- gatherResults -------------------------------------------------------------------------------------------

    [Fact]
    public void GatherResults_Zip_GivesEveryAnswerInTheOrderGivenOnceTheSlowestArrives()
    {
        var (alpha, beta) = BothAnswering(alphaLatency: TimeSpan.FromMilliseconds(5));

        var answers = Observable.Zip(Ask(alpha, "x"), Ask(beta, "y"));   // IList<string> in order, or the first failure

        var seen = answers.Select(a => string.Join(", ", a)).Record(_scheduler);
        _scheduler.Start();

        // alpha: connected at 5 ms, asked at 10 ms, answered at 15 ms; beta long before.
        Assert.Equal([OnNext(15 * Ms, "alpha says x, beta says y"), OnCompleted<string>(15 * Ms)], seen.Messages);
    }

    [Fact]
    public void GatherResults_Zip_FailsAtTheFirstFailureInTimeAndCancelsTheOthers()
    {
        var (gamma, alpha, beta) = ThreeWaysToFail();

        var answers = Observable.Zip(Ask(gamma, "x"), Ask(alpha, "x"), Ask(beta, "x"));
        var seen = answers.Record(_scheduler);
        _scheduler.Start();

        // beta, last in the list, is the first to fail (refused at 1 s): that is the failure, at once.
        var failure = Assert.Single(seen.Messages);
        Assert.Equal(RefusedAt, failure.Time);
        Assert.IsType<ConnectionRefusedException>(failure.Value.Exception);
        Assert.Equal(0, _alphaAccepted);                                   // alpha's connect (5 s away) was abandoned
        Assert.Equal([RefusedAt + Ms], ResetsTo("gamma"));                // gamma's connection aborted then (1 ms on the link)
    }

    [Fact]
    public void GatherResults_ZipOfFromAsync_FailsAtTheFirstFailureAndCancelsTheOtherAsksToken()
    {
        var (_, alpha, beta) = ThreeWaysToFail();
        var reactor = _client;

        var onReactor = new TaskObservationOptions(reactor.Scheduler, ignoreExceptionsAfterUnsubscribe: true);
        var answers = Observable.Zip(
            Observable.FromAsync(cancel => AskAsync(alpha, "x", cancel), onReactor),
            Observable.FromAsync(cancel => AskAsync(beta, "y", cancel), onReactor));  // the first failure cancels the other

        var seen = answers.Record(_scheduler);
        _scheduler.Start();

        var failure = Assert.Single(seen.Messages);
        Assert.Equal(RefusedAt + 1, failure.Time);                        // beta refused at 1 s: the gathering fails on the next tick
        Assert.IsType<ConnectionRefusedException>(failure.Value.Exception);
        Assert.Equal(0, _alphaAccepted);                                   // alpha's token was cancelled before it connected
    }

    [Fact]
    public async Task GatherResults_TaskWhenAll_WaitsForEveryTaskAndThrowsTheFirstInTheListNotInTime()
    {
        var (gamma, alpha, beta) = ThreeWaysToFail();

        var all = Task.WhenAll(AskAsync(gamma, "x", TestContext.Current.CancellationToken), AskAsync(alpha, "x", TestContext.Current.CancellationToken), AskAsync(beta, "x", TestContext.Current.CancellationToken));
        _scheduler.AdvanceTo(10_000 * Ms);
        Assert.False(all.IsCompleted);                                    // beta failed at 1 s, gamma at 2 s: still waiting
        _scheduler.Start();

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => all);
        Assert.IsType<ConnectionResetException>(thrown);                  // gamma's, first in the list; not beta's refusal
    }

    // ---- DeferredList --------------------------------------------------------------------------------------------

    [Fact]
    public void DeferredList_FireOnOneCallback_GivesTheFirstSuccessWithItsIndexAndCancelsTheRest()
    {
        var (alpha, beta) = BothAnswering(alphaLatency: TimeSpan.FromSeconds(5));
        var nobody = _client.ClientEndpoint("tcp:nobody:8000");

        IObservable<string>[] asks = [Ask(alpha, "x"), Ask(beta, "y")];
        var first = asks.Select((d, i) => d.Materialize().Where(n => n.HasValue).Select(n => (Result: n.Value, Index: i)))
            .Merge().Take(1);                               // the first success and its index; the others are then cancelled

        var seen = first.Record(_scheduler);
        IObservable<string>[] refused = [Ask(nobody, "x"), Ask(nobody, "y")];
        var none = refused.Select((d, i) => d.Materialize().Where(n => n.HasValue).Select(n => (Result: n.Value, Index: i)))
            .Merge().Take(1).Record(_scheduler);
        _scheduler.Start();

        Assert.Equal([OnNext(3 * Ms, ("beta says y", 1)), OnCompleted<(string, int)>(3 * Ms)], seen.Messages);
        Assert.Equal(0, _alphaAccepted);                                   // alpha, 5 s away, was cancelled
        Assert.Equal([OnCompleted<(string, int)>(1 * Ms)], none.Messages); // none succeeded: empty, not a failure
    }

    // ---- addTimeout ----------------------------------------------------------------------------------------------

    [Fact]
    public void AddTimeout_OnAnAskThatOwnsItsConnection_FailsAtFiveSecondsAndAbortsTheConnection()
    {
        var reactor = _client;
        var endpoint = Silent();

        var answer = Ask(endpoint, "x").Timeout(TimeSpan.FromSeconds(5), reactor.Scheduler);
        var answered = Observable.FromAsync(cancel => AskAsync(endpoint, "x", cancel)).Timeout(TimeSpan.FromSeconds(5), reactor.Scheduler);

        var first = answer.Record(_scheduler);
        var second = answered.Record(_scheduler);
        _scheduler.Start();

        foreach (var seen in new[] { first, second })
        {
            var failure = Assert.Single(seen.Messages);
            Assert.Equal(5000 * Ms, failure.Time);
            Assert.IsType<TimeoutException>(failure.Value.Exception);
        }
        Assert.Equal([5001 * Ms, 5001 * Ms], ResetsTo("silent"));         // both connections aborted when the timeout fired
        Assert.Equal(["Reset at 5001 ms", "Reset at 5001 ms"], _silentEnds); // (1 ms on the link), and the server sees them go
    }

    [Fact]
    public async Task AddTimeout_TokenCancelledByCallLater_ThrowsAtFiveSecondsAndAbortsTheConnection()
    {
        var reactor = _client;
        var endpoint = Silent();

        async Task<string> AskWithTimeoutAsync()
        {
            using var timeout = new CancellationTokenSource();
            using var timer = reactor.CallLater(5, timeout.Cancel);
            string reply = await AskAsync(endpoint, "x", timeout.Token);   // at 5 s: OperationCanceledException, connection aborted
            return reply;
        }
        var asked = AskWithTimeoutAsync();
        _scheduler.Start();

        Assert.True(asked.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => asked);
        Assert.Equal([5001 * Ms], ResetsTo("silent"));                    // aborted at 5 s, 1 ms on the link
        Assert.Equal(["Reset at 5001 ms"], _silentEnds);
    }

    [Fact]
    public void AddTimeout_OnATaskAlreadyStarted_TimesOutButLeavesTheConnectionOpen()
    {
        var endpoint = Silent();
        var started = AskAsync(endpoint, "x", CancellationToken.None);

        var seen = started.ToObservable().Timeout(TimeSpan.FromSeconds(5), _client.Scheduler).Record(_scheduler);
        _scheduler.AdvanceTo(60_000 * Ms);

        Assert.IsType<TimeoutException>(Assert.Single(seen.Messages).Value.Exception);
        Assert.False(started.IsCompleted);                                // the ask goes on...
        Assert.Empty(ResetsTo("silent"));                                 // ...and its connection is still open at 60 s
        Assert.Empty(_silentEnds);
    }

    // ---- Helpers -------------------------------------------------------------------------------------------------

    /// <summary>When beta's refusal reaches the client: its link's 1 s latency.</summary>
    private const long RefusedAt = 1000 * Ms;

    private int _alphaAccepted;
    private readonly List<string> _silentEnds = [];

    /// <summary>Three asks that end at different times: gamma is reset by its server at 2 s, alpha answers after a
    /// 5 s link (at about 10 s), beta has nobody listening behind a 1 s link (refused at 1 s).</summary>
    private (IClientEndpoint Gamma, IClientEndpoint Alpha, IClientEndpoint Beta) ThreeWaysToFail()
    {
        _network.Link("client", "alpha", new LinkOptions { Latency = TimeSpan.FromSeconds(5) });
        _network.Link("client", "beta", new LinkOptions { Latency = TimeSpan.FromSeconds(1) });
        Answering("alpha");
        var gamma = _network.Host("gamma").Reactor;
        gamma.ServerEndpoint("tcp:8000").Listen().Subscribe(c => gamma.CallLater(2, c.Dispose));
        return (_client.ClientEndpoint("tcp:gamma:8000"), _client.ClientEndpoint("tcp:alpha:8000"), _client.ClientEndpoint("tcp:beta:8000"));
    }

    /// <summary>alpha and beta answering, alpha behind a link of <paramref name="alphaLatency"/>.</summary>
    private (IClientEndpoint Alpha, IClientEndpoint Beta) BothAnswering(TimeSpan alphaLatency)
    {
        _network.Link("client", "alpha", new LinkOptions { Latency = alphaLatency });
        Answering("alpha");
        Answering("beta");
        return (_client.ClientEndpoint("tcp:alpha:8000"), _client.ClientEndpoint("tcp:beta:8000"));
    }

    /// <summary>A server on <paramref name="host"/>:8000 that answers each line with "host says line".</summary>
    private void Answering(string host) =>
        _network.Host(host).Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(c =>
        {
            if (host == "alpha")
                _alphaAccepted++;
            c.Input.Lines().Select(line => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($"{host} says {line}\n")).Subscribe(c.Output);
        });

    /// <summary>A server on silent:8000 that reads and never answers, noting how and when each connection ends.</summary>
    private IClientEndpoint Silent()
    {
        _network.Host("silent").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Input.Subscribe(_ => { }, e => _silentEnds.Add($"{(e is ConnectionResetException ? "Reset" : e.GetType().Name)} at {_scheduler.Clock / Ms} ms")));
        return _client.ClientEndpoint("tcp:silent:8000");
    }

    /// <summary>When a reset from the client reached <paramref name="host"/>, from the network's trace.</summary>
    private List<long> ResetsTo(string host) =>
        [.. _network.Trace.Where(e => e.Kind == NetworkEventKind.Reset && e.To.StartsWith(host + ":", StringComparison.Ordinal)).Select(e => e.Ticks)];
}

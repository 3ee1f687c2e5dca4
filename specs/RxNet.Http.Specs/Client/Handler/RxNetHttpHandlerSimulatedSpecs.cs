using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.Client.Handler;

/// <summary>
/// <see cref="HttpClient"/> through <see cref="RxNetHttpHandler"/>, a real <see cref="HttpAgent"/> and this repo's
/// <see cref="HttpServer"/> on the simulated network: every answer, timeout and failure at an exact virtual tick. The
/// specs are synchronous: they start a call, drive the scheduler, then look at the task (which HttpClient completes
/// inside <c>AdvanceBy</c>, on this thread).
/// </summary>
public sealed class RxNetHttpHandlerSimulatedSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    [Fact]
    public void GetStringAsync_OverASlowLink_CompletesAtTheTickLatencyAndBandwidthGive()
    {
        using var run = new Run(_ => Observable.Return(HttpResponse.Text(new string('x', 1000))));
        run.Network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(50), BytesPerSecond = 10_000 });

        var call = run.Http.GetStringAsync("http://server/", Token);
        run.WhenDone(call);
        run.Scheduler.AdvanceBy(1000 * Ms);

        Assert.Equal(1000, Completed(call).Length);
        // Connected at 50 ms; the 32-byte request takes 3.2 ms on the wire and lands at 103.2 ms; the 1119-byte
        // response (head and body) takes 111.9 ms and lands 50 ms after that: 265.1 ms.
        Assert.Equal(265_100 * TimeSpan.TicksPerMicrosecond, run.DoneAt);
    }

    [Fact]
    public void GetAsync_ServerPartitionedAway_AgentsHeadersTimeoutFiresAtItsTick()
    {
        using var run = new Run(_ => Observable.Return(HttpResponse.Text("never seen")),
            HttpAgentOptions.Default with { ResponseHeadersTimeout = TimeSpan.FromSeconds(5) });

        var call = run.Http.GetAsync("http://server/", Token);
        run.WhenDone(call);
        run.Scheduler.AdvanceTo(1 * Ms);                    // connected; the request waits to leave
        run.Network.Partition("client", "server");
        run.Scheduler.AdvanceBy(4999 * Ms);
        Assert.False(call.IsCompleted);
        run.Scheduler.AdvanceBy(10_000 * Ms);

        var thrown = Assert.ThrowsAny<TaskCanceledException>(() => Completed(call));
        var timeout = Assert.IsType<TimeoutException>(thrown.InnerException);
        Assert.Equal(504, Assert.IsType<HttpProtocolException>(timeout.InnerException).StatusCode);
        Assert.Equal(5001 * Ms, run.DoneAt);                // 5 s after the request was written at 1 ms
    }

    [Fact]
    public void GetAsync_ServerPartitionedAway_SchedulerBackedTokenCancelsAtItsTick()
    {
        using var run = new Run(_ => Observable.Return(HttpResponse.Text("never seen")));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2), run.Scheduler.ToTimeProvider());
        run.Network.Partition("client", "server");

        var call = run.Http.GetAsync("http://server/", deadline.Token);
        run.WhenDone(call);
        run.Scheduler.AdvanceBy(10_000 * Ms);

        var thrown = Assert.ThrowsAny<TaskCanceledException>(() => Completed(call));
        Assert.Equal(deadline.Token, thrown.CancellationToken);
        Assert.Equal(2000 * Ms, run.DoneAt);
    }

    [Fact]
    public void ReadingTheStream_ConnectionResetMidBody_ThrowsHttpIOExceptionWithTheResetInside()
    {
        using var run = new Run(SlowBody);
        var response = run.Http.GetAsync("http://server/slow", HttpCompletionOption.ResponseHeadersRead, Token);
        run.Scheduler.AdvanceBy(500 * Ms);
        var stream = Completed(Completed(response).Content.ReadAsStreamAsync(Token));
        var copy = stream.CopyToAsync(Stream.Null, Token);
        run.WhenDone(copy);

        run.Network.Reset(Assert.Single(run.ServerConnections));
        run.Scheduler.AdvanceBy(1000 * Ms);

        Assert.True(copy.IsCompleted);
        var thrown = Assert.IsType<HttpIOException>(copy.Exception?.InnerException);
        Assert.IsType<ConnectionResetException>(thrown.InnerException);
        Assert.Equal(HttpRequestError.ResponseEnded, thrown.HttpRequestError);
        Assert.Equal(500 * Ms + 1, run.DoneAt);             // the body, first read at 500 ms, is pumped one tick later
    }

    [Fact]
    public void GetAsync_ConnectionResetMidBody_ThrowsHttpRequestExceptionWithTheResetInside()
    {
        using var run = new Run(SlowBody);
        var call = run.Http.GetAsync("http://server/slow", Token);
        run.WhenDone(call);
        run.Scheduler.AdvanceBy(500 * Ms);
        Assert.False(call.IsCompleted);                     // buffering the body

        run.Network.Reset(Assert.Single(run.ServerConnections));
        run.Scheduler.AdvanceBy(1000 * Ms);

        var thrown = Assert.Throws<HttpRequestException>(() => Completed(call));
        Assert.IsType<ConnectionResetException>(thrown.InnerException);
        Assert.Equal(HttpRequestError.ResponseEnded, thrown.HttpRequestError);
        Assert.Equal(500 * Ms, run.DoneAt);
    }

    [Fact]
    public void PostAsync_UploadOfUnknownLength_StreamsThroughAndTheServerCountsEveryByte()
    {
        using var run = new Run(request => request.Body.ReadAllBytes(int.MaxValue).Select(bytes => HttpResponse.Text(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        using var content = new StreamContent(new ForwardOnly(new byte[300_000]), 16 * 1024);

        var call = run.Http.PostAsync("http://server/upload", content, Token);
        run.Scheduler.AdvanceBy(10_000 * Ms);

        using var response = Completed(call);
        Assert.Equal("300000", Completed(response.Content.ReadAsStringAsync(Token)));
    }

    [Fact]
    public void GetStringAsync_TwoInARow_ReuseOnePooledConnection()
    {
        using var run = new Run(request => Observable.Return(HttpResponse.Text(request.Path)));

        var first = run.Http.GetStringAsync("http://server/one", Token);
        run.Scheduler.AdvanceBy(100 * Ms);
        var second = run.Http.GetStringAsync("http://server/two", Token);
        run.Scheduler.AdvanceBy(100 * Ms);

        Assert.Equal("/one", Completed(first));
        Assert.Equal("/two", Completed(second));
        Assert.Single(run.ServerConnections);
    }

    [Fact]
    public void SameSeed_ReplaysTheSameTraceAndTicks()
    {
        static (string Trace, long? DoneAt) Once(int seed)
        {
            using var run = new Run(request => request.Body.ReadAllBytes(int.MaxValue).Select(bytes => HttpResponse.Bytes(bytes)), seed: seed);
            run.Network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(20), BytesPerSecond = 100_000, MaxSegmentSize = 700 });
            using var content = new ByteArrayContent(Encoding.ASCII.GetBytes(new string('r', 20_000)));
            var call = run.Http.PostAsync("http://server/echo", content, Token);
            run.WhenDone(call);
            run.Scheduler.AdvanceBy(10_000 * Ms);
            Assert.Equal(20_000, Completed(Completed(call).Content.ReadAsByteArrayAsync(Token)).Length);
            return (run.Network.TraceText(), run.DoneAt);
        }

        var first = Once(seed: 7);
        var again = Once(seed: 7);
        var other = Once(seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first.Trace, other.Trace);          // the seed decides how segments are cut
    }

    // 50 chunks of 1000 bytes, one every 100 ms, with their length declared: a download the spec can cut midway.
    private static IObservable<HttpResponse> SlowBody(HttpRequest request) => Observable.Return(new HttpResponse(200)
    {
        ContentLength = 50_000,
        Body = Observable.Interval(TimeSpan.FromMilliseconds(100), CurrentScheduler!).Take(50).Select(_ => (ReadOnlyMemory<byte>)new byte[1000]),
    });

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [ThreadStatic]
    private static TestScheduler? CurrentScheduler;

    private static T Completed<T>(Task<T> task)
    {
        Assert.True(task.IsCompleted, "The call did not complete in virtual time.");
        return task.GetAwaiter().GetResult();
    }

    private sealed class ForwardOnly(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }

    /// <summary>An HttpServer on the host <c>server</c> (port 80), an HttpAgent on <c>client</c> and an HttpClient over
    /// it, on one simulated network.</summary>
    private sealed class Run : IDisposable
    {
        private readonly IDisposable _listening;

        public Run(Func<HttpRequest, IObservable<HttpResponse>> handler, HttpAgentOptions? options = null, int seed = 0)
        {
            Scheduler = new TestScheduler();
            CurrentScheduler = Scheduler;
            Network = new SimulatedNetwork(Scheduler, seed);
            var server = new HttpServer(handler, Scheduler);
            _listening = server.Listen(Network.Host("server").Reactor.ServerEndpoint("tcp:80").Listen()
                .Do(connection => ServerConnections.Add(connection)));
            Agent = new HttpAgent(Network.Host("client").Reactor, options);
            Http = new HttpClient(new RxNetHttpHandler(Agent)) { Timeout = Timeout.InfiniteTimeSpan };
        }

        public TestScheduler Scheduler { get; }

        public SimulatedNetwork Network { get; }

        public HttpAgent Agent { get; }

        public HttpClient Http { get; }

        public List<IConnection> ServerConnections { get; } = [];

        public long? DoneAt { get; private set; }

        /// <summary>Records in <see cref="DoneAt"/> the virtual tick at which <paramref name="task"/> completes.</summary>
        public void WhenDone(Task task) =>
            task.ContinueWith(_ => DoneAt = Scheduler.Clock, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        public void Dispose()
        {
            Http.Dispose();
            Agent.Dispose();
            _listening.Dispose();
        }
    }
}

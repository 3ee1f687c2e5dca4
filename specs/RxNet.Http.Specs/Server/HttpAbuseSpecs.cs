using System.Globalization;
using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text;
using Microsoft.Reactive.Testing;

namespace RxNet.Http.Specs.Server;

/// <summary>The server against abusive clients on the simulated network, in virtual time: slow heads, a gibibyte
/// upload with the body limit lifted and with it kept, slow readers, a thousand half-sent requests, and a client that
/// leaves in the middle of a response. The link's latency is 1 ms each way.</summary>
public sealed class HttpAbuseSpecs
{
    private const long Ms = SimulatedHttp.Ms;
    private const long Second = TimeSpan.TicksPerSecond;
    private const long GiB = 1L << 30;
    private const int Chunk = PatternedBody.MaxSlice;

    [Fact]
    public void HeadersTimeout_SecondRequestSentOneBytePerSecond_Gets408ThirtySecondsAfterItsFirstByteAndIsClosedThen()
    {
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.Text("ok")));
        http.Send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");          // answered at +2 ms; the keep-alive wait starts
        http.Run(10 * Second);
        long firstByteSentAt = http.Scheduler.Clock + Second;            // a time to come, so it runs at its exact tick
        const string Head = "GET /second HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        for (int i = 0; i < Head.Length; i++)
            http.Scheduler.ScheduleAbsolute(Head[i], firstByteSentAt + (i * Second), (_, c) =>
            {
                http.Send(c.ToString());
                return Disposable.Empty;
            });

        http.Run(100 * Second);

        Assert.Equal(["HTTP/1.1 200 OK", "HTTP/1.1 408 Request Timeout"], http.StatusLines());
        long timeoutAt = firstByteSentAt + Ms + (30 * Second);           // the first byte arrives 1 ms after it is sent
        Assert.Equal(timeoutAt + Ms, http.LastReceivedAt);
        Assert.Equal(timeoutAt + Ms, http.InputEndedAt);
    }

    [Fact]
    public void Upload_OneGibibyteEchoedToAClientThatReadsOneMillisecondInFour_KeepsTheServerUnderTheHighWaterMarkPlusOneChunkAndEchoesEveryByteInOrder()
    {
        using var run = new Upload(r =>
        {
            r.MaxBodySize = null; // the route holds nothing, so it lifts the limit (the demo's POST /echo)
            return Observable.Return(new HttpResponse { Body = r.Body, ContentLength = r.ContentLength });
        });
        long bound = ConnectionOptions.Default.HighWaterMark + Chunk;
        long worst = 0;
        string? firstBreach = null;
        run.Moved = () =>
        {
            // the input the server took and has not given back yet, and what waits in its output (recorded, not
            // asserted here: an exception thrown into the server's callbacks would be the server's to handle)
            long held = run.Server.BytesTaken - run.RequestHead - (run.Server.BytesGiven - ResponseHeadAtMost) + run.Server.Output.PendingBytes;
            worst = Math.Max(worst, held);
            if (held > bound)
                firstBreach ??= $"the server held {held} bytes at tick {run.Scheduler.Clock} (bound {bound})";
        };

        run.Send(GiB, $"Content-Length: {GiB}", readEvery: 4, until: 3600 * Second);

        Assert.StartsWith("HTTP/1.1 200", run.Response.Head, StringComparison.Ordinal);
        Assert.Contains($"Content-Length: {GiB}\r\n", run.Response.Head, StringComparison.Ordinal);
        Assert.Null(firstBreach);
        Assert.Null(run.Response.MismatchAt);
        Assert.Equal(GiB, run.Response.BodyBytes);
        Assert.True(worst > ConnectionOptions.Default.HighWaterMark / 2, $"the slow client never held the server back (worst {worst})");
    }

    [Fact]
    public void Upload_OneGibibyteWithItsLengthToARouteWithTheDefaultLimit_Gets413BeforeTheBodyIsReadAndTheServerServesOthers()
    {
        using var run = new Upload(ReadWholeBody);

        run.Send(GiB, $"Content-Length: {GiB}", readEvery: 1, until: 60 * Second);

        Assert.StartsWith("HTTP/1.1 413", run.Response.Head, StringComparison.Ordinal);
        Assert.True(run.Response.Ended);
        Assert.True(run.Server.BytesTaken < HttpServerOptions.Default.MaxRequestBufferSize + Chunk, $"the server read {run.Server.BytesTaken} bytes of a body it refused");
        Assert.StartsWith("HTTP/1.1 200", run.AnotherClient("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Upload_OneGibibyteChunkedToARouteWithTheDefaultLimit_Gets413AtTheLimitAndTheServerServesOthers()
    {
        using var run = new Upload(ReadWholeBody);

        run.Send(GiB, "Transfer-Encoding: chunked", readEvery: 1, until: 600 * Second);

        Assert.StartsWith("HTTP/1.1 413", run.Response.Head, StringComparison.Ordinal);
        Assert.True(run.Response.Ended);
        long limit = HttpServerOptions.Default.MaxRequestBodySize!.Value;
        Assert.InRange(run.Server.BytesTaken, limit, limit + HttpServerOptions.Default.MaxRequestBufferSize + Chunk);
        Assert.True(run.BodySent < limit + (8L * 1024 * 1024), $"the client could send {run.BodySent} bytes");
        Assert.StartsWith("HTTP/1.1 200", run.AnotherClient("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void ResponseBody_ClientStopsReading_PausesThePausableProducerUntilItReadsAgain()
    {
        const long Size = 8L * 1024 * 1024;
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler) { RecordsTrace = false };
        var producer = new PatternedProducer(scheduler, Size, 16 * 1024);
        var server = new HttpServer(_ => Observable.Return(new HttpResponse { Body = producer, ContentLength = Size }), scheduler);
        var client = network.ConnectTo(server.Serve);
        var response = new StreamedResponse();
        var reading = new BehaviorSubject<bool>(false);
        client.Input.Subscribe(Observer.Create<ReadOnlyMemory<byte>>(response.Receive, _ => response.End(), response.End), reading);

        client.Output.OnNext(Encoding.ASCII.GetBytes("GET /big HTTP/1.1\r\nHost: x\r\n\r\n"));
        scheduler.AdvanceBy(3 * Second);                                // under the response rate's 5 s grace
        long producedWhileNotRead = producer.Produced;

        Assert.Equal([true, false], producer.Demand);
        Assert.True(producedWhileNotRead < 1024 * 1024, $"{producedWhileNotRead} bytes produced for a client that reads nothing");
        scheduler.AdvanceBy(Second);
        Assert.Equal(producedWhileNotRead, producer.Produced);

        reading.OnNext(true);
        scheduler.AdvanceBy(10 * Second);

        Assert.True(producer.Demand.Count > 2 && producer.Demand[^1], "the producer was never resumed");
        Assert.Equal(Size, producer.Produced);
        Assert.Null(response.MismatchAt);
        Assert.Equal(Size, response.BodyBytes);
    }

    [Fact]
    public void HalfSentRequests_AThousandHeldOpen_AFreshClientIsAnsweredAtOnceAndEachHalfOneGets408AtItsOwnTimeout()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler) { RecordsTrace = false };
        var server = new HttpServer(r => Observable.Return(HttpResponse.Text("fresh " + r.Path)), scheduler);
        var half = new List<RawClient>();
        for (int i = 0; i < 1000; i++)
        {
            var client = new RawClient(network, server);
            client.Send($"GET /half/{i} HTTP/1.1\r\nHost: x\r\nX-Par");
            half.Add(client);
        }
        Assert.True(scheduler.Clock < half[0].AcceptedAt + (30 * Second), "the thousand connections took too long to open");

        var fresh = new RawClient(network, server);
        string answer = fresh.Ask(scheduler, "GET /fresh HTTP/1.1\r\nHost: x\r\n\r\n", 2 * Ms);

        Assert.EndsWith("\r\n\r\nfresh /fresh", answer, StringComparison.Ordinal);
        Assert.Equal(fresh.AcceptedAt + (2 * Ms), fresh.LastReceivedAt);
        Assert.All(half, h => Assert.Equal("", h.Received));

        scheduler.AdvanceBy(60 * Second);

        Assert.All(half, h =>
        {
            Assert.StartsWith("HTTP/1.1 408", h.Received, StringComparison.Ordinal);
            Assert.Equal(h.AcceptedAt + (30 * Second) + Ms, h.EndedAt);
        });
    }

    [Fact]
    public void Serve_ClientDisconnectsMidResponse_DisposesTheResponseBodysSubscription()
    {
        bool disposed = false;
        var body = Observable.Create<ReadOnlyMemory<byte>>(o =>
        {
            o.OnNext(Encoding.ASCII.GetBytes("the first part, and the rest never comes"));
            return () => disposed = true;
        });
        var http = new SimulatedHttp(_ => Observable.Return(new HttpResponse { Body = body }));

        http.Send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Run();
        Assert.Contains("the first part", http.Received, StringComparison.Ordinal);
        Assert.False(disposed);
        http.Client.Dispose();
        http.Run();

        Assert.True(disposed);
    }

    /// <summary>More than any response head here: counting the head as echoed body can only overstate what the server holds.</summary>
    private const int ResponseHeadAtMost = 256;

    private static IObservable<HttpResponse> ReadWholeBody(HttpRequest request) =>
        request.Body.Aggregate(0L, (n, c) => n + c.Length).Select(n => HttpResponse.Text(n.ToString(CultureInfo.InvariantCulture)));

    /// <summary>One client uploading a <see cref="PatternedBody"/> as fast as its output takes it (never more than the
    /// high-water mark queued, so nothing big is ever held), reading the response one millisecond in
    /// <c>readEvery</c>, with the server's side counted.</summary>
    private sealed class Upload : IDisposable
    {
        private readonly SimulatedNetwork _network;
        private readonly HttpServer _http;
        private readonly IConnection _client;
        private readonly BehaviorSubject<bool> _reading = new(false);

        public Upload(Func<HttpRequest, IObservable<HttpResponse>> handler)
        {
            Scheduler = new TestScheduler();
            _network = new SimulatedNetwork(Scheduler) { RecordsTrace = false };
            _http = new HttpServer(handler, Scheduler);
            _client = _network.ConnectTo(c => _http.Serve(Server = new CountingConnection(c, () => Moved?.Invoke())));
            _client.Input.Subscribe(Observer.Create<ReadOnlyMemory<byte>>(Response.Receive, _ => Response.End(), Response.End), _reading);
        }

        public TestScheduler Scheduler { get; }

        public void Dispose()
        {
            _client.Dispose();
            _reading.Dispose();
        }

        public CountingConnection Server { get; private set; } = null!;

        public StreamedResponse Response { get; } = new();

        public Action? Moved { get; set; }

        public int RequestHead { get; private set; }

        public long BodySent { get; private set; }

        public void Send(long size, string framing, int readEvery, long until)
        {
            bool chunked = framing.StartsWith("Transfer-Encoding", StringComparison.Ordinal);
            byte[] head = Encoding.ASCII.GetBytes($"POST /echo HTTP/1.1\r\nHost: x\r\n{framing}\r\n\r\n");
            RequestHead = head.Length;
            _client.Output.OnNext(head);
            var output = _client.Output;
            long limit = ConnectionOptions.Default.HighWaterMark;
            for (long step = 0; Scheduler.Clock < until && !Response.Ended && (Response.Head is null || Response.BodyBytes < size || BodySent < size); step++)
            {
                while (BodySent < size && output.PendingBytes < limit)
                {
                    int length = (int)Math.Min(Chunk, size - BodySent);
                    if (chunked)
                        output.OnNext(Encoding.ASCII.GetBytes(length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
                    output.OnNext(PatternedBody.Slice(BodySent, length));
                    if (chunked)
                        output.OnNext("\r\n"u8.ToArray());
                    BodySent += length;
                    if (chunked && BodySent == size)
                        output.OnNext("0\r\n\r\n"u8.ToArray());
                }
                _reading.OnNext(step % readEvery == 0);
                Scheduler.AdvanceBy(Ms);
            }
            _reading.OnNext(true);
            Scheduler.AdvanceBy(Second);
        }

        /// <summary>A second client of the same server sends <paramref name="request"/>; what it got within a second.</summary>
        public string AnotherClient(string request) => new RawClient(_network, _http).Ask(Scheduler, request, Second);
    }

    /// <summary>A response body that produces its <see cref="PatternedBody"/> one slice per scheduler step, only while
    /// the server lets it, and records every change of that demand.</summary>
    private sealed class PatternedProducer(TestScheduler scheduler, long size, int slice) : IPausableObservable<ReadOnlyMemory<byte>>
    {
        public List<bool> Demand { get; } = [];

        public long Produced { get; private set; }

        public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer) => Subscribe(observer, Observable.Return(true));

        public IDisposable Subscribe(IObserver<ReadOnlyMemory<byte>> observer, IObservable<bool> canProduce)
        {
            bool demand = false;
            var step = new SerialDisposable();
            void Produce()
            {
                if (!demand || Produced == size)
                    return;
                int length = (int)Math.Min(slice, size - Produced);
                var bytes = PatternedBody.Slice(Produced, length);
                Produced += length;
                observer.OnNext(bytes);
                if (Produced == size)
                    observer.OnCompleted();
                else
                    step.Disposable = scheduler.Schedule(Produce);
            }
            var watch = canProduce.DistinctUntilChanged().Subscribe(can =>
            {
                Demand.Add(can);
                demand = can;
                if (can)
                    step.Disposable = scheduler.Schedule(Produce);
            });
            return new CompositeDisposable(watch, step);
        }
    }
}

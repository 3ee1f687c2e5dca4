using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text;
using Microsoft.Reactive.Testing;
using RxNet;
using RxNet.Http;
using RxNet.Http.Web;
using RxNet.Twisted;
using Xunit;
using File = RxNet.Http.Web.File;

namespace RxNet.Testing.Specs;

/// <summary>
/// The porting guide's twisted.web section, run: its blocks appear here verbatim, and each is exercised through the
/// site's handler in virtual time, as a spec of a resource tree would be; the worked example serves a directory and a
/// delayed page and checks the access log.
/// </summary>
public sealed class PortingGuideWebSpecs : IDisposable
{
    private const long Second = TimeSpan.TicksPerSecond;

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;
    private readonly DirectoryInfo _www = Directory.CreateTempSubdirectory("rxnet-guide-www-");

    public PortingGuideWebSpecs() => _network = new SimulatedNetwork(_scheduler);

    public void Dispose() => _www.Delete(recursive: true);

    // ---- The guide's resources -----------------------------------------------------------------------------------

    sealed class Hello : Resource
    {
        public override bool IsLeaf => true;

        protected override byte[]? RenderGet(Request request)
        {
            request.SetHeader("Content-Type", "text/plain");
            return "Hello, world!"u8.ToArray();
        }
    }

    sealed class Delayed(IReactor reactor) : Resource
    {
        public override bool IsLeaf => true;

        protected override byte[]? RenderGet(Request request)
        {
            var call = reactor.Scheduler.Schedule(TimeSpan.FromSeconds(5), () =>
            {
                request.Write("Sorry to keep you waiting."u8.ToArray());
                request.Finish();
            });
            request.NotifyFinish().Subscribe(_ => { }, _ => call.Dispose());   // the client left: cancel
            return NotDoneYet;
        }
    }

    sealed class Count(Request request, int upTo) : IPullProducer
    {
        int _next;

        public void ResumeProducing()
        {
            if (_next == upTo)
            {
                request.UnregisterProducer();
                request.Finish();
                return;
            }
            request.Write(Encoding.UTF8.GetBytes($"{_next++}\n"));
        }

        public void StopProducing() { }
    }

    sealed class Numbers : Resource
    {
        public override bool IsLeaf => true;

        protected override byte[]? RenderGet(Request request)
        {
            request.RegisterProducer(new Count(request, 1_000_000), streaming: false);
            return NotDoneYet;
        }
    }

    // ---- The blocks, run -----------------------------------------------------------------------------------------

    [Fact]
    public async Task Web_ResourceTree_AnswersHelloAndA404UnderAMissingDirectory()
    {
        var reactor = _network.Host("server").Reactor;

        var root = new Resource();
        root.PutChild("hello", new Hello());
        root.PutChild("files", new File("/srv/www"));
        var site = new Site(root, reactor.Scheduler) { AccessLog = Console.Out };

        var response = await site.Handle(new HttpRequest("GET", "/hello"));
        Console.WriteLine(response.StatusCode);   // 200

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("text/plain", response.Headers["Content-Type"]);
        Assert.Equal("Hello, world!", Encoding.UTF8.GetString((await response.Body!.ToList()).SelectMany(c => c.ToArray()).ToArray()));
        Assert.Equal(404, (await site.Handle(new HttpRequest("GET", "/files/nothing-here"))).StatusCode);
    }

    [Fact]
    public void Web_Delayed_AnswersFiveSecondsLater()
    {
        var site = new Site(new Delayed(_network.Host("server").Reactor), _scheduler);

        var head = site.Handle(new HttpRequest("GET", "/")).Select(r => r.StatusCode).Record(_scheduler);
        _scheduler.Start();

        Assert.Equal([ReactiveTest.OnNext(5 * Second, 200), ReactiveTest.OnCompleted<int>(5 * Second)], head.Messages);
    }

    [Fact]
    public void Web_Delayed_ClientLeavesFirst_TheCallIsCancelled()
    {
        var site = new Site(new Delayed(_network.Host("server").Reactor), _scheduler);

        var exchange = site.Handle(new HttpRequest("GET", "/")).Subscribe(_ => Assert.Fail("answered after the client left"));
        _scheduler.AdvanceTo(2 * Second);
        exchange.Dispose();

        _scheduler.Start();

        Assert.Equal(2 * Second, _scheduler.Clock);                           // the 5 s call was cancelled: nothing ran after 2 s
    }

    [Fact]
    public async Task Web_Numbers_TheProducerIsAskedOnlyWhileTheClientReads()
    {
        var site = new Site(new Numbers(), _scheduler);
        var response = await site.Handle(new HttpRequest("GET", "/"));
        var demand = new BehaviorSubject<bool>(true);
        var lines = new List<string>();

        using var reading = ((IPausableObservable<ReadOnlyMemory<byte>>)response.Body!).Subscribe(
            System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(chunk =>
            {
                lines.Add(Encoding.UTF8.GetString(chunk.Span));
                if (lines.Count == 3)
                    demand.OnNext(false);                                     // the client's window is full
            }),
            demand);

        Assert.Equal(["0\n", "1\n", "2\n"], lines);
        Assert.Null(response.ContentLength);                                  // unknown: sent chunked
    }

    // ---- Worked example: a static site with a delayed page -------------------------------------------------------

    [Fact]
    public async Task Web_WorkedExample_StaticFilesRangesAndADelayedPageWithTheAccessLog()
    {
        var reactor = _network.Host("server").Reactor;
        System.IO.File.WriteAllText(Path.Combine(_www.FullName, "index.html"), "<h1>home</h1>");
        System.IO.File.WriteAllText(Path.Combine(_www.FullName, "notes.txt"), "0123456789");
        var log = new StringWriter { NewLine = "\n" };
        var root = new File(_www.FullName);
        root.PutChild("later", new Delayed(reactor));
        var site = new Site(root, reactor.Scheduler) { AccessLog = log };

        async Task<(int Status, string Body)> GetAsync(string target, string? range = null)
        {
            var headers = new HttpHeaders();
            if (range is not null)
                headers.Add("Range", range);
            var response = await site.Handle(new HttpRequest("GET", target, headers));
            var chunks = response.Body is null ? [] : await response.Body.ToList();
            return (response.StatusCode, Encoding.UTF8.GetString(chunks.SelectMany(c => c.ToArray()).ToArray()));
        }

        Assert.Equal((200, "<h1>home</h1>"), await GetAsync("/"));
        Assert.Equal((206, "234"), await GetAsync("/notes.txt", "bytes=2-4"));
        Assert.Equal((416, ""), await GetAsync("/notes.txt", "bytes=10-"));
        var (refused, page) = await GetAsync("/../etc/passwd");
        Assert.Equal(404, refused);
        var later = GetAsync("/later");
        _scheduler.AdvanceTo(5 * Second);
        Assert.Equal((200, "Sorry to keep you waiting."), await later);

        Assert.Equal(
            [
                "- - - [01/Jan/0001:00:00:00 +0000] \"GET / HTTP/1.1\" 200 13 \"-\" \"-\"",
                "- - - [01/Jan/0001:00:00:00 +0000] \"GET /notes.txt HTTP/1.1\" 206 3 \"-\" \"-\"",
                "- - - [01/Jan/0001:00:00:00 +0000] \"GET /notes.txt HTTP/1.1\" 416 - \"-\" \"-\"",
                $"- - - [01/Jan/0001:00:00:00 +0000] \"GET /../etc/passwd HTTP/1.1\" 404 {page.Length} \"-\" \"-\"",
                "- - - [01/Jan/0001:00:00:05 +0000] \"GET /later HTTP/1.1\" 200 26 \"-\" \"-\"",
            ],
            log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}

using System.Net;
using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Reactive.Testing;
using RxNet.Http.Web;
using RxNet.Twisted;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Http.Specs.Web;

public sealed class RequestSpecs
{
    private const long Second = TimeSpan.TicksPerSecond;

    private readonly TestScheduler _scheduler = new();

    /// <summary>Twisted's delayed-rendering tutorial: NOT_DONE_YET, then a write and finish a second later.</summary>
    private sealed class Delayed(TestScheduler scheduler) : Resource
    {
        public List<Notification<Unit>> Finish { get; } = [];

        public override bool IsLeaf => true;

        protected override byte[]? RenderGet(Request request)
        {
            request.NotifyFinish().Materialize().Subscribe(Finish.Add);
            request.SetHeader("Content-Type", "text/plain");
            scheduler.Schedule(TimeSpan.FromSeconds(1), () => request.Write("Sorry to keep you waiting."u8.ToArray()));
            scheduler.Schedule(TimeSpan.FromSeconds(2), () => request.Finish());
            return NotDoneYet;
        }
    }

    /// <summary>A pull producer of <c>count</c> chunks of 1 KiB, which finishes the request after the last.</summary>
    private sealed class Chunks(Request request, int count) : IPullProducer
    {
        public int Asked { get; private set; }

        public bool Stopped { get; private set; }

        public void ResumeProducing()
        {
            if (++Asked > count)
            {
                request.UnregisterProducer();
                request.Finish();
                return;
            }
            request.Write(new byte[1024]);
        }

        public void StopProducing() => Stopped = true;
    }

    private sealed class Push : IPushProducer
    {
        public List<string> Calls { get; } = [];

        public void PauseProducing() => Calls.Add("pause");

        public void ResumeProducing() => Calls.Add("resume");

        public void StopProducing() => Calls.Add("stop");
    }

    private sealed class Producing(Func<Request, IProducer> make, bool streaming) : Resource
    {
        public IProducer? Producer { get; private set; }

        public override bool IsLeaf => true;

        public Request? Request { get; private set; }

        protected override byte[]? RenderGet(Request request)
        {
            Request = request;
            Producer = make(request);
            request.RegisterProducer(Producer, streaming);
            return NotDoneYet;
        }
    }

    /// <summary>Keeps the request and answers later (or never).</summary>
    private sealed class Holding : Resource
    {
        public Request? Request { get; private set; }

        public override bool IsLeaf => true;

        protected override byte[]? RenderGet(Request request)
        {
            Request = request;
            return NotDoneYet;
        }
    }

    private Site SiteOf(Resource root, TextWriter? log = null) => new(root, _scheduler) { AccessLog = log };

    [Fact]
    public void NotDoneYet_WriteLater_SendsTheHeadAtTheFirstWriteAndCompletesAtFinish()
    {
        var resource = new Delayed(_scheduler);
        var exchange = WebExchange.Send(SiteOf(resource), "GET", "/");

        Assert.Null(exchange.Response);
        _scheduler.AdvanceTo(1 * Second);
        Assert.Equal(200, exchange.Status);
        Assert.Null(exchange.Response!.ContentLength);                         // unknown: the server sends it chunked
        Assert.Equal("Sorry to keep you waiting.", exchange.Text);
        Assert.False(exchange.Completed);
        Assert.Empty(resource.Finish);

        _scheduler.AdvanceTo(2 * Second);
        Assert.True(exchange.Completed);
        Assert.Equal([Notification.CreateOnNext(Unit.Default), Notification.CreateOnCompleted<Unit>()], resource.Finish);
    }

    [Fact]
    public void NotifyFinish_ClientGoesAwayFirst_FailsWithConnectionAbortedAndLaterWritesAreDropped()
    {
        var resource = new Delayed(_scheduler);
        var exchange = WebExchange.Send(SiteOf(resource), "GET", "/");
        _scheduler.AdvanceTo(1 * Second);

        exchange.Disconnect();
        _scheduler.AdvanceTo(3 * Second);

        var failure = Assert.Single(resource.Finish);
        Assert.IsType<ConnectionAbortedException>(failure.Exception);
        Assert.False(exchange.Completed);
    }

    [Fact]
    public void NotifyFinish_ClientGoesAwayBeforeTheHead_FailsToo()
    {
        var resource = new Delayed(_scheduler);
        var exchange = WebExchange.Send(SiteOf(resource), "GET", "/");

        exchange.Disconnect();
        _scheduler.AdvanceTo(3 * Second);

        Assert.IsType<ConnectionAbortedException>(Assert.Single(resource.Finish).Exception);
        Assert.Null(exchange.Response);
    }

    [Fact]
    public void RegisterProducer_Pull_IsAskedOnlyWhileTheClientReads()
    {
        var demand = new BehaviorSubject<bool>(false);
        var resource = new Producing(r => new Chunks(r, 10), streaming: false);
        var exchange = WebExchange.Send(SiteOf(resource), "GET", "/", demand: demand);
        var producer = (Chunks)resource.Producer!;

        // Registering sent the head; the server subscribed with its output full: nothing asked yet.
        Assert.Equal(200, exchange.Status);
        Assert.Equal(0, producer.Asked);

        demand.OnNext(true);
        Assert.Equal(11, producer.Asked);                                      // ten chunks, then the end
        Assert.Equal(10 * 1024, exchange.Body.Length);
        Assert.True(exchange.Completed);
    }

    [Fact]
    public void RegisterProducer_Pull_StopsBeingAskedWhenDemandTurnsFalseAndGoesOnWhenTrue()
    {
        var demand = new BehaviorSubject<bool>(true);
        var resource = new Producing(r => new Chunks(r, 10), streaming: false);
        var exchange = WebExchange.Send(SiteOf(resource), "GET", "/", demand: demand, onChunk: e =>
        {
            if (e.Chunks == 3)
                demand.OnNext(false);                                           // the output passed its high-water mark
        });
        var producer = (Chunks)resource.Producer!;

        Assert.Equal((3, 3), (producer.Asked, exchange.Chunks));
        Assert.False(exchange.Completed);

        demand.OnNext(true);
        Assert.Equal((11, 10), (producer.Asked, exchange.Chunks));
        Assert.True(exchange.Completed);
    }

    [Fact]
    public void RegisterProducer_Push_IsPausedAndResumedWithTheDemand()
    {
        var demand = new BehaviorSubject<bool>(true);
        var resource = new Producing(_ => new Push(), streaming: true);
        var exchange = WebExchange.Send(SiteOf(resource), "GET", "/", demand: demand);
        var producer = (Push)resource.Producer!;
        resource.Request!.Write("head"u8.ToArray());                            // sends the head: the server subscribes

        demand.OnNext(false);
        demand.OnNext(false);
        demand.OnNext(true);

        Assert.Equal(["pause", "resume"], producer.Calls);                     // once per change of the demand
        Assert.Equal("head", exchange.Text);
    }

    [Fact]
    public void RegisterProducer_ClientGoesAway_StopsTheProducer()
    {
        var demand = new BehaviorSubject<bool>(false);
        var resource = new Producing(r => new Chunks(r, 10), streaming: false);
        var exchange = WebExchange.Send(SiteOf(resource), "GET", "/", demand: demand);

        exchange.Disconnect();

        Assert.True(((Chunks)resource.Producer!).Stopped);
    }

    [Fact]
    public void RegisterProducer_Second_Throws()
    {
        var resource = new Producing(r => new Chunks(r, 1), streaming: false);
        _ = WebExchange.Send(SiteOf(resource), "GET", "/", demand: new BehaviorSubject<bool>(false));

        Assert.Throws<InvalidOperationException>(() => resource.Request!.RegisterProducer(new Push(), streaming: true));
    }

    [Fact]
    public void RegisterProducer_PullProducerAsStreaming_Throws()
    {
        var resource = new Holding();
        _ = WebExchange.Send(SiteOf(resource), "GET", "/");

        Assert.Throws<ArgumentException>(() => resource.Request!.RegisterProducer(new Chunks(resource.Request, 1), streaming: true));
    }

    [Fact]
    public void SetHeader_AfterTheHeadWentOut_Throws()
    {
        var resource = new Producing(_ => new Push(), streaming: true);
        _ = WebExchange.Send(SiteOf(resource), "GET", "/");
        resource.Request!.Write("x"u8.ToArray());

        Assert.Throws<InvalidOperationException>(() => resource.Request.SetHeader("X-Late", "1"));
        Assert.Throws<InvalidOperationException>(() => resource.Request.SetResponseCode(404));
    }

    [Fact]
    public void SetHeader_ValueWithCrLf_IsRefusedNeverSplitsTheResponse()
    {
        var resource = new Holding();
        _ = WebExchange.Send(SiteOf(resource), "GET", "/");

        Assert.Throws<ArgumentException>(() => resource.Request!.SetHeader("Location", "/a\r\nSet-Cookie: x=1"));
    }

    [Fact]
    public void Args_Query_DecodedWithBlankValuesKept()
    {
        var resource = new Holding();
        _ = WebExchange.Send(SiteOf(resource), "GET", "/p?a=1&b=x+y%21&a=2&flag");

        var args = resource.Request!.Args;
        Assert.Equal(["1", "2"], args["a"]);
        Assert.Equal(["x y!"], args["b"]);
        Assert.Equal([""], args["flag"]);
    }

    [Fact]
    public void AccessLog_OneCombinedLineAtTheFinishWithTheSchedulersTimeStatusAndBytes()
    {
        var log = new StringWriter { NewLine = "\n" };
        _scheduler.AdvanceTo(new DateTimeOffset(2026, 12, 7, 20, 15, 30, TimeSpan.Zero).UtcTicks);
        var headers = new HttpHeaders().Add("Host", "example").Add("User-Agent", "curl/8 \"quoted\"").Add("Referer", "http://r/");
        var request = new HttpRequest("GET", "/?q=1", headers) { RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 5555) };

        _ = WebExchange.Send(SiteOf(new Delayed(_scheduler), log), request);
        _scheduler.AdvanceBy(1 * Second);
        Assert.Equal("", log.ToString());                                       // not finished yet
        _scheduler.AdvanceBy(1 * Second);

        Assert.Equal("127.0.0.1 - - [07/Dec/2026:20:15:32 +0000] \"GET /?q=1 HTTP/1.1\" 200 26 \"http://r/\" \"curl/8 \\\"quoted\\\"\"\n", log.ToString());
    }

    [Fact]
    public void AccessLog_NoBodyAndNoClientAddress_UsesDashes()
    {
        var log = new StringWriter { NewLine = "\n" };

        _ = WebExchange.Send(SiteOf(new Resource(), log), "HEAD", "/missing");

        Assert.Equal("- - - [01/Jan/0001:00:00:00 +0000] \"HEAD /missing HTTP/1.1\" 404 - \"-\" \"-\"\n", log.ToString());
    }
}

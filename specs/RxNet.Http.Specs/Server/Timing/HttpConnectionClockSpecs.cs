using Microsoft.Reactive.Testing;
using RxNet.Http.Server.Timing;

namespace RxNet.Http.Specs.Server.Timing;

/// <summary>
/// The connection clock at exact virtual ticks, with Kestrel's defaults: headers 30 s, keep-alive 130 s, both rates
/// 240 B/s after a 5 s grace. The expected ticks come from the rule: a rate expires, while waiting, when the waiting
/// time W reaches max(grace, floor(bytes × 10^7 / rate) + 1) ticks.
/// </summary>
public sealed class HttpConnectionClockSpecs : IDisposable
{
    private const long Second = TimeSpan.TicksPerSecond;

    private readonly TestScheduler _scheduler = new();
    private readonly List<(long Ticks, HttpTimeout Timeout)> _fired = [];
    private readonly HttpConnectionClock _clock;

    public HttpConnectionClockSpecs() : this(HttpServerOptions.Default)
    {
    }

    private HttpConnectionClockSpecs(HttpServerOptions options) =>
        _clock = new HttpConnectionClock(_scheduler, options, timeout => _fired.Add((_scheduler.Clock, timeout)));

    public void Dispose() => _clock.Dispose();

    [Fact]
    public void RequestHeaders_FirstRequestSentOneByteASecond_ExpiresExactlyThirtySecondsAfterTheStart()
    {
        _clock.WaitingForRequest(firstRequest: true);
        for (int s = 1; s <= 60; s++)
            At(s * Second, _clock.RequestBytesArrived);

        _scheduler.AdvanceTo(30 * Second - 1);
        Assert.Empty(_fired);

        _scheduler.Start();
        Assert.Equal([(30 * Second, HttpTimeout.RequestHeaders)], _fired);
    }

    [Fact]
    public void RequestHeaders_FirstRequestNoByteAtAll_ExpiresAtThirtySecondsNotAtTheKeepAliveTimeout()
    {
        At(7 * Second, () => _clock.WaitingForRequest(firstRequest: true));

        _scheduler.Start();

        Assert.Equal([(37 * Second, HttpTimeout.RequestHeaders)], _fired);
    }

    [Fact]
    public void RequestHeaders_HeadCompleteOneTickBeforeTheTimeout_NeverExpires()
    {
        _clock.WaitingForRequest(firstRequest: true);
        At(30 * Second - 1, _clock.HeadComplete);

        _scheduler.Start();

        Assert.Empty(_fired);
    }

    [Fact]
    public void KeepAlive_IdleBetweenRequests_ExpiresAt130SecondsOfIdlenessAndNotBefore()
    {
        At(3 * Second, () => _clock.WaitingForRequest(firstRequest: false));

        _scheduler.AdvanceTo(133 * Second - 1);
        Assert.Empty(_fired);

        _scheduler.Start();
        Assert.Equal([(133 * Second, HttpTimeout.KeepAlive)], _fired);
    }

    [Fact]
    public void KeepAlive_FirstByteOfTheNextHeadArrives_HeadersTimeoutRunsFromThatByte()
    {
        _clock.WaitingForRequest(firstRequest: false);
        At(120 * Second, _clock.RequestBytesArrived);
        for (int s = 121; s <= 200; s++)
            At(s * Second, _clock.RequestBytesArrived); // later bytes of the same head change nothing

        _scheduler.AdvanceTo(150 * Second - 1);
        Assert.Empty(_fired); // the keep-alive timeout (130 s) no longer applies

        _scheduler.Start();
        Assert.Equal([(150 * Second, HttpTimeout.RequestHeaders)], _fired);
    }

    [Fact]
    public void KeepAlive_FirstByteSoonAfter_HeadersTimeoutEndsBeforeTheKeepAliveWouldHave()
    {
        _clock.WaitingForRequest(firstRequest: false);
        At(10 * Second, _clock.RequestBytesArrived);

        _scheduler.Start();

        Assert.Equal([(40 * Second, HttpTimeout.RequestHeaders)], _fired);
    }

    [Fact]
    public void KeepAlive_NextExchange_RestartsFromTheLastWaitingForRequest()
    {
        _clock.WaitingForRequest(firstRequest: true);
        At(1 * Second, _clock.HeadComplete);
        At(50 * Second, () => _clock.WaitingForRequest(firstRequest: false));
        At(60 * Second, _clock.RequestBytesArrived);
        At(61 * Second, _clock.HeadComplete);
        At(90 * Second, () => _clock.WaitingForRequest(firstRequest: false));

        _scheduler.Start();

        Assert.Equal([(220 * Second, HttpTimeout.KeepAlive)], _fired);
    }

    [Fact]
    public void RequestBody_NothingArrivesWhileWaiting_ExpiresExactlyAtTheGracePeriod()
    {
        At(2 * Second, _clock.BodyReadWaiting);

        _scheduler.Start();

        Assert.Equal([(7 * Second, HttpTimeout.RequestBodyTooSlow)], _fired);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rate_OneByteAtATimeAt239BytesPerSecond_ExpiresAtTheGracePeriodWhereTheAverageIsBelow240(bool body)
    {
        var (wait, count, _, timeout) = Track(body);
        wait();
        Trickle(239, 100 * Second, count);

        _scheduler.AdvanceTo(5 * Second - 1);
        Assert.Empty(_fired);

        _scheduler.Start();
        Assert.Equal([(5 * Second, timeout)], _fired); // 1195 bytes < 240 × 5
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rate_OneByteAtATimeAt241BytesPerSecond_NeverExpires(bool body)
    {
        var (wait, count, complete, _) = Track(body);
        wait();
        Trickle(241, 300 * Second, count);
        At(300 * Second, complete);

        _scheduler.Start();

        Assert.Empty(_fired);
    }

    [Fact]
    public void RequestBody_BurstThenSilence_ExpiresOneTickAfterTheBytesBoughtTime()
    {
        _clock.BodyReadWaiting();
        At(1 * Second, () => _clock.BodyBytesRead(2400)); // buys 2400 / 240 = 10 s of waiting

        _scheduler.AdvanceTo(10 * Second);
        Assert.Empty(_fired); // at 10 s the average is exactly 240 B/s: not below

        _scheduler.Start();
        Assert.Equal([(10 * Second + 1, HttpTimeout.RequestBodyTooSlow)], _fired);
    }

    [Fact]
    public void RequestBody_PausedByTheHandler_NeverExpiresHoweverLong()
    {
        _clock.BodyReadWaiting();
        At(1 * Second, _clock.BodyReadPaused);

        _scheduler.AdvanceTo(24 * 3600 * Second);

        Assert.Empty(_fired);
    }

    [Fact]
    public void RequestBody_PausedThenWaitingAgain_CountsOnlyTheTimeSpentWaiting()
    {
        _clock.BodyReadWaiting();
        At(1 * Second, _clock.BodyReadPaused);        // 1 s waited
        At(3600 * Second, _clock.BodyReadWaiting);   // 4 s of grace left

        _scheduler.Start();

        Assert.Equal([(3604 * Second, HttpTimeout.RequestBodyTooSlow)], _fired);
    }

    [Fact]
    public void RequestBody_BytesReadWhilePaused_CountForTheClient()
    {
        _clock.BodyReadPaused();
        At(1 * Second, () => _clock.BodyBytesRead(4800)); // read from what was buffered: 20 s at 240 B/s
        At(2 * Second, _clock.BodyReadWaiting);

        _scheduler.Start();

        Assert.Equal([(22 * Second + 1, HttpTimeout.RequestBodyTooSlow)], _fired);
    }

    [Fact]
    public void RequestBody_Complete_StopsTheRateAndTheNextBodyStartsFromZero()
    {
        _clock.BodyReadWaiting();
        At(4 * Second, _clock.BodyComplete);
        At(10 * Second, _clock.BodyReadWaiting); // a new body: a new grace period, no debt from the last one

        _scheduler.Start();

        Assert.Equal([(15 * Second, HttpTimeout.RequestBodyTooSlow)], _fired);
    }

    [Fact]
    public void Response_WaitingOnAClientThatTakesNothing_ExpiresOneTickAfterWhatWasWrittenBoughtTime()
    {
        _clock.ResponseBytesWritten(64 * 1024);
        _clock.ResponseWaiting(true);

        _scheduler.Start();

        Assert.Equal([(2_730_666_667, HttpTimeout.ResponseTooSlow)], _fired); // floor(65536 × 10^7 / 240) + 1
    }

    [Fact]
    public void Response_NotWaitingOnTheClient_NeverExpiresHoweverSlowTheHandler()
    {
        _clock.ResponseBytesWritten(10);
        At(1 * Second, () => _clock.ResponseWaiting(false));
        At(3600 * Second, () => _clock.ResponseBytesWritten(10)); // a server-sent event an hour later

        _scheduler.AdvanceTo(24 * 3600 * Second);

        Assert.Empty(_fired);
    }

    [Fact]
    public void Response_WaitingAgainAfterAPause_CountsOnlyTheTimeSpentWaiting()
    {
        _clock.ResponseWaiting(true);
        At(3 * Second, () => _clock.ResponseWaiting(false));
        At(100 * Second, () => _clock.ResponseWaiting(true));

        _scheduler.Start();

        Assert.Equal([(102 * Second, HttpTimeout.ResponseTooSlow)], _fired);
    }

    [Fact]
    public void Tracks_ResponseTooSlowWhileTheNextHeadIsAwaited_TheEarliestExpiresAlone()
    {
        _clock.ResponseWaiting(true);
        _clock.WaitingForRequest(firstRequest: false); // pipelined: the next head is awaited meanwhile

        _scheduler.Start();

        Assert.Equal([(5 * Second, HttpTimeout.ResponseTooSlow)], _fired); // and never KeepAlive at 130 s
    }

    [Fact]
    public void Tracks_HeadAndBodyDueAtTheSameTick_ReportTheHeadOnce()
    {
        At(25 * Second, _clock.BodyReadWaiting);
        _clock.WaitingForRequest(firstRequest: true);

        _scheduler.Start();

        Assert.Equal([(30 * Second, HttpTimeout.RequestHeaders)], _fired);
    }

    [Fact]
    public void Dispose_WithEveryTrackRunning_CancelsEveryTimerAndNoCallbackComes()
    {
        _clock.WaitingForRequest(firstRequest: true);
        _clock.BodyReadWaiting();
        _clock.ResponseWaiting(true);
        _scheduler.AdvanceTo(1 * Second);

        _clock.Dispose();
        _scheduler.Start();

        Assert.Empty(_fired);
        Assert.Equal(1 * Second, _scheduler.Clock); // nothing was left on the scheduler
    }

    [Fact]
    public void Stop_ThenMoreCalls_NothingIsTimedAnyMore()
    {
        _clock.WaitingForRequest(firstRequest: true);
        _clock.Stop();
        _clock.WaitingForRequest(firstRequest: false);
        _clock.BodyReadWaiting();
        _clock.ResponseWaiting(true);

        _scheduler.Start();

        Assert.Empty(_fired);
        Assert.Equal(0, _scheduler.Clock);
    }

    [Fact]
    public void Options_RatesOffAndTimeoutsInfinite_NothingEverExpires()
    {
        var options = HttpServerOptions.Default with
        {
            RequestHeadersTimeout = Timeout.InfiniteTimeSpan,
            KeepAliveTimeout = Timeout.InfiniteTimeSpan,
            MinRequestBodyDataRate = null,
            MinResponseDataRate = null,
        };
        using var specs = new HttpConnectionClockSpecs(options);
        specs._clock.WaitingForRequest(firstRequest: true);
        specs._clock.BodyReadWaiting();
        specs._clock.ResponseWaiting(true);

        specs._scheduler.Start();

        Assert.Empty(specs._fired);
        Assert.Equal(0, specs._scheduler.Clock);
    }

    [Fact]
    public void Options_OtherLimits_AreTheOnesUsed()
    {
        var options = HttpServerOptions.Default with
        {
            KeepAliveTimeout = TimeSpan.FromSeconds(2),
            MinRequestBodyDataRate = new HttpDataRate(100, TimeSpan.FromSeconds(1)),
        };
        using var specs = new HttpConnectionClockSpecs(options);
        specs._clock.BodyReadWaiting();
        specs._clock.BodyBytesRead(150); // 1.5 s at 100 B/s

        specs._scheduler.Start();

        Assert.Equal([(15_000_001L, HttpTimeout.RequestBodyTooSlow)], specs._fired);
    }

    [Fact]
    public void Counting_ManyChunks_AllocatesNothing()
    {
        _clock.BodyReadWaiting();
        _clock.ResponseWaiting(true);
        _clock.BodyBytesRead(1);
        _clock.ResponseBytesWritten(1);
        _clock.RequestBytesArrived();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            _clock.BodyBytesRead(1);
            _clock.ResponseBytesWritten(1);
            _clock.RequestBytesArrived();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(HttpTimeoutName.RequestHeaders, HttpProtocolError.HeadersTimeout, "within 30 s (RequestHeadersTimeout)")]
    [InlineData(HttpTimeoutName.RequestBodyTooSlow, HttpProtocolError.RequestBodyTooSlow, "slower than 240 B/s on average after a 5 s grace, counting only the time the server waited for it (MinRequestBodyDataRate)")]
    [InlineData(HttpTimeoutName.ResponseTooSlow, HttpProtocolError.ResponseTooSlow, "slower than 240 B/s on average after a 5 s grace, counting only the time the server waited on it (MinResponseDataRate)")]
    public void ErrorFor_AViolation_IsATyped408NamingTheOptionAndItsValue(HttpTimeoutName timeout, HttpProtocolError error, string says)
    {
        var exception = _clock.ErrorFor((HttpTimeout)timeout);

        Assert.NotNull(exception);
        Assert.Equal(error, exception.Error);
        Assert.Equal(408, exception.StatusCode);
        Assert.Contains(says, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorFor_KeepAlive_IsNoError() => Assert.Null(_clock.ErrorFor(HttpTimeout.KeepAlive));

    /// <summary><see cref="HttpTimeout"/> is internal: theories name it through this public mirror.</summary>
    public enum HttpTimeoutName
    {
        KeepAlive = HttpTimeout.KeepAlive,
        RequestHeaders = HttpTimeout.RequestHeaders,
        RequestBodyTooSlow = HttpTimeout.RequestBodyTooSlow,
        ResponseTooSlow = HttpTimeout.ResponseTooSlow,
    }

    /// <summary>The request body's calls (the server waits to read, counts, completes) or the response's.</summary>
    private (Action Wait, Action<long> Count, Action Complete, HttpTimeout Timeout) Track(bool body) => body
        ? (_clock.BodyReadWaiting, _clock.BodyBytesRead, _clock.BodyComplete, HttpTimeout.RequestBodyTooSlow)
        : (() => _clock.ResponseWaiting(true), _clock.ResponseBytesWritten, _clock.ResponseComplete, HttpTimeout.ResponseTooSlow);

    /// <summary>Runs <paramref name="action"/> at a later tick (a TestScheduler moves an item due now to the next tick,
    /// so what happens at tick 0 is called directly).</summary>
    private void At(long ticks, Action action) => _scheduler.ScheduleAbsolute(action, ticks, static (_, run) =>
    {
        run();
        return System.Reactive.Disposables.Disposable.Empty;
    });

    /// <summary>One byte at a time at <paramref name="bytesPerSecond"/>: byte k at tick floor(k × 10^7 / rate).</summary>
    private void Trickle(int bytesPerSecond, long until, Action<long> count)
    {
        for (long k = 1; k * Second / bytesPerSecond <= until; k++)
            At(k * Second / bytesPerSecond, () => count(1));
    }
}

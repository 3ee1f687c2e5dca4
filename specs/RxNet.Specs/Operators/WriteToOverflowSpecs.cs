using System.Globalization;
using System.Reactive.Linq;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Reactive.Testing;
using RxNet.Specs.Fakes;
using Xunit;

namespace RxNet.Specs.Operators;

/// <summary>
/// A hot source (<c>Observable.Interval</c>) written with <c>WriteTo</c> to a peer that does not read: the output's
/// queue stays at its high-water mark, what is held stays within its limit, and past it each overflow policy does what
/// it says, counted in the metrics and logged once.
/// </summary>
public sealed class WriteToOverflowSpecs : IDisposable
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const int Total = 60_000;       // one frame a millisecond for a virtual minute
    private const int FrameSize = 1000;
    private const int MaxHeld = 100;

    private readonly TestScheduler _scheduler = new();
    private readonly IsolatedMeterFactory _meters = new();
    private readonly FakeLogger _logger = new();
    private readonly MetricCollector<long> _overflows;
    private readonly MetricCollector<long> _dropped;
    private long _maxPending;

    public WriteToOverflowSpecs()
    {
        _overflows = new(_meters, RxNetMetrics.MeterName, RxNetMetrics.OutputOverflows);
        _dropped = new(_meters, RxNetMetrics.MeterName, RxNetMetrics.OutputDropped);
    }

    public void Dispose()
    {
        _overflows.Dispose();
        _dropped.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public void WriteTo_HotFramesFailPolicy_AbortsTheConnectionWithInputOverflowCountedAndLoggedOnce()
    {
        var (client, received) = Publish(OverflowPolicy.Fail);

        var closed = client.Closed.Record(_scheduler);
        Assert.Equal(ConnectionCloseReason.Aborted, closed.Messages[0].Value.Value.Reason);
        var overflow = Assert.IsType<InputOverflowException>(closed.Messages[0].Value.Value.Error);
        Assert.Equal((MaxHeld, MaxHeld + 1L), (overflow.Limit, overflow.Held));
        Assert.Equal(1, _overflows.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Empty(received);                                                 // the abort is a reset: the peer's unread bytes are gone
        AssertPendingStayedAtTheHighWaterMark();
    }

    [Fact]
    public void WriteTo_HotFramesDropNewest_KeepsTheFirstFramesAndCountsTheRest()
    {
        var (client, received) = Publish(OverflowPolicy.DropNewest);

        Assert.InRange(received.Count, MaxHeld + 1, Total - 1);
        Assert.Equal(Enumerable.Range(0, received.Count), received);            // the first frames, in order, no gap
        AssertDropped("drop_newest", Total - received.Count);
        AssertCleanEnd(client);
    }

    [Fact]
    public void WriteTo_HotFramesDropOldest_DeliversTheLatestHeldFramesWhenThePeerReads()
    {
        var (client, received) = Publish(OverflowPolicy.DropOldest);

        int sent = received.Count - MaxHeld;                                    // went out before the output filled up
        Assert.True(sent > 0, $"{received.Count} frames received");
        Assert.Equal(Enumerable.Range(0, sent).Concat(Enumerable.Range(Total - MaxHeld, MaxHeld)), received);
        AssertDropped("drop_oldest", Total - received.Count);
        AssertCleanEnd(client);
    }

    [Fact]
    public void WriteTo_HotFramesKeepLatest_DeliversOnlyTheLastFrameWhenThePeerReads()
    {
        var (client, received) = Publish(OverflowPolicy.KeepLatest);

        int sent = received.Count - 1;
        Assert.True(sent > 0, $"{received.Count} frames received");
        Assert.Equal(Enumerable.Range(0, sent).Append(Total - 1), received);
        AssertDropped("keep_latest", Total - received.Count);
        AssertCleanEnd(client);
    }

    [Fact]
    public void WriteTo_HotBytesToAPeerThatDoesNotRead_AbortsPastTheByteLimitWithInputOverflow()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, _) = network.ConnectPair();
        var chunk = new byte[FrameSize];
        var options = WriteOptions.Default with { MeterFactory = _meters, Logger = _logger };
        Observable.Interval(TimeSpan.FromMilliseconds(1), _scheduler).Take(Total).Select(_ => (ReadOnlyMemory<byte>)chunk)
            .WriteTo(client.Output, options);
        SamplePending(client.Output);
        _scheduler.AdvanceBy(Total * Ms);

        var closed = client.Closed.Record(_scheduler);
        var overflow = Assert.IsType<InputOverflowException>(closed.Messages[0].Value.Value.Error);
        Assert.Equal(ConnectionExtensions.DefaultMaxHeldInputBytes, overflow.Limit);
        Assert.Equal(1, _overflows.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Single(_logger.Collector.GetSnapshot());
        AssertPendingStayedAtTheHighWaterMark();
    }

    [Fact]
    public void WriteTo_OverflowWithoutALoggerInItsOptions_IsLoggedOnceWhereTheConnectionLogs()
    {
        using var logged = new LoggedReactor();
        var (client, _) = logged.Network.ConnectPair();
        var chunk = new byte[FrameSize];
        Observable.Interval(TimeSpan.FromMilliseconds(1), logged.Scheduler).Take(Total).Select(_ => (ReadOnlyMemory<byte>)chunk)
            .WriteTo(client.Output, WriteOptions.Default with { MeterFactory = _meters });
        logged.Scheduler.AdvanceBy(Total * Ms);

        var record = Assert.Single(logged.Logs.Collector.GetSnapshot(), r => r.Exception is InputOverflowException);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, record.Level);
        Assert.Contains("outran", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTo_BytesWithADropPolicy_IsRefused()
    {
        var output = new FakeOutput();

        var error = Assert.Throws<ArgumentException>(() =>
            Observable.Never<ReadOnlyMemory<byte>>().WriteTo(output, WriteOptions.Default with { Overflow = OverflowPolicy.DropOldest }));

        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Writes frame n at n ms (n = 0 .. Total - 1) through <c>Framed</c> to a peer that reads nothing until the source
    /// has ended, then reads everything; returns the client's end and the frame numbers the peer received.
    /// </summary>
    private (IConnection Client, List<int> Received) Publish(OverflowPolicy policy)
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var framed = client.Framed(new LineCodec(LineOptions.CrLf));
        var options = WriteOptions.Default with { Overflow = policy, MaxHeldFrames = MaxHeld, MeterFactory = _meters, Logger = _logger };
        Observable.Interval(TimeSpan.FromMilliseconds(1), _scheduler).Take(Total)
            .Select(n => (ReadOnlyMemory<byte>)System.Text.Encoding.ASCII.GetBytes(n.ToString("D6", CultureInfo.InvariantCulture).PadRight(FrameSize, '.')))
            .WriteTo(framed.Output, options);
        SamplePending(client.Output);

        _scheduler.AdvanceBy((Total + 1000) * Ms);                              // a minute with nobody reading
        var lines = server.Input.Lines().Record(_scheduler);
        _scheduler.Start();

        var received = lines.Messages.Where(m => m.Value.HasValue)
            .Select(m => int.Parse(m.Value.Value.AsSpan(0, 6), CultureInfo.InvariantCulture)).ToList();
        return (client, received);
    }

    private void SamplePending(IConnectionOutput output) =>
        Observable.Interval(TimeSpan.FromMilliseconds(1), _scheduler).Take(Total)
            .Subscribe(_ => _maxPending = Math.Max(_maxPending, output.PendingBytes));

    private void AssertPendingStayedAtTheHighWaterMark() =>
        Assert.InRange(_maxPending, ConnectionOptions.Default.HighWaterMark, ConnectionOptions.Default.HighWaterMark + FrameSize + 2);

    private void AssertDropped(string tag, int count)
    {
        var drops = _dropped.GetMeasurementSnapshot();
        Assert.All(drops, m => Assert.Equal(tag, m.Tags[RxNetMetrics.OverflowTag]));
        Assert.Equal(count, drops.Sum(m => m.Value));
        Assert.Empty(_overflows.GetMeasurementSnapshot());
        Assert.Single(_logger.Collector.GetSnapshot());
        AssertPendingStayedAtTheHighWaterMark();
    }

    /// <summary>Nothing was aborted: everything held went out once the peer read.</summary>
    private static void AssertCleanEnd(IConnection client) => Assert.Equal(0, client.Output.PendingBytes);
}

using System.Reactive;
using System.Text;
using Microsoft.Reactive.Testing;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Specs.Framing;

/// <summary>
/// The typed output of <c>Framed</c> and <c>Encode</c> keeps the connection's flow control (<c>Writable</c>,
/// <c>PendingBytes</c>), and a line of text is one call: <c>WriteLine</c>, or an output of lines from <c>Lines()</c>.
/// </summary>
public sealed class FrameOutputSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    [Fact]
    public void Framed_FramesWrittenToAPeerThatReadsLate_WritableTurnsFalseThenTrueWhenThePeerReads()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var (client, server) = network.ConnectPair();
        var framed = client.Framed(new LineCodec(LineOptions.CrLf));
        var writable = framed.Output.Writable.Record(scheduler);
        long start = scheduler.Clock;

        var frame = Encoding.ASCII.GetBytes(new string('x', 998));
        for (int i = 0; i < 200; i++)                                   // 200 kB: past the window and the high-water mark
            framed.Output.OnNext(frame);
        scheduler.AdvanceBy(100 * Ms);                                  // the peer does not read yet
        long pendingWhilePaused = framed.Output.PendingBytes;
        var lines = server.Input.Lines().Record(scheduler);             // now it reads
        scheduler.Start();

        Assert.Equal([OnNext(start, true), OnNext(start, false)], writable.Messages.Take(2));
        Assert.True(pendingWhilePaused > ConnectionOptions.Default.HighWaterMark, $"{pendingWhilePaused} bytes pending");
        Assert.Equal(client.Output.PendingBytes, framed.Output.PendingBytes);
        var resumed = writable.Messages[2];
        Assert.True(resumed.Value.Value);
        Assert.True(resumed.Time > start + 100 * Ms, $"writable again at {resumed.Time}");
        Assert.Equal(3, writable.Messages.Count);
        Assert.Equal(200, lines.Messages.Count(m => m.Value.Kind == NotificationKind.OnNext));
    }

    [Fact]
    public void WriteLine_Text_SendsItsUtf8AndCrLfInOneWrite()
    {
        var written = new List<byte[]>();
        var output = Observer.Create<ReadOnlyMemory<byte>>(chunk => written.Add(chunk.ToArray()));

        output.WriteLine("héllo");

        Assert.Equal(["héllo\r\n"], written.Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void WriteLine_WithADelimiterOrALineHoldingIt_UsesTheDelimiterAndRefusesTheLineWithoutWriting()
    {
        var written = new List<string>();
        var output = Observer.Create<ReadOnlyMemory<byte>>(chunk => written.Add(Encoding.UTF8.GetString(chunk.Span)));

        output.WriteLine("a", LineOptions.Default);
        var error = Record.Exception(() => output.WriteLine("b\r\nc"));

        Assert.Equal(["a\n"], written);
        Assert.IsType<FramingException>(error);
    }

    [Fact]
    public void Lines_OutputOfAConnection_SendsEachLineWithCrLfAndAbortsOnAnOverlongOne()
    {
        var scheduler = new TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var (client, server) = network.ConnectPair();
        var text = server.Input.RecordText(scheduler);
        var lines = client.Output.Lines();

        lines.OnNext("one");
        lines.OnNext("two");
        scheduler.AdvanceBy(10 * Ms);
        lines.OnNext(new string('x', 16385));                          // above the 16384-byte maximum
        scheduler.Start();

        Assert.Equal("one\r\ntwo\r\n", string.Concat(text.Messages.Where(m => m.Value.Kind == NotificationKind.OnNext).Select(m => m.Value.Value)));
        var closed = client.Closed.Record(scheduler);
        Assert.IsType<FrameTooLargeException>(Assert.Single(closed.Messages.Where(m => m.Value.Kind == NotificationKind.OnNext)).Value.Value.Error);
    }
}

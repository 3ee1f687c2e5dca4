using System.Reactive.Linq;
using System.Text;
using Microsoft.Reactive.Testing;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Testing.Specs.Helpers;

/// <summary>
/// Recordings of what a connection receives as Rx's <c>Recorded&lt;Notification&lt;T&gt;&gt;</c>, each at the
/// exact virtual tick it arrived, and everything received as one value at completion.
/// </summary>
public sealed class RecordingSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();

    [Fact]
    public void RecordText_TwoWritesAtDifferentTicks_RecordsEachChunkAtItsArrivalTick()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var received = server.Input.RecordText(_scheduler);

        client.Output.OnNext("hi"u8.ToArray());
        _scheduler.AdvanceTo(30 * Ms);
        client.Output.OnNext("there"u8.ToArray());
        client.Output.OnCompleted();
        _scheduler.Start();

        Assert.Equal([
            OnNext(2 * Ms, "hi"),
            OnNext(31 * Ms, "there"),
            OnCompleted<string>(31 * Ms)], received.Messages);
    }

    [Fact]
    public void ToVirtualTimeString_RecordedByteChunks_PrintsVirtualMillisecondsAndEscapedText()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var received = server.Input.Record(_scheduler);

        client.Output.OnNext("hi\n"u8.ToArray());
        _scheduler.AdvanceTo(11 * Ms + Ms / 2);
        client.Output.OnNext(new byte[] { (byte)'"', 0x01, 0xff });
        client.Output.OnCompleted();
        _scheduler.Start();

        Assert.Equal(
            "+2 ms OnNext(\"hi\\n\")\n" +
            "+12.5 ms OnNext(\"\\\"\\x01\\xff\")\n" +
            "+12.5 ms OnCompleted()\n",
            received.Messages.ToVirtualTimeString());
    }

    [Fact]
    public void ToVirtualTimeString_StringsNumbersAndAnError_QuotesStringsAndNamesTheException()
    {
        Recorded<System.Reactive.Notification<string>>[] text =
            [OnNext(1, "a\tb"), OnNext<string>(40 * Ms, (string)null!), OnError<string>(40 * Ms, new TimeoutException("too slow"))];
        Recorded<System.Reactive.Notification<double>>[] numbers = [OnNext(3 * Ms, 1.5)];

        Assert.Equal(
            "+0.0001 ms OnNext(\"a\\tb\")\n+40 ms OnNext(null)\n+40 ms OnError(TimeoutException: too slow)\n",
            text.ToVirtualTimeString());
        Assert.Equal("+3 ms OnNext(1.5)\n", numbers.ToVirtualTimeString());
        Assert.Equal("", Array.Empty<Recorded<System.Reactive.Notification<int>>>().ToVirtualTimeString());
    }

    [Fact]
    public void RecordText_MultiByteCharactersCutIntoOneByteSegments_RecordsEachCharacterWhole()
    {
        var network = new SimulatedNetwork(_scheduler, seed: 5);
        network.Link("client", "server", new LinkOptions { MaxSegmentSize = 1 });
        var (client, server) = network.ConnectPair();
        var received = server.Input.RecordText(_scheduler);

        client.Output.OnNext(Encoding.UTF8.GetBytes("é€"));
        _scheduler.Start();

        Assert.Equal(5, network.Trace.Count(e => e.Kind == NetworkEventKind.Data));
        Assert.Equal([OnNext(2 * Ms, "é"), OnNext(2 * Ms, "€")], received.Messages);
    }

    [Fact]
    public void RecordLines_OneByteSegments_RecordsWholeLinesWithoutTerminatorsAndTheUnterminatedRest()
    {
        var network = new SimulatedNetwork(_scheduler, seed: 11);
        network.Link("client", "server", new LinkOptions { MaxSegmentSize = 1 });
        var (client, server) = network.ConnectPair();
        var lines = server.Input.RecordLines(_scheduler);

        client.Output.OnNext("hello\r\nworld\nrest"u8.ToArray());
        client.Output.OnCompleted();
        _scheduler.Start();

        Assert.Equal([
            OnNext(2 * Ms, "hello"),
            OnNext(2 * Ms, "world"),
            OnNext(2 * Ms, "rest"),
            OnCompleted<string>(2 * Ms)], lines.Messages);
    }

    [Fact]
    public void RecordLines_LinesOnASlowLink_RecordsEachAtTheTickItsTerminatorArrived()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("client", "server", new LinkOptions { BytesPerSecond = 1000 }); // 1 ms per byte
        var (client, server) = network.ConnectPair();
        var lines = server.Input.RecordLines(_scheduler);

        client.Output.OnNext("ab\n"u8.ToArray());
        _scheduler.AdvanceTo(10 * Ms);
        client.Output.OnNext("c\n"u8.ToArray());
        _scheduler.Start();

        // 3 bytes leave at 1 ms, take 3 ms, arrive 1 ms later; then 2 bytes leave at 10 ms.
        Assert.Equal([OnNext(5 * Ms, "ab"), OnNext(13 * Ms, "c")], lines.Messages);
    }

    [Fact]
    public void ReadAllText_InputCompletes_EmitsEverythingOnceAtTheCompletionTick()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var all = server.Input.ReadAllText().Record(_scheduler);

        client.Output.OnNext("a"u8.ToArray());
        _scheduler.AdvanceTo(30 * Ms);
        client.Output.OnNext("b"u8.ToArray());
        _scheduler.AdvanceTo(50 * Ms);
        client.Output.OnCompleted();
        _scheduler.Start();

        Assert.Equal([OnNext(51 * Ms, "ab"), OnCompleted<string>(51 * Ms)], all.Messages);
    }

    [Fact]
    public void ReadAllBytes_MoreThanTheLimit_FailsWithInvalidDataNamingTheLimit()
    {
        var network = new SimulatedNetwork(_scheduler);
        var (client, server) = network.ConnectPair();
        var all = server.Input.ReadAllBytes(maxBytes: 4).Record(_scheduler);

        client.Output.OnNext("12345"u8.ToArray());
        _scheduler.Start();

        var failure = Assert.Single(all.Messages);
        Assert.Equal(2 * Ms, failure.Time);
        var error = Assert.IsType<InvalidDataException>(failure.Value.Exception);
        Assert.Contains("4 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_ResetConnection_RecordsTheErrorAndTheCloseReasonAtTheResetTick()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) });
        var (client, server) = network.ConnectPair();
        var input = server.Input.RecordText(_scheduler);
        var closed = server.Closed.Select(c => c.Reason).Record(_scheduler);

        _scheduler.AdvanceTo(20 * Ms);
        client.Dispose();
        _scheduler.Start();

        var failure = Assert.Single(input.Messages);
        Assert.Equal(30 * Ms, failure.Time);
        Assert.IsType<ConnectionResetException>(failure.Value.Exception);
        Assert.Equal([OnNext(30 * Ms, ConnectionCloseReason.Reset), OnCompleted<ConnectionCloseReason>(30 * Ms)], closed.Messages);
    }
}

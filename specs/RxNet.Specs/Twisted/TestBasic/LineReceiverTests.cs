using Microsoft.Reactive.Testing;
using RxNet.Twisted;
using Xunit;
using static RxNet.Specs.Twisted.TestBasic.StringTransport;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted 22.4 <c>test_basic.LineReceiverTests</c>, case for case, with its byte vectors.</summary>
public sealed class LineReceiverTests
{
    private static readonly byte[] Buffer = B(
        "len 10\n\n0123456789len 5\n\n1234\nlen 20\nfoo 123\n\n0123456789\n012345678len 0\nfoo 5\n\n" +
        "1234567890123456789012345678901234567890123456789012345678901234567890\nlen 1\n\na");

    private static readonly string[] Output =
    [
        "len 10", "0123456789", "len 5", "1234\n", "len 20", "foo 123", "0123456789\n012345678", "len 0", "foo 5", "",
        "67890", "len 1", "a",
    ];

    [Fact]
    public void TestBuffer_EveryPacketSizeFrom1To9_ReceivesTwistedsOutput()
    {
        for (int size = 1; size < 10; size++)
        {
            var a = new LineTester();
            a.MakeConnection();
            foreach (var packet in Packets(Buffer, size))
                a.DataReceived(packet);
            Assert.Equal(Output, a.Received);
        }
    }

    [Fact]
    public void TestPausing_PauseLine_LaterLinesWaitUntilTheClockResumes()
    {
        for (int size = 1; size < 10; size++)
        {
            var clock = new TestScheduler();
            var a = new LineTester(clock);
            a.MakeConnection();
            foreach (var packet in Packets(B("twiddle1\ntwiddle2\npause\ntwiddle3\n"), size))
                a.DataReceived(packet);
            Assert.Equal(["twiddle1", "twiddle2", "pause"], a.Received);
            clock.AdvanceBy(1); // Twisted's clock.advance(0): what was scheduled for now runs
            Assert.Equal(["twiddle1", "twiddle2", "pause", "twiddle3"], a.Received);
        }
    }

    [Fact]
    public void TestRawPausing_PauseInRawMode_RawDataWaitsUntilTheClockResumes()
    {
        for (int size = 1; size < 10; size++)
        {
            var clock = new TestScheduler();
            var a = new LineTester(clock);
            a.MakeConnection();
            foreach (var packet in Packets(B("twiddle1\ntwiddle2\nlen 5\nrawpause\n12345twiddle3\n"), size))
                a.DataReceived(packet);
            Assert.Equal(["twiddle1", "twiddle2", "len 5", "rawpause", ""], a.Received);
            clock.AdvanceBy(1); // Twisted's clock.advance(0): what was scheduled for now runs
            Assert.Equal(["twiddle1", "twiddle2", "len 5", "rawpause", "12345", "twiddle3"], a.Received);
        }
    }

    [Fact]
    public void TestStopProducing_StopLine_NoLaterLineIsDelivered()
    {
        for (int size = 1; size < 10; size++)
        {
            var a = new LineTester();
            a.MakeConnection();
            foreach (var packet in Packets(B("twiddle1\ntwiddle2\nstop\nmore\nstuff\n"), size))
                a.DataReceived(packet);
            Assert.Equal(["twiddle1", "twiddle2", "stop"], a.Received);
        }
    }

    [Fact]
    public void TestLineReceiverAsProducer_RegisteredAndUnregisteredFromLineReceived_EveryLineDelivered()
    {
        var a = new LineTester();
        a.MakeConnection();

        a.DataReceived(B("produce\nhello world\nunproduce\ngoodbye\n"));

        Assert.Equal(["produce", "hello world", "unproduce", "goodbye"], a.Received);
    }

    [Fact]
    public void TestClearLineBuffer_FromLineReceived_ReturnsTheRestAndDropsIt()
    {
        var protocol = new ClearingReceiver();
        protocol.MakeConnection();

        protocol.DataReceived(B("foo\r\nbar\r\nbaz"));
        Assert.Equal("foo", protocol.Line);
        Assert.Equal("bar\r\nbaz", protocol.Rest);
        protocol.DataReceived(B("quux\r\n"));

        Assert.Equal("quux", protocol.Line);
        Assert.Equal(string.Empty, protocol.Rest);
    }

    [Fact]
    public void TestStackRecursion_SwitchingModesOnEveryByte_DeliversEveryLineWithoutRecursing()
    {
        const int Limit = 1000; // Python's default recursion limit, which the test uses: a recursive loop would overflow
        var proto = new FlippingLineTester();
        proto.MakeConnection();

        proto.DataReceived(B(string.Concat(Enumerable.Repeat("x\nx", Limit))));

        Assert.Equal(new string('x', Limit), string.Concat(proto.Lines));
    }

    [Fact]
    public void TestMaximumLineLength_LineOfMaxLengthPlusOne_Disconnects()
    {
        var proto = new Bare();
        var transport = proto.MakeConnection();

        proto.DataReceived(B(new string('x', proto.MaxLength + 1) + "\r\nr"));

        Assert.True(transport.Disconnecting());
    }

    [Fact]
    public void TestMaximumLineLengthPartialDelimiter_DelimiterSplitAcrossPackets_DoesNotDisconnect()
    {
        var proto = new LineTester { MaxLength = 4 };
        var t = proto.MakeConnection();
        var line = B("xxx");

        proto.DataReceived(line);
        proto.DataReceived(proto.Delimiter[..^1]);
        proto.DataReceived((byte[])[.. proto.Delimiter[^1..].Span, .. line]);

        Assert.False(t.Disconnecting());
        Assert.Equal(["xxx"], proto.Received);
    }

    [Fact]
    public void TestNotQuiteMaximumLineLengthUnfinished_MaxLengthBytesAndHalfTheDelimiter_DoesNotDisconnect()
    {
        var proto = new Bare { Delimiter = B("\r\n") };
        var transport = proto.MakeConnection();

        proto.DataReceived(B(new string('x', proto.MaxLength) + "\r"));

        Assert.False(transport.Disconnecting());
    }

    [Fact]
    public void TestRawDataError_RawDataReceivedFails_TheErrorEndsTheConnection()
    {
        // Python returns the error from dataReceived; in .NET it is thrown, and the transport ends the connection with it.
        var proto = new Bare { OnRaw = _ => throw new InvalidOperationException("oops") };
        var transport = proto.MakeConnection();
        proto.SetRawMode();

        transport.Input.Receive(B("data"));

        Assert.Equal("oops", Assert.IsType<InvalidOperationException>(transport.Output.Error).Message);
    }

    [Fact]
    public void TestRawDataReceivedNotImplemented_NotOverridden_ThrowsNotImplemented()
    {
        var proto = new NothingOverridden();

        Assert.Throws<NotImplementedException>(() => proto.RawDataReceived(B("foo")));
    }

    [Fact]
    public void TestLineReceivedNotImplemented_NotOverridden_ThrowsNotImplemented()
    {
        var proto = new NothingOverridden();

        Assert.Throws<NotImplementedException>(() => proto.LineReceived(B("foo")));
        Assert.Throws<NotImplementedException>(() => proto.LineReceived("foo"));
    }

    private sealed class NothingOverridden : LineReceiver;

    /// <summary>Twisted's <c>basic.LineReceiver()</c> with its defaults, whose lines nobody reads.</summary>
    private sealed class Bare : LineReceiver
    {
        public Action<ReadOnlyMemory<byte>>? OnRaw { get; init; }

        public override void LineReceived(ReadOnlyMemory<byte> line)
        {
        }

        public override void RawDataReceived(ReadOnlyMemory<byte> data) => OnRaw?.Invoke(data);
    }

    private sealed class ClearingReceiver : LineReceiver
    {
        public string? Line { get; private set; }

        public string? Rest { get; private set; }

        public override void LineReceived(ReadOnlyMemory<byte> line)
        {
            Line = S(line);
            Rest = S(ClearLineBuffer());
        }
    }

    /// <summary>Twisted's <c>FlippingLineTester</c>: raw mode after each line, back to line mode after one byte.</summary>
    private sealed class FlippingLineTester : LineReceiver
    {
        public FlippingLineTester() => Delimiter = B("\n");

        public List<string> Lines { get; } = [];

        public override void LineReceived(ReadOnlyMemory<byte> line)
        {
            Lines.Add(S(line));
            SetRawMode();
        }

        public override void RawDataReceived(ReadOnlyMemory<byte> data) => SetLineMode(data[1..]);
    }
}

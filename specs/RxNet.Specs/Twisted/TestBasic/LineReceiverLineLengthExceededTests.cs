using RxNet.Twisted;
using Xunit;
using static RxNet.Specs.Twisted.TestBasic.StringTransport;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted 22.4 <c>test_basic.LineReceiverLineLengthExceededTests</c>, case for case.</summary>
public sealed class LineReceiverLineLengthExceededTests
{
    private readonly ExcessivelyLargeLineCatcher _proto = new() { MaxLength = 6 };

    public LineReceiverLineLengthExceededTests() => _proto.MakeConnection();

    [Fact]
    public void TestLongUnendedLine_NoDelimiter_AllBytesGoToLineLengthExceeded()
    {
        var excessive = B(new string('x', _proto.MaxLength * 2 + 2));

        _proto.DataReceived(excessive);

        Assert.Equal([S(excessive)], _proto.LongLines);
    }

    [Fact]
    public void TestLongLineAfterShortLine_ShortLineThenLongUnended_LongPartGoesToLineLengthExceeded()
    {
        var excessive = new string('x', _proto.MaxLength * 2 + 2);

        _proto.DataReceived(B("x\r\n" + excessive));

        Assert.Equal([excessive], _proto.LongLines);
    }

    [Fact]
    public void TestLongLineWithDelimiter_DelimiterPastTheMaximum_TheWholeBytesGoToLineLengthExceeded()
    {
        var excessive = string.Join("\r\n", Enumerable.Repeat(new string('x', _proto.MaxLength * 2 + 2), 2));

        _proto.DataReceived(B(excessive));

        Assert.Equal([excessive], _proto.LongLines);
    }

    [Fact]
    public void TestMultipleLongLines_SeveralDelimitersPastTheMaximum_TheWholeBytesGoToLineLengthExceeded()
    {
        var excessive = string.Concat(Enumerable.Repeat(new string('x', _proto.MaxLength * 2 + 2) + "\r\n", 2));

        _proto.DataReceived(B(excessive));

        Assert.Equal([excessive], _proto.LongLines);
    }

    [Fact]
    public void TestMaximumLineLength_LineOfMaxLengthPlusOne_Disconnects()
    {
        var proto = new Default();
        var transport = proto.MakeConnection();

        proto.DataReceived(B(new string('x', proto.MaxLength + 1) + "\r\nr"));

        Assert.True(transport.Disconnecting());
    }

    [Fact]
    public void TestMaximumLineLengthRemaining_UnfinishedLineOfMaxLengthPlusTheDelimitersLength_Disconnects()
    {
        var proto = new Default();
        var transport = proto.MakeConnection();

        proto.DataReceived(B(new string('x', proto.MaxLength + proto.Delimiter.Length)));

        Assert.True(transport.Disconnecting());
    }

    private sealed class Default : LineReceiver
    {
        public override void LineReceived(ReadOnlyMemory<byte> line)
        {
        }
    }

    private sealed class ExcessivelyLargeLineCatcher : LineReceiver
    {
        public List<string> LongLines { get; } = [];

        public override void LineReceived(ReadOnlyMemory<byte> line)
        {
        }

        public override void LineLengthExceeded(ReadOnlyMemory<byte> line) => LongLines.Add(S(line));
    }
}

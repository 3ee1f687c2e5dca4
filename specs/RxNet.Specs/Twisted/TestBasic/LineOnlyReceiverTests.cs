using RxNet.Twisted;
using Xunit;
using static RxNet.Specs.Twisted.TestBasic.StringTransport;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted 22.4 <c>test_basic.LineOnlyReceiverTests</c>, case for case.</summary>
public sealed class LineOnlyReceiverTests
{
    private const string Buffer = "foo\n    bleakness\n    desolation\n    plastic forks\n    ";

    [Fact]
    public void TestBuffer_OneByteAtATime_ReceivesEveryLine()
    {
        var a = new LineOnlyTester();
        a.MakeConnection();

        foreach (var c in Bytes(B(Buffer)))
            a.DataReceived(c);

        Assert.Equal(Buffer.Split('\n')[..^1], a.Received);
    }

    [Fact]
    public void TestGreaterThanMaximumLineLength_LineLongerThanMaxLengthPlusTheDelimiter_Disconnects()
    {
        var proto = new LineOnlyTester();
        var transport = proto.MakeConnection();

        proto.DataReceived(B(new string('x', proto.MaxLength + proto.Delimiter.Length + 1) + "\r\nr"));

        Assert.True(transport.Disconnecting());
    }

    [Fact]
    public void TestLineReceivedNotImplemented_NotOverridden_ThrowsNotImplemented()
    {
        var proto = new NothingOverridden();

        Assert.Throws<NotImplementedException>(() => proto.LineReceived(B("foo")));
    }

    private sealed class NothingOverridden : LineOnlyReceiver;

    private sealed class LineOnlyTester : LineOnlyReceiver
    {
        public LineOnlyTester()
        {
            Delimiter = B("\n");
            MaxLength = 64;
        }

        public List<string> Received { get; } = [];

        public override void LineReceived(ReadOnlyMemory<byte> line) => Received.Add(S(line));
    }
}

using RxNet.Twisted;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted's <c>TestInt16</c>: <c>TestMixin</c> on an <c>Int16StringReceiver</c>.</summary>
public sealed class TestInt16 : Int16StringReceiver, IRecording
{
    public TestInt16() => MaxLength = 50;

    public StringRecorder Record { get; } = new();

    public override void StringReceived(ReadOnlyMemory<byte> data) => Record.StringReceived(data);

    public override void LengthLimitExceeded(long length) => Record.LengthLimit(length, base.LengthLimitExceeded);
}

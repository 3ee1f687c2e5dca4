using RxNet.Twisted;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted's <c>TestInt8</c>: <c>TestMixin</c> on an <c>Int8StringReceiver</c>.</summary>
public sealed class TestInt8 : Int8StringReceiver, IRecording
{
    public TestInt8() => MaxLength = 50;

    public StringRecorder Record { get; } = new();

    public override void StringReceived(ReadOnlyMemory<byte> data) => Record.StringReceived(data);

    public override void LengthLimitExceeded(long length) => Record.LengthLimit(length, base.LengthLimitExceeded);
}

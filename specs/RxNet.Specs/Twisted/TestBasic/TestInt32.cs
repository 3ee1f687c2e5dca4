using RxNet.Twisted;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted's <c>TestInt32</c>: <c>TestMixin</c> on an <c>Int32StringReceiver</c>.</summary>
public sealed class TestInt32 : Int32StringReceiver, IRecording
{
    public TestInt32() => MaxLength = 50;

    public StringRecorder Record { get; } = new();

    public override void StringReceived(ReadOnlyMemory<byte> data) => Record.StringReceived(data);

    public override void LengthLimitExceeded(long length) => Record.LengthLimit(length, base.LengthLimitExceeded);
}

using RxNet.Twisted;
using static RxNet.Specs.Twisted.TestBasic.StringTransport;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted's <c>TestInt32</c>.</summary>
public sealed class TestInt32 : Int32StringReceiver, IRecording
{
    public TestInt32() => MaxLength = 50;

    public List<string> Received { get; } = [];

    public Action<ReadOnlyMemory<byte>>? OnString { get; set; }

    public Action<long>? OnLengthLimitExceeded { get; set; }

    public override void StringReceived(ReadOnlyMemory<byte> data)
    {
        if (OnString is { } replaced)
            replaced(data);
        else
            Received.Add(S(data));
    }

    public override void LengthLimitExceeded(long length)
    {
        if (OnLengthLimitExceeded is { } replaced)
            replaced(length);
        else
            base.LengthLimitExceeded(length);
    }
}

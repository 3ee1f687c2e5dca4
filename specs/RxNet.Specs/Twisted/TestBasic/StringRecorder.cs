using static RxNet.Specs.Twisted.TestBasic.StringTransport;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>Twisted's <c>TestMixin</c> for the IntN receivers: records the strings received, and lets a test
/// replace <c>stringReceived</c> and <c>lengthLimitExceeded</c> on the instance, as Twisted's tests do.</summary>
public sealed class StringRecorder
{
    /// <summary>The strings received.</summary>
    public List<string> Received { get; } = [];

    /// <summary>Replaces <c>stringReceived</c>.</summary>
    public Action<ReadOnlyMemory<byte>>? OnString { get; set; }

    /// <summary>Replaces <c>lengthLimitExceeded</c>.</summary>
    public Action<long>? OnLengthLimitExceeded { get; set; }

    public void StringReceived(ReadOnlyMemory<byte> data)
    {
        if (OnString is { } replaced)
            replaced(data);
        else
            Received.Add(S(data));
    }

    public void LengthLimit(long length, Action<long> original) => (OnLengthLimitExceeded ?? original)(length);
}

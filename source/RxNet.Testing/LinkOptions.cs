namespace RxNet.Testing;

/// <summary>How a simulated link between two hosts carries bytes, in each direction.</summary>
/// <remarks>Pairs of hosts that were never linked use <see cref="Default"/>.</remarks>
public sealed record LinkOptions
{
    /// <summary>The options of unlinked pairs: 1 ms latency, unlimited bandwidth, writes kept whole.</summary>
    public static LinkOptions Default { get; } = new();

    /// <summary>The one-way delay between the end of a segment's transmission and its arrival. Default 1 ms.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The link's bandwidth in bytes per second, shared by every connection in one direction;
    /// 0 (the default) means unlimited.</summary>
    public long BytesPerSecond { get; init; }

    /// <summary>0 (the default) keeps each transmission whole; N cuts each one into random pieces of
    /// 1 to N bytes, chosen by the network's seed, so protocols meet every possible chunking.</summary>
    public int MaxSegmentSize { get; init; }

    /// <summary>Checks that the values make sense.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Latency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(BytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxSegmentSize);
    }
}

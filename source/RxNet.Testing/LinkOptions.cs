namespace RxNet.Testing;

/// <summary>How a simulated link between two hosts carries bytes and datagrams, in each direction.</summary>
/// <remarks>Pairs of hosts that were never linked use <see cref="Default"/>.</remarks>
public sealed record LinkOptions
{
    /// <summary>The options of unlinked pairs: 1 ms latency, unlimited bandwidth, writes kept whole, no datagram lost, duplicated or reordered.</summary>
    public static LinkOptions Default { get; } = new();

    /// <summary>The one-way delay between the end of a segment's transmission and its arrival. Default 1 ms.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The link's bandwidth in bytes per second, shared by every connection in one direction;
    /// 0 (the default) means unlimited.</summary>
    public long BytesPerSecond { get; init; }

    /// <summary>0 (the default) keeps each transmission whole; N cuts each one into random pieces of
    /// 1 to N bytes, chosen by the network's seed, so protocols meet every possible chunking.</summary>
    public int MaxSegmentSize { get; init; }

    /// <summary>The chance, from 0 to 1, that a datagram is lost on the way. Streams are never
    /// affected: TCP hides loss behind retransmission. Default 0.</summary>
    public double Loss { get; init; }

    /// <summary>The chance, from 0 to 1, that a datagram arrives twice. Default 0.</summary>
    public double Duplication { get; init; }

    /// <summary>The chance, from 0 to 1, that a datagram is held back one extra <see cref="Latency"/>, so
    /// that datagrams sent after it overtake it. Default 0.</summary>
    public double Reordering { get; init; }

    /// <summary>Checks that the values make sense.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative, or a chance is above 1.</exception>
    public void Validate()
    {
        foreach (double chance in (ReadOnlySpan<double>)[Loss, Duplication, Reordering])
            if (chance is < 0 or > 1 || double.IsNaN(chance))
                throw new ArgumentOutOfRangeException(nameof(LinkOptions), chance, "Loss, Duplication and Reordering are chances from 0 to 1.");
        ArgumentOutOfRangeException.ThrowIfLessThan(Latency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(BytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxSegmentSize);
    }
}

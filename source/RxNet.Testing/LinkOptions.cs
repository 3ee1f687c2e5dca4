namespace RxNet.Testing;

/// <summary>How a simulated link between two hosts carries bytes and datagrams, in each direction.</summary>
/// <remarks>Pairs of hosts that were never linked use <see cref="Default"/>.</remarks>
public sealed record LinkOptions
{
    /// <summary>The options of unlinked pairs: 1 ms latency, unlimited bandwidth, writes kept whole, nothing lost, no datagram duplicated or reordered.</summary>
    public static LinkOptions Default { get; } = new();

    /// <summary>The one-way delay between the end of a segment's transmission and its arrival. Default 1 ms.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The link's bandwidth in bytes per second, shared by every connection in one direction;
    /// 0 (the default) means unlimited.</summary>
    public long BytesPerSecond { get; init; }

    /// <summary>0 (the default) keeps each transmission whole; N cuts each one into random pieces of
    /// 1 to N bytes, chosen by the network's seed, so protocols meet every possible chunking.</summary>
    public int MaxSegmentSize { get; init; }

    /// <summary>The chance, from 0 to 1, that a datagram or a stream's data segment is lost on the way.
    /// Default 0.</summary>
    /// <remarks>A lost datagram is gone. A lost stream segment is retransmitted, as TCP would: it arrives
    /// intact one <see cref="RetransmissionTimeout"/> later than it would have, and the segments sent after
    /// it wait behind it, so the receiver still gets every byte in order, only later. The trace records a
    /// <see cref="NetworkEventKind.Lost"/> event when it would have arrived. Each draw comes from the
    /// network's seed, so a run replays.</remarks>
    public double Loss { get; init; }

    /// <summary>How much later a lost stream segment (see <see cref="Loss"/>) arrives than it would have:
    /// the time TCP waits before it retransmits. Default 200 ms, Linux's minimum; datagrams ignore it.</summary>
    public TimeSpan RetransmissionTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

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
        ArgumentOutOfRangeException.ThrowIfLessThan(RetransmissionTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(BytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxSegmentSize);
    }
}

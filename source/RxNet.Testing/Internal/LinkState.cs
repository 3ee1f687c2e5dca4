namespace RxNet.Testing.Internal;

/// <summary>One direction of a link: its options and when it is free to transmit again.</summary>
internal sealed class LinkState
{
    public LinkOptions Options { get; set; } = LinkOptions.Default;

    /// <summary>The virtual time at which the last transmission finishes (bandwidth).</summary>
    public long BusyUntil { get; private set; }

    /// <summary>Puts <paramref name="bytes"/> on the link at <paramref name="sentAt"/>, after whatever is
    /// still transmitting, and returns when they arrive: end of transmission plus latency.</summary>
    public long Transmit(int bytes, long sentAt)
    {
        long start = Math.Max(sentAt, BusyUntil);
        long duration = bytes > 0 && Options.BytesPerSecond > 0
            ? (long)Math.Ceiling((double)bytes * TimeSpan.TicksPerSecond / Options.BytesPerSecond)
            : 0;
        BusyUntil = start + duration;
        return BusyUntil + Options.Latency.Ticks;
    }
}

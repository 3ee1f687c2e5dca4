using System.Globalization;
using RxNet.Testing.Internal;

namespace RxNet.Testing;

/// <summary>One entry of <see cref="SimulatedNetwork.Trace"/>.</summary>
/// <param name="Ticks">The virtual time of the event, in scheduler ticks.</param>
/// <param name="From">The sending side, as <c>host:port</c> (a host name for
/// <see cref="NetworkEventKind.Partitioned"/> and <see cref="NetworkEventKind.Healed"/>).</param>
/// <param name="To">The receiving side, as <c>host:port</c> (a host name for
/// <see cref="NetworkEventKind.Partitioned"/> and <see cref="NetworkEventKind.Healed"/>).</param>
/// <param name="Kind">What happened.</param>
/// <param name="Bytes">The number of payload bytes (0 for events that carry none).</param>
public sealed record NetworkEvent(long Ticks, string From, string To, NetworkEventKind Kind, int Bytes)
{
    /// <summary>How many payload bytes <see cref="ToString"/> shows before it cuts the rest.</summary>
    public const int ShownBytes = 40;

    /// <summary>The bytes of a <see cref="NetworkEventKind.Data"/> segment or of a datagram; empty otherwise.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The event as one line: virtual time, sides, kind, size and the first
    /// <see cref="ShownBytes"/> payload bytes as escaped text.</summary>
    /// <returns>For example <c>00:00:00.0010000 client:49152 -> server:8000 Data 6 "hello\n"</c>.</returns>
    public override string ToString()
    {
        string line = string.Create(CultureInfo.InvariantCulture, $"{new TimeSpan(Ticks):c} {From} -> {To} {Kind} {Bytes}");
        return Payload.IsEmpty ? line : line + " " + BytesText.Quote(Payload.Span, ShownBytes);
    }
}

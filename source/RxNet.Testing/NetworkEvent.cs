using System.Globalization;

namespace RxNet.Testing;

/// <summary>One entry of <see cref="SimulatedNetwork.Trace"/>.</summary>
/// <param name="Ticks">The virtual time of the event, in scheduler ticks.</param>
/// <param name="From">The sending side, as <c>host:port</c>.</param>
/// <param name="To">The receiving side, as <c>host:port</c>.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Bytes">The number of data bytes (0 for everything but <see cref="NetworkEventKind.Data"/>).</param>
public sealed record NetworkEvent(long Ticks, string From, string To, NetworkEventKind Kind, int Bytes)
{
    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{new TimeSpan(Ticks):c} {From} -> {To} {Kind} {Bytes}");
}

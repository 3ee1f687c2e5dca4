namespace RxNet.Testing.Internal;

/// <summary>One direction of a link: its options and when it is free to transmit again.</summary>
internal sealed class LinkState
{
    public LinkOptions Options { get; set; } = LinkOptions.Default;

    /// <summary>The virtual time at which the last segment finishes transmitting (bandwidth).</summary>
    public long BusyUntil { get; set; }
}

namespace RxNet;

/// <summary>What a server reading PROXY protocol headers accepts, and how long it waits for one.</summary>
public sealed record ProxyProtocolOptions
{
    /// <summary>The defaults: either version, ten seconds to send the header.</summary>
    public static ProxyProtocolOptions Default { get; } = new();

    /// <summary>The versions accepted; <see cref="ProxyProtocolVersions.Any"/> by default (detected by the first bytes).</summary>
    public ProxyProtocolVersions Versions { get; init; } = ProxyProtocolVersions.Any;

    /// <summary>How long a new connection has, from the instant it is handed to the operator, to send its whole
    /// header; 10 seconds by default: a proxy sends its header at once, in its first segment.
    /// After that the connection is aborted with a <see cref="ProxyProtocolException"/>. Must be above zero.</summary>
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="HeaderTimeout"/> is not above zero, or
    /// <see cref="Versions"/> names no version.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeaderTimeout, TimeSpan.Zero, nameof(HeaderTimeout));
        if ((Versions & ProxyProtocolVersions.Any) == 0 || (Versions & ~ProxyProtocolVersions.Any) != 0)
            throw new ArgumentOutOfRangeException(nameof(Versions), Versions, "Accept version 1, version 2 or both.");
    }
}

namespace RxNet.Http;

/// <summary>What a WebSocket client adds to its opening handshake, and how long it waits for it: every default
/// named, with its reason in the project's ADR 0047.</summary>
/// <remarks>The socket's own limits and timings (message size, keep-alive, close timeout) and the subprotocols offered
/// are <see cref="WebSocketOptions"/>, shared with the server end.</remarks>
public sealed record WebSocketClientOptions
{
    /// <summary>The default <see cref="MaxRejectionBodySize"/>: 4 KiB, enough for an error page's explanation.</summary>
    public const int DefaultMaxRejectionBodySize = 4 * 1024;

    /// <summary>The defaults.</summary>
    public static WebSocketClientOptions Default { get; } = new();

    /// <summary>The <c>Origin</c> field sent, as a browser sends it (<c>https://app.example</c>); null (the default)
    /// sends none, as non-browser clients do. Servers that check origins refuse a missing or unknown one with 403.</summary>
    public string? Origin { get; init; }

    /// <summary>More request fields (an <c>Authorization</c>, a cookie, a tracing header), sent in this order after
    /// the handshake's own. None by default. The handshake's fields (<c>Upgrade</c>, <c>Connection</c>,
    /// <c>Sec-WebSocket-*</c>) are the client's and may not be given here.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>How long the whole opening handshake may take, from the subscription (connecting included) to the
    /// <c>101</c> (or a refusal's body, read up to <see cref="MaxRejectionBodySize"/>); then the connection is
    /// aborted and the subscription fails with <see cref="TimeoutException"/>. Default 10 seconds (Python
    /// <c>websockets</c>' <c>open_timeout</c>); <see cref="Timeout.InfiniteTimeSpan"/> waits as long as the agent's
    /// own timeouts allow.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How much of a refusal's body (any status but <c>101</c>) is read into
    /// <see cref="WebSocketUpgradeRejectedException.Response"/>; the rest is not read (the connection is closed).
    /// Default 4 KiB.</summary>
    public int MaxRejectionBodySize { get; init; } = DefaultMaxRejectionBodySize;

    /// <summary>Checks the values a handshake relies on.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Headers, nameof(Headers));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRejectionBodySize, nameof(MaxRejectionBodySize));
        if (HandshakeTimeout != Timeout.InfiniteTimeSpan)
            ArgumentOutOfRangeException.ThrowIfLessThan(HandshakeTimeout, TimeSpan.Zero, nameof(HandshakeTimeout));
        foreach (var (name, _) in Headers)
        {
            if (name.StartsWith("Sec-WebSocket-", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"The field {name} belongs to the WebSocket handshake and cannot be set in Headers.", nameof(Headers));
        }
    }
}

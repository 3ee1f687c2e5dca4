namespace RxNet.Http;

/// <summary>Limits, timings and negotiation of a server's WebSockets; every default named, with its reason in the
/// project's ADRs (0045 for the message limit, 0046 for the timings).</summary>
public sealed record WebSocketOptions
{
    /// <summary>The default <see cref="SendFrameSize"/>: 64 KiB, a connection's high-water mark, so one frame never
    /// fills the output alone and a ping can pass between the frames of a large message.</summary>
    public const int DefaultSendFrameSize = 64 * 1024;

    /// <summary>The defaults.</summary>
    public static WebSocketOptions Default { get; } = new();

    /// <summary>The longest message received, all fragments together; past it the socket closes with 1009, decided
    /// from the frame header before any payload is buffered. Default 1 MiB
    /// (<see cref="WebSocketFrameCodec.DefaultMaxMessageSize"/>).</summary>
    public long MaxMessageSize { get; init; } = WebSocketFrameCodec.DefaultMaxMessageSize;

    /// <summary>The largest frame sent: longer messages go out as several frames. Default 64 KiB.</summary>
    public int SendFrameSize { get; init; } = DefaultSendFrameSize;

    /// <summary>How often a ping is sent while the socket reads its messages; <see cref="TimeSpan.Zero"/> or
    /// <see cref="Timeout.InfiniteTimeSpan"/> sends none. Default 20 seconds (ASP.NET Core sends every 2 minutes,
    /// longer than the 60 seconds after which common load balancers drop an idle connection).</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a ping waits for its pong; then the connection is aborted as dead
    /// (<see cref="WebSocketCloseCode.AbnormalClosure"/>). Default 20 seconds.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a close frame sent by this side waits for the peer's; then the connection is aborted.
    /// Default 10 seconds.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The subprotocols this server speaks, most preferred first: the first one the client also offers is
    /// selected (<see cref="WebSocket.Subprotocol"/>); none in common means none is selected. Empty by default.</summary>
    public IReadOnlyList<string> Subprotocols { get; init; } = [];

    /// <summary>Decides from the request's <c>Origin</c> field (null when absent) whether to accept it; a refusal is
    /// <c>403 Forbidden</c>. Null (the default) accepts every origin: set it for a socket that browsers reach with
    /// cookies, against cross-site WebSocket hijacking.</summary>
    public Func<string?, bool>? CheckOrigin { get; init; }

    /// <summary>permessage-deflate (RFC 7692): null (the default) neither offers nor accepts it; set, a server accepts a
    /// client's offer on these terms and a client offers them. Off by default because compression costs CPU on every
    /// message and zlib state per socket (240 to 390 KB to compress, 70 KB to decompress, with context takeover), which
    /// small or already compressed messages do not repay; and because compressed messages mixed with attacker-chosen
    /// text leak secrets through their sizes (CRIME, BREACH). See <see cref="WebSocketDeflateOptions"/>.</summary>
    public WebSocketDeflateOptions? Compression { get; init; }

    /// <summary>The default <see cref="MaxStreamedMessageSize"/>: 1 GiB.</summary>
    public const long DefaultMaxStreamedMessageSize = 1L << 30;

    /// <summary>Opts into streamed messages: a message longer than this many bytes (inflated, for a compressed one) is
    /// delivered, as soon as it grows past it, as a <see cref="WebSocketMessage"/> whose <see cref="WebSocketMessage.Body"/>
    /// streams its payload. Null (the default): every message is whole, up to <see cref="MaxMessageSize"/>. At most
    /// <see cref="MaxMessageSize"/>.</summary>
    /// <remarks>A streamed message holds no more than one piece of its payload in memory (what one read brought, or one
    /// 16 KiB inflate step), whatever its length, so its limit is <see cref="MaxStreamedMessageSize"/>, not
    /// <see cref="MaxMessageSize"/>.</remarks>
    public long? StreamThreshold { get; init; }

    /// <summary>The longest streamed message (with <see cref="StreamThreshold"/> set), inflated; past it the socket closes
    /// with 1009. It bounds what a peer can make the application consume, not memory. Default 1 GiB.</summary>
    public long MaxStreamedMessageSize { get; init; } = DefaultMaxStreamedMessageSize;

    /// <summary>Checks the values a socket relies on.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxMessageSize, nameof(MaxMessageSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(SendFrameSize, 1, nameof(SendFrameSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(KeepAliveTimeout, TimeSpan.Zero, nameof(KeepAliveTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(CloseTimeout, TimeSpan.Zero, nameof(CloseTimeout));
        Compression?.Validate();
        if (StreamThreshold is { } threshold)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(threshold, nameof(StreamThreshold));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, MaxMessageSize, nameof(StreamThreshold));
            ArgumentOutOfRangeException.ThrowIfLessThan(MaxStreamedMessageSize, MaxMessageSize, nameof(MaxStreamedMessageSize));
        }
    }
}

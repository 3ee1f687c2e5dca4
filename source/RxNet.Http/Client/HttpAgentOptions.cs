using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace RxNet.Http;

/// <summary>
/// The settings of an <see cref="HttpAgent"/>: how an origin maps to an endpoint, the pool's bounds, the timeouts and
/// the limits a response must keep. Each default is named, with its reason, in the guide and the ADRs.
/// </summary>
/// <remarks>
/// Every timeout runs on the agent's scheduler, so on a <c>TestScheduler</c> it fires at an exact virtual tick.
/// <see cref="Timeout.InfiniteTimeSpan"/> turns a timeout off.
/// </remarks>
public sealed record HttpAgentOptions
{
    /// <summary>The defaults.</summary>
    public static HttpAgentOptions Default { get; } = new();

    /// <summary>Maps an origin to the endpoint its connections are made with (as <c>SocketsHttpHandler.ConnectCallback</c>
    /// does). <see langword="null"/> (the default): <c>http</c> to the reactor's <c>tcp:host=H:port=P</c> and
    /// <c>https</c> to <c>tls:host=H:port=P:alpn=http/1.1</c> (SNI and the certificate's name are the host), or,
    /// for an agent made on one endpoint, that endpoint for every origin.</summary>
    /// <remarks>Called when an origin gets a pool: on its first request, and again after its pool left the agent
    /// (once it had no connection and no request waiting), under the agent's lock, so it should be quick and give the
    /// same endpoint for the same origin.</remarks>
    public Func<HttpOrigin, IClientEndpoint>? Resolve { get; init; }

    /// <summary>The most connections open (or being opened) to one origin at once. Default 6, as browsers keep per
    /// host (Twisted keeps 2, <c>SocketsHttpHandler</c> has no cap): enough to overlap requests, few enough not to
    /// look like a flood to a server.</summary>
    public int MaxConnectionsPerOrigin { get; init; } = 6;

    /// <summary>How long a connection may sit idle in the pool before it is closed. Default 60 s: under nginx's
    /// 75 s keep-alive timeout (and Kestrel's 130 s), so the client usually closes first and rarely sends on a
    /// connection the server is closing.</summary>
    public TimeSpan PooledConnectionIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The most requests that may wait for a connection to one origin; one more fails at once with an
    /// <see cref="HttpProtocolException"/> (<see cref="HttpProtocolError.TooManyPendingRequests"/>). Default 1024:
    /// a queue that grows without bound is a memory leak under a slow server.</summary>
    public int MaxPendingRequestsPerOrigin { get; init; } = 1024;

    /// <summary>How long connecting may take before it fails with <see cref="TimeoutException"/>. Default 30 s,
    /// Twisted's connect timeout.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after the request head was sent the response head may take. Default 100 s, as
    /// <c>HttpClient.Timeout</c> bounds a request until its headers.</summary>
    public TimeSpan ResponseHeadersTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long the whole response may take, from the request to the end of its body. Default infinite:
    /// a large download is not an error; <see cref="BodyIdleTimeout"/> catches a stalled one.</summary>
    public TimeSpan ResponseTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>How long a body may go without a byte while its caller reads it (time the caller spends not reading
    /// does not count). Default 100 s, as <see cref="ResponseHeadersTimeout"/>.</summary>
    public TimeSpan BodyIdleTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long a request with <c>Expect: 100-continue</c> waits for the <c>100</c> before it sends its body
    /// anyway. Default 1 s, as <c>SocketsHttpHandler</c>.</summary>
    public TimeSpan ExpectContinueTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest response header section, in bytes. Default 64 KiB, as <c>SocketsHttpHandler</c>'s
    /// <c>MaxResponseHeadersLength</c>.</summary>
    public int MaxResponseHeadersTotalSize { get; init; } = 64 * 1024;

    /// <summary>The most header fields a response may have. Default 100, as Kestrel allows a request.</summary>
    public int MaxResponseHeaderCount { get; init; } = 100;

    /// <summary>The longest status line, CRLF included. Default 8 KiB, as the server's request line.</summary>
    public int MaxStatusLineSize { get; init; } = 8 * 1024;

    /// <summary>The largest response body, in bytes, or <see langword="null"/> (the default) for none: a body is a
    /// stream, and what holds it is the caller's choice (<c>ReadBody</c> has its own limit).</summary>
    public long? MaxResponseBodySize { get; init; }

    /// <summary>The most bytes of a body the caller discarded that are read so its connection can be reused; past
    /// it the connection is closed instead. Default 1 MiB, as <c>SocketsHttpHandler</c>.</summary>
    public long MaxResponseDrainSize { get; init; } = 1024 * 1024;

    /// <summary>How long draining a discarded body may take before its connection is closed instead. Default 2 s,
    /// as <c>SocketsHttpHandler</c>.</summary>
    public TimeSpan ResponseDrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where the agent logs why it closed a connection (a broken response, a limit, a timeout).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Creates the pool's instruments (on the <c>RxNet</c> meter); a process-wide meter when
    /// <see langword="null"/>.</summary>
    public IMeterFactory? MeterFactory { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxConnectionsPerOrigin);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxPendingRequestsPerOrigin);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxResponseHeadersTotalSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxResponseHeaderCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxStatusLineSize);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxResponseDrainSize);
        if (MaxResponseBodySize < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxResponseBodySize), MaxResponseBodySize, "A body size limit cannot be negative.");
        foreach (var (name, value) in new[]
        {
            (nameof(PooledConnectionIdleTimeout), PooledConnectionIdleTimeout), (nameof(ConnectTimeout), ConnectTimeout),
            (nameof(ResponseHeadersTimeout), ResponseHeadersTimeout), (nameof(ResponseTimeout), ResponseTimeout),
            (nameof(BodyIdleTimeout), BodyIdleTimeout), (nameof(ExpectContinueTimeout), ExpectContinueTimeout),
            (nameof(ResponseDrainTimeout), ResponseDrainTimeout),
        })
        {
            if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
                throw new ArgumentOutOfRangeException(name, value, "A timeout is positive, zero, or Timeout.InfiniteTimeSpan.");
        }
    }
}

using Microsoft.Extensions.Logging;

namespace RxNet.Http;

/// <summary>
/// The limits and timeouts of an HTTP server. Every default is Kestrel's, so an application moved from ASP.NET
/// Core behaves the same at the edges. Change them with a <c>with</c> expression:
/// <c>HttpServerOptions.Default with { MaxRequestBodySize = null }</c>.
/// </summary>
/// <remarks>Every timeout runs on the server's scheduler, so on a <c>TestScheduler</c> it fires at an exact virtual tick.</remarks>
public sealed record HttpServerOptions
{
    /// <summary>The defaults.</summary>
    public static HttpServerOptions Default { get; } = new();

    /// <summary>The longest request line (method, target, version and CRLF) in bytes; longer gets 414. Default 8 KiB.</summary>
    public int MaxRequestLineSize { get; init; } = 8 * 1024;

    /// <summary>The largest header section (every field line with its CRLF, and the final CRLF) in bytes; larger gets
    /// 431. Also bounds a chunked body's trailer section. Default 32 KiB.</summary>
    public int MaxRequestHeadersTotalSize { get; init; } = 32 * 1024;

    /// <summary>The most header fields a request may have; more gets 431. Also bounds a trailer section. Default 100.</summary>
    public int MaxRequestHeaderCount { get; init; } = 100;

    /// <summary>The largest request body in bytes, or <see langword="null"/> for no limit; larger gets 413. A handler
    /// can change it per request through <see cref="HttpRequest.MaxBodySize"/>. Default 30,000,000 (about 28.6 MiB).</summary>
    public long? MaxRequestBodySize { get; init; } = 30_000_000;

    /// <summary>How long a client has to send a whole request head: from the connection's start for its first request,
    /// from the head's first byte for the next ones (until then <see cref="KeepAliveTimeout"/> runs); past it the
    /// connection gets 408 and is closed. Default 30 s.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle keep-alive connection stays open between requests. Default 130 s.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);

    /// <summary>The slowest a client may send a request body once the grace period has passed, or <see langword="null"/>
    /// for no minimum. The clock runs only while the server is waiting to read body bytes, never while the handler
    /// has paused the body. Default 240 B/s after 5 s.</summary>
    public HttpDataRate? MinRequestBodyDataRate { get; init; } = new(240, TimeSpan.FromSeconds(5));

    /// <summary>The slowest a client may read a response once the grace period has passed, or <see langword="null"/> for
    /// no minimum. The clock runs only while the server waits on the client (its output is above the high-water mark).
    /// Default 240 B/s after 5 s.</summary>
    public HttpDataRate? MinResponseDataRate { get; init; } = new(240, TimeSpan.FromSeconds(5));

    /// <summary>The most request bytes a connection reads ahead of the request being handled (pipelined requests
    /// waiting their turn, and the unread rest of the current chunk); past it the server stops reading, so TCP's
    /// window holds the client back. Also bounds the bytes kept while a head is incomplete, on top of the head's own
    /// limits. Default 1 MiB, as Kestrel's <c>MaxRequestBufferSize</c>.</summary>
    public int MaxRequestBufferSize { get; init; } = 1024 * 1024;

    /// <summary>How many bytes of a request body its handler left unread the server reads and discards after the
    /// response, to reach the next request of a keep-alive connection. A body known to be longer gets
    /// <c>Connection: close</c> instead; a chunked one that turns out longer closes the connection when the limit is
    /// crossed. Default 1 MiB.</summary>
    public long MaxRequestBodyDrainSize { get; init; } = 1024 * 1024;

    /// <summary>Where the server logs why it refused a request or closed a connection; none when <see langword="null"/>.</summary>
    public ILogger? Logger { get; init; }
}

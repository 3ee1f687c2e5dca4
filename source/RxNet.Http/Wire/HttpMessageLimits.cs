namespace RxNet.Http;

/// <summary>The size limits of a message head and of a chunked body's framing, on either side of an exchange.</summary>
/// <param name="MaxStartLineSize">The request line or status line, CRLF included; also a chunk's size line.</param>
/// <param name="MaxHeadersTotalSize">The header section (and a trailer section), every CRLF included.</param>
/// <param name="MaxHeaderCount">How many fields a header (or trailer) section may have.</param>
internal readonly record struct HttpMessageLimits(int MaxStartLineSize, int MaxHeadersTotalSize, int MaxHeaderCount)
{
    /// <summary>A server's limits on the requests it reads.</summary>
    /// <param name="options">The server's options.</param>
    /// <returns><see cref="HttpServerOptions.MaxRequestLineSize"/>, <see cref="HttpServerOptions.MaxRequestHeadersTotalSize"/>
    /// and <see cref="HttpServerOptions.MaxRequestHeaderCount"/>.</returns>
    public static HttpMessageLimits Of(HttpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.MaxRequestLineSize, options.MaxRequestHeadersTotalSize, options.MaxRequestHeaderCount);
    }

    /// <summary>The name of the start-line limit in the options a user sets, for messages.</summary>
    public static string StartLineName(HttpMessageKind kind) =>
        kind == HttpMessageKind.Request ? "MaxRequestLineSize" : "MaxStatusLineSize";

    /// <summary>The name of the header-section size limit in the options a user sets, for messages.</summary>
    public static string HeadersTotalName(HttpMessageKind kind) =>
        kind == HttpMessageKind.Request ? "MaxRequestHeadersTotalSize" : "MaxResponseHeadersTotalSize";

    /// <summary>The name of the field-count limit in the options a user sets, for messages.</summary>
    public static string HeaderCountName(HttpMessageKind kind) =>
        kind == HttpMessageKind.Request ? "MaxRequestHeaderCount" : "MaxResponseHeaderCount";
}

namespace RxNet.Http;

/// <summary>The rule of HTTP/1.1 that a peer broke; carried by <see cref="HttpProtocolException"/>.</summary>
public enum HttpProtocolError
{
    /// <summary>The request line is malformed (RFC 9112 §3): 400.</summary>
    InvalidRequestLine,

    /// <summary>The request line is longer than <see cref="HttpServerOptions.MaxRequestLineSize"/>: 414.</summary>
    RequestLineTooLong,

    /// <summary>The request target is not in a form its method allows (RFC 9112 §3.2): 400.</summary>
    InvalidRequestTarget,

    /// <summary>The HTTP version is not 1.0 or 1.1: 505.</summary>
    UnsupportedVersion,

    /// <summary>A field line is malformed: whitespace before the colon, a name that is not a token, obs-fold,
    /// a bare CR or LF, or a control character in a value (RFC 9112 §5): 400.</summary>
    InvalidHeader,

    /// <summary>The header section is larger than <see cref="HttpServerOptions.MaxRequestHeadersTotalSize"/> or has
    /// more fields than <see cref="HttpServerOptions.MaxRequestHeaderCount"/>: 431.</summary>
    HeadersTooLarge,

    /// <summary>An HTTP/1.1 request has no Host field, or more than one (RFC 9112 §3.2): 400.</summary>
    InvalidHost,

    /// <summary>Content-Length is not digits only, or several disagree, or it is a list (RFC 9112 §6.3): 400.</summary>
    InvalidContentLength,

    /// <summary>Transfer-Encoding names a coding the server does not implement, or chunked is not last (RFC 9112 §6.1): 501 or 400.</summary>
    UnsupportedTransferEncoding,

    /// <summary>A request has both Transfer-Encoding and Content-Length (RFC 9112 §6.1, request smuggling): 400.</summary>
    ConflictingFraming,

    /// <summary>A chunk's size line, extension or terminator is malformed (RFC 9112 §7.1): 400.</summary>
    InvalidChunk,

    /// <summary>The body is larger than the request's <see cref="HttpRequest.MaxBodySize"/>: 413.</summary>
    BodyTooLarge,

    /// <summary>The client closed the connection before the whole body arrived: 400.</summary>
    IncompleteBody,

    /// <summary>The request head did not arrive within <see cref="HttpServerOptions.RequestHeadersTimeout"/>: 408.</summary>
    HeadersTimeout,

    /// <summary>The client sent the body slower than <see cref="HttpServerOptions.MinRequestBodyDataRate"/>: 408.</summary>
    RequestBodyTooSlow,

    /// <summary>The client read the response slower than <see cref="HttpServerOptions.MinResponseDataRate"/> (no status can be sent).</summary>
    ResponseTooSlow,

    /// <summary>The request carries an <c>Expect</c> field with an expectation other than <c>100-continue</c>
    /// (RFC 9110 §10.1.1): 417.</summary>
    ExpectationFailed,

    /// <summary>A response's status line is malformed: not <c>HTTP/1.x</c>, a status code that is not three digits
    /// from 100 to 599, a reason phrase holding a control character, or a line not ended by CRLF (RFC 9112 §4).
    /// The client reports it with status 502: the server's answer is bad.</summary>
    InvalidStatusLine = 17,

    /// <summary>A response's status line did not end within the client's <c>MaxStatusLineSize</c> bytes. The
    /// client reports it with status 502 and closes the connection.</summary>
    StatusLineTooLong = 18,

    /// <summary>A client waited longer than its <c>ResponseHeadersTimeout</c> for a response head: 504.</summary>
    ResponseHeadersTimeout = 21,

    /// <summary>A client's whole response (head and body) took longer than its <c>ResponseTimeout</c>: 504.</summary>
    ResponseTimeout = 22,

    /// <summary>No byte of a response body arrived for the client's <c>BodyIdleTimeout</c> while its caller read: 504.</summary>
    BodyIdleTimeout = 23,

    /// <summary>A request body a client sent had more or fewer bytes than the request's Content-Length: 400 (the
    /// connection is aborted, since the server can no longer tell where the next request starts).</summary>
    RequestBodyLengthMismatch = 24,

    /// <summary>More requests than a client's <c>MaxPendingRequestsPerOrigin</c> were waiting for a connection: 503.</summary>
    TooManyPendingRequests = 25,

    /// <summary>The server closed the connection before the whole response (its head, or its body as framed)
    /// arrived: 502.</summary>
    ResponseEndedEarly = 26,

    /// <summary>A client following redirects met more than <see cref="HttpRedirectOptions.MaxRedirects"/> of them in a
    /// row (Twisted's <c>InfiniteRedirection</c>): 502.</summary>
    TooManyRedirects = 27,

    /// <summary>A client following redirects refused one: from https to http without
    /// <see cref="HttpRedirectOptions.AllowInsecureRedirects"/>, a <c>Location</c> that is not an http or https URI, or
    /// (with <see cref="HttpRedirectOptions.Strict"/>) a 301, 302, 307 or 308 to a request other than GET or HEAD,
    /// as Twisted's <c>RedirectAgent</c> refuses it: 502.</summary>
    RedirectRefused = 28,

    /// <summary>A response body decoded by <c>DecodeContent</c> grew past its decoded-size limit (a decompression bomb
    /// is stopped there, before more is inflated): 502.</summary>
    DecodedBodyTooLarge = 29,

    /// <summary>A response body does not decode as its <c>Content-Encoding</c> says (corrupt gzip, deflate or br
    /// data): 502.</summary>
    InvalidContentEncoding = 30,

    /// <summary>A WebSocket client's upgrade was answered with <c>101</c> but not as RFC 6455 §4.1 requires: no
    /// <c>Upgrade: websocket</c>, no <c>Connection: upgrade</c>, or a <c>Sec-WebSocket-Accept</c> that does not match the
    /// key sent. The client fails the connection: 502.</summary>
    WebSocketHandshakeInvalid = 31,

    /// <summary>A WebSocket server selected a subprotocol or an extension the client had not offered (RFC 6455 §4.1
    /// says the client must then fail the connection): 502.</summary>
    WebSocketNegotiationInvalid = 32,
}

namespace RxNet.Http.Specs.Wire;

/// <summary>
/// RFC 9112's framing rules and the CVEs of HTTP/1.1 servers as named cases, each fed at every cut into two or
/// three chunks and byte by byte: every cut must give the same exchanges or the same error.
/// </summary>
public sealed class ConformanceSpecs
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "valid GET", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET / 1.1 [Host: a]" },
        { "valid POST with Content-Length", "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", "POST /p 1.1 [Host: a] [Content-Length: 3] length=3 body=abc" },
        { "valid chunked with extension and trailer", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=\"y\"\r\nabc\r\n0\r\nT: v\r\n\r\n", "POST / 1.1 [Host: a] [Transfer-Encoding: chunked] chunked body=abc {T: v}" },

        // RFC 9112 §2.2, §3: the request line
        { "leading empty lines are skipped", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET / 1.1 [Host: a]" },
        { "leading bare LF", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", "error InvalidRequestLine 400" },
        { "two spaces after the method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "error InvalidRequestLine 400" },
        { "two spaces before the version", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", "error InvalidRequestLine 400" },
        { "tab as a separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", "error InvalidRequestLine 400" },
        { "method not a token", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", "error InvalidRequestLine 400" },
        { "extension method", "PURGE /x HTTP/1.1\r\nHost: a\r\n\r\n", "PURGE /x 1.1 [Host: a]" },
        { "control byte in the target", "GET /a\u0001b HTTP/1.1\r\nHost: a\r\n\r\n", "error InvalidRequestTarget 400" },
        { "obs-text in the target", "GET /caf\xe9 HTTP/1.1\r\nHost: a\r\n\r\n", "error InvalidRequestTarget 400" },
        { "HTTP/0.9 request line", "GET /\r\n\r\n", "error InvalidRequestLine 400" },
        { "trailing space after the version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", "error InvalidRequestLine 400" },
        { "lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", "error InvalidRequestLine 400" },
        { "two-digit minor version", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", "error InvalidRequestLine 400" },
        { "HTTP/2.0 is well-formed but unsupported", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", "error UnsupportedVersion 505" },
        { "HTTP/1.2 is well-formed but unsupported", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", "error UnsupportedVersion 505" },
        { "request line ended by a bare LF", "GET / HTTP/1.1\nHost: a\r\n\r\n", "error InvalidRequestLine 400" },
        { "request line ended by a bare CR", "GET / HTTP/1.1\rHost: a\r\n\r\n", "error InvalidRequestLine 400" },
        { "HTTP/1.0 without Host, closes", "GET / HTTP/1.0\r\n\r\n", "GET / 1.0 close" },
        { "HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", "GET / 1.0 [Connection: Keep-Alive]" },
        { "HTTP/1.1 Connection: close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", "GET / 1.1 [Host: a] [Connection: close] close" },

        // RFC 9112 §3.2: target forms against the method
        { "absolute-form", "GET http://a.example:80/p?q HTTP/1.1\r\nHost: a.example\r\n\r\n", "GET http://a.example:80/p?q 1.1 [Host: a.example]" },
        { "authority-form for CONNECT", "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n", "CONNECT a.example:443 1.1 [Host: a.example:443]" },
        { "CONNECT with an origin-form target", "CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", "error InvalidRequestTarget 400" },
        { "CONNECT without a port", "CONNECT a.example HTTP/1.1\r\nHost: a\r\n\r\n", "error InvalidRequestTarget 400" },
        { "authority-form for GET", "GET a.example:443 HTTP/1.1\r\nHost: a\r\n\r\n", "error InvalidRequestTarget 400" },
        { "asterisk-form for OPTIONS", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "OPTIONS * 1.1 [Host: a]" },
        { "asterisk-form for GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", "error InvalidRequestTarget 400" },
        { "relative target", "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", "error InvalidRequestTarget 400" },

        // RFC 9112 §5, RFC 9110 §5.5: field lines
        { "OWS around a value is stripped", "GET / HTTP/1.1\r\nHost:\t a \t\r\nX:\r\n\r\n", "GET / 1.1 [Host: a] [X: ]" },
        { "obs-text in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: caf\xe9\r\n\r\n", "GET / 1.1 [Host: a] [X: caf\xe9]" },
        { "whitespace before the colon", "GET / HTTP/1.1\r\nHost: a\r\nX : 1\r\n\r\n", "error InvalidHeader 400" },
        { "name not a token", "GET / HTTP/1.1\r\nHost: a\r\nX(: 1\r\n\r\n", "error InvalidHeader 400" },
        { "empty name", "GET / HTTP/1.1\r\nHost: a\r\n: 1\r\n\r\n", "error InvalidHeader 400" },
        { "line without a colon", "GET / HTTP/1.1\r\nHost: a\r\nX\r\n\r\n", "error InvalidHeader 400" },
        { "obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n", "error InvalidHeader 400" },
        { "whitespace before the first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", "error InvalidHeader 400" },
        { "bare CR in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", "error InvalidHeader 400" },
        { "NUL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", "error InvalidHeader 400" },
        { "DEL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u007fb\r\n\r\n", "error InvalidHeader 400" },
        { "bare LF ends a field line", "GET / HTTP/1.1\r\nHost: a\nX: 1\r\n\r\n", "error InvalidHeader 400" },
        { "bare LF ends the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", "error InvalidHeader 400" },
        { "bare CR ends the head", "GET / HTTP/1.1\r\nHost: a\r\n\rX", "error InvalidHeader 400" },

        // RFC 9112 §3.2: Host
        { "HTTP/1.1 without Host", "GET / HTTP/1.1\r\nX: 1\r\n\r\n", "error InvalidHost 400" },
        { "two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", "error InvalidHost 400" },
        { "Host with a path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", "error InvalidHost 400" },
        { "Host with a bad port", "GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n", "error InvalidHost 400" },
        { "Host with user info", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", "error InvalidHost 400" },
        { "Host IPv6 literal and port", "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", "GET / 1.1 [Host: [::1]:80]" },
        { "empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", "GET / 1.1 [Host: ]" },

        // RFC 9112 §6: framing
        { "Content-Length list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\na", "error InvalidContentLength 400" },
        { "Content-Length hex", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x1\r\n\r\na", "error InvalidContentLength 400" },
        { "Content-Length inner space", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 0\r\n\r\n", "error InvalidContentLength 400" },
        { "Content-Length empty", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", "error InvalidContentLength 400" },
        { "Content-Length overflow", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808\r\n\r\n", "error InvalidContentLength 400" },
        { "Content-Length largest", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0009223372036854775807\r\n\r\n", "incomplete body" },
        { "Transfer-Encoding on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "error UnsupportedTransferEncoding 400" },
        { "Transfer-Encoding gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", "error UnsupportedTransferEncoding 501" },
        { "Transfer-Encoding gzip, chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "error UnsupportedTransferEncoding 501" },
        { "Transfer-Encoding chunked, gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "error UnsupportedTransferEncoding 400" },
        { "Transfer-Encoding chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", "error UnsupportedTransferEncoding 400" },
        { "Transfer-Encoding chunked in another case", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n", "POST / 1.1 [Host: a] [Transfer-Encoding: Chunked] chunked" },
        { "Transfer-Encoding not a token", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n", "error UnsupportedTransferEncoding 400" },

        // RFC 9110 §10.1.1: Expect
        { "Expect 100-continue", "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\na", "POST / 1.1 [Host: a] [Expect: 100-Continue] [Content-Length: 1] length=1 continue body=a" },
        { "Expect something else", "POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", "error ExpectationFailed 417" },
        { "Expect on HTTP/1.0 is ignored", "GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n", "GET / 1.0 [Expect: 100-continue] close" },
        { "Upgrade listed in Connection", "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", "GET / 1.1 [Host: a] [Connection: Upgrade] [Upgrade: websocket] upgrade=websocket" },
        { "Upgrade not listed in Connection", "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n", "GET / 1.1 [Host: a] [Upgrade: websocket]" },

        // RFC 9112 §7.1: chunked
        { "chunk size upper-case hex", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", "POST / 1.1 [Host: a] [Transfer-Encoding: chunked] chunked body=0123456789" },
        { "chunk size overflow", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n80000000000000000\r\n", "error InvalidChunk 400" },
        { "chunk size signed", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", "error InvalidChunk 400" },
        { "chunk size missing", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n;x\r\n", "error InvalidChunk 400" },
        { "chunk extension BWS and quoted-pair", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1 ; a = \"b\\\"c\" ;d\r\nx\r\n0\r\n\r\n", "POST / 1.1 [Host: a] [Transfer-Encoding: chunked] chunked body=x" },
        { "chunk extension without a name", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;=b\r\nx\r\n0\r\n\r\n", "error InvalidChunk 400" },
        { "chunk extension unterminated quote", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;a=\"b\r\nx\r\n0\r\n\r\n", "error InvalidChunk 400" },
        { "chunk extension trailing whitespace", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;a=b \r\nx\r\n0\r\n\r\n", "error InvalidChunk 400" },
        { "chunk data longer than its size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n", "error InvalidChunk 400" },
        { "bare CR after chunk data", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\rx0\r\n\r\n", "error InvalidChunk 400" },
        { "trailer with obs-fold", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 1\r\n 2\r\n\r\n", "error InvalidHeader 400" },
        { "trailer ended by a bare LF", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n", "error InvalidHeader 400" },
        { "chunked then pipelined", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n", "POST / 1.1 [Host: a] [Transfer-Encoding: chunked] chunked body=hi; GET /b 1.1 [Host: a]" },

        // CVE-2020-10108, CVE-2020-10109
        { "CVE-2020-10108 two Content-Lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "error InvalidContentLength 400" },
        { "CVE-2020-10108 two equal Content-Lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na", "error InvalidContentLength 400" },
        { "CVE-2020-10109 Content-Length with Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "error ConflictingFraming 400" },

        // CVE-2022-24801
        { "CVE-2022-24801 Content-Length +10", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\na", "error InvalidContentLength 400" },
        { "CVE-2022-24801 Content-Length -1", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", "error InvalidContentLength 400" },
        { "CVE-2022-24801 chunk size 0x", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n", "error InvalidChunk 400" },
        { "CVE-2022-24801 space before chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n 3\r\nabc\r\n0\r\n\r\n", "error InvalidChunk 400" },
        { "CVE-2022-24801 space after chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n", "error InvalidChunk 400" },
        { "CVE-2022-24801 space before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", "error InvalidHeader 400" },

        // CVE-2023-46137, CVE-2024-41671: pipelined requests, each head stops exactly at its end
        { "CVE-2024-41671 two requests in one buffer are never merged", "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: b\r\n\r\n", "GET /a 1.1 [Host: a]; GET /b 1.1 [Host: b]" },
        { "CVE-2024-41671 a body that looks like a request is a body", "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 19\r\n\r\nGET /x HTTP/1.1\r\n\r\n", "POST /a 1.1 [Host: a] [Content-Length: 19] length=19 body=GET /x HTTP/1.1\r\n\r\n" },
        { "CVE-2023-46137 pipelined after a body", "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhiGET /b HTTP/1.1\r\nHost: a\r\n\r\n", "POST /a 1.1 [Host: a] [Content-Length: 2] length=2 body=hi; GET /b 1.1 [Host: a]" },

        // Twisted #12754
        { "Twisted 12754 bare CR in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rSet-Cookie: b\r\n\r\n", "error InvalidHeader 400" },
        { "Twisted 12754 bare LF in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\nb\r\n\r\n", "error InvalidHeader 400" },

        // CVE-2025-55315, CVE-2025-22871, CVE-2025-58056
        { "CVE-2025-55315 bare LF in a chunk extension", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x\nabc\r\n0\r\n\r\n", "error InvalidChunk 400" },
        { "CVE-2025-22871 bare LF ends a chunk line", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", "error InvalidChunk 400" },
        { "CVE-2025-55315 bare LF in a quoted chunk extension", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=\"\n\"\r\nabc\r\n0\r\n\r\n", "error InvalidChunk 400" },
        { "CVE-2025-22871 bare LF ends the last chunk line", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\n\r\n", "error InvalidChunk 400" },
        { "CVE-2025-58056 LF-only last chunk terminator", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n", "error InvalidHeader 400" },
        { "CVE-2025-58056 LF-only chunk terminator", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n", "error InvalidChunk 400" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exchange_AtEverySplit_GivesTheSameResult(string name, string request, string expected)
    {
        Assert.NotEmpty(name);
        Exchanges.AtEverySplit(request, expected);
    }

    private static readonly HttpServerOptions s_small = HttpServerOptions.Default with
    {
        MaxRequestLineSize = 20,
        MaxRequestHeadersTotalSize = 40,
        MaxRequestHeaderCount = 2,
    };

    /// <summary>The limits, with small values: request line 20 bytes, header section 40 bytes, 2 fields.</summary>
    public static TheoryData<string, string, string> Limits => new()
    {
        { "request line at the limit", "GET /2345 HTTP/1.1\r\nHost: a\r\n\r\n", "GET /2345 1.1 [Host: a]" },
        { "request line one byte over, CRLF not yet sent", "GET /234567 HTTP/1.1", "error RequestLineTooLong 414" },
        { "long method", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "error RequestLineTooLong 414" },
        { "empty lines before the request line beyond the limit", "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\nGET", "error InvalidRequestLine 400" },
        { "header section at the limit", "GET / HTTP/1.1\r\nHost: a\r\nX: 345678901234567890123456\r\n\r\n", "GET / 1.1 [Host: a] [X: 345678901234567890123456]" },
        { "header section one byte over", "GET / HTTP/1.1\r\nHost: a\r\nX: 3456789012345678901234567\r\n\r\n", "error HeadersTooLarge 431" },
        { "header section over without its end", "GET / HTTP/1.1\r\nX: 34567890123456789012345678901234567890", "error HeadersTooLarge 431" },
        { "one field too many", "GET / HTTP/1.1\r\nHost: a\r\nB: 1\r\nC", "error HeadersTooLarge 431" },
        { "trailer section one field too many", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC", "error HeadersTooLarge 431" },
        { "chunk size line over the request-line limit", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;aaaaaaaaaaaaaaaaaaaa", "error InvalidChunk 400" },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void Limit_AtEverySplit_FailsAsSoonAsItIsCrossed(string name, string request, string expected)
    {
        Assert.NotEmpty(name);
        Exchanges.AtEverySplit(request, expected, s_small with { MaxRequestHeadersTotalSize = name.StartsWith("trailer", StringComparison.Ordinal) || name.StartsWith("chunk", StringComparison.Ordinal) ? 1000 : 40 });
    }
}

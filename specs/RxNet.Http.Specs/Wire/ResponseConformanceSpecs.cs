namespace RxNet.Http.Specs.Wire;

/// <summary>
/// RFC 9112's rules for responses and the framing a client must get right, as named cases, each fed at every cut
/// into two or three chunks and byte by byte: every cut must give the same heads and bodies or the same error.
/// Every error a response causes carries status 502.
/// </summary>
public sealed class ResponseConformanceSpecs
{
    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "length body", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", "1.1 200 \"OK\" [Content-Length: 3] length=3 body=abc" },
        { "chunked body with extension and trailer", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=\"y\"\r\nabc\r\n0\r\nT: v\r\n\r\n", "1.1 200 \"OK\" [Transfer-Encoding: chunked] chunked body=abc {T: v}" },
        { "two responses on one connection", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", "1.1 200 \"OK\" [Content-Length: 1] length=1 body=a; 1.1 404 \"Not Found\" [Content-Length: 0] length=0" },

        // RFC 9112 §4: the status line
        { "unregistered code and custom reason", "GET", "HTTP/1.1 299 Fine Thanks\r\nContent-Length: 0\r\n\r\n", "1.1 299 \"Fine Thanks\" [Content-Length: 0] length=0" },
        { "empty reason after its SP", "GET", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", "1.1 200 \"\" [Content-Length: 0] length=0" },
        { "no SP after the code is read as an empty reason", "GET", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", "1.1 200 \"\" [Content-Length: 0] length=0" },
        { "reason with HTAB and obs-text", "GET", "HTTP/1.1 200 tr\xe8s\tbien\r\nContent-Length: 0\r\n\r\n", "1.1 200 \"tr\xe8s\tbien\" [Content-Length: 0] length=0" },
        { "HTTP/1.0 response", "GET", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\na", "1.0 200 \"OK\" [Content-Length: 1] length=1 close body=a" },
        { "HTTP/1.0 keep-alive", "GET", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\na", "1.0 200 \"OK\" [Connection: keep-alive] [Content-Length: 1] length=1 body=a" },
        { "HTTP/1.1 Connection: close", "GET", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", "1.1 200 \"OK\" [Connection: close] [Content-Length: 0] length=0 close" },
        { "a later HTTP/1.x minor is read as 1.1", "GET", "HTTP/1.7 200 OK\r\nContent-Length: 0\r\n\r\n", "1.1 200 \"OK\" [Content-Length: 0] length=0" },
        { "HTTP/2.0 status line", "GET", "HTTP/2.0 200 OK\r\n\r\n", "error UnsupportedVersion 502" },
        { "HTTP/2 status line", "GET", "HTTP/2 200\r\n\r\n", "error InvalidStatusLine 502" },
        { "lower-case version", "GET", "http/1.1 200 OK\r\n\r\n", "error InvalidStatusLine 502" },
        { "HTTP/0.9 response (no status line)", "GET", "<html></html>", "error InvalidStatusLine 502" },
        { "empty line before the status line", "GET", "\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "error InvalidStatusLine 502" },
        { "two spaces before the code", "GET", "HTTP/1.1  200 OK\r\n\r\n", "error InvalidStatusLine 502" },
        { "two-digit code", "GET", "HTTP/1.1 20 OK\r\n\r\n", "error InvalidStatusLine 502" },
        { "four-digit code", "GET", "HTTP/1.1 2000 OK\r\n\r\n", "error InvalidStatusLine 502" },
        { "code below 100", "GET", "HTTP/1.1 099 Odd\r\n\r\n", "error InvalidStatusLine 502" },
        { "code above 599", "GET", "HTTP/1.1 600 Odd\r\n\r\n", "error InvalidStatusLine 502" },
        { "tab after the code", "GET", "HTTP/1.1 200\tOK\r\n\r\n", "error InvalidStatusLine 502" },
        { "NUL in the reason", "GET", "HTTP/1.1 200 O\0K\r\n\r\n", "error InvalidStatusLine 502" },
        { "DEL in the reason", "GET", "HTTP/1.1 200 O\u007fK\r\n\r\n", "error InvalidStatusLine 502" },
        { "status line ended by a bare LF", "GET", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", "error InvalidStatusLine 502" },
        { "bare CR in the status line", "GET", "HTTP/1.1 200 O\rK\r\n\r\n", "error InvalidStatusLine 502" },
        { "status line ended by a bare LF right after the code", "GET", "HTTP/1.1 200\n\r\n", "error InvalidStatusLine 502" },

        // RFC 9112 §5, RFC 9110 §5.5: field lines, as for requests
        { "OWS around a value is stripped", "GET", "HTTP/1.1 200 OK\r\nX:\t a \t\r\nContent-Length: 0\r\n\r\n", "1.1 200 \"OK\" [X: a] [Content-Length: 0] length=0" },
        { "whitespace before the colon", "GET", "HTTP/1.1 200 OK\r\nX : 1\r\n\r\n", "error InvalidHeader 502" },
        { "name not a token", "GET", "HTTP/1.1 200 OK\r\nX(: 1\r\n\r\n", "error InvalidHeader 502" },
        { "line without a colon", "GET", "HTTP/1.1 200 OK\r\nX\r\n\r\n", "error InvalidHeader 502" },
        { "obs-fold", "GET", "HTTP/1.1 200 OK\r\nX: 1\r\n 2\r\n\r\n", "error InvalidHeader 502" },
        { "bare CR in a value", "GET", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", "error InvalidHeader 502" },
        { "bare LF in a value", "GET", "HTTP/1.1 200 OK\r\nX: a\nSet-Cookie: b\r\n\r\n", "error InvalidHeader 502" },
        { "NUL in a value", "GET", "HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", "error InvalidHeader 502" },
        { "bare LF ends the head", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n", "error InvalidHeader 502" },

        // RFC 9112 §6.3: what has no body
        { "HEAD response with a length has no body", "HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "1.1 200 \"OK\" [Content-Length: 5]" },
        { "HEAD response with chunked has no body", "HEAD", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "1.1 200 \"OK\" [Transfer-Encoding: chunked]; 1.1 200 \"OK\" [Content-Length: 0]" },
        { "HEAD response without framing is not read to the close", "HEAD", "HTTP/1.1 200 OK\r\n\r\n", "1.1 200 \"OK\"" },
        { "204 with a length has no body", "GET", "HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "1.1 204 \"No Content\" [Content-Length: 3]; 1.1 200 \"OK\" [Content-Length: 0] length=0" },
        { "304 with a length has no body", "GET", "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", "1.1 304 \"Not Modified\" [Content-Length: 10]" },
        { "304 without framing is not read to the close", "GET", "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n", "1.1 304 \"Not Modified\" [ETag: \"x\"]" },
        { "100 Continue then the final response", "POST", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", "1.1 100 \"Continue\"; 1.1 201 \"Created\" [Content-Length: 2] length=2 body=ok" },
        { "103 Early Hints then the final response", "GET", "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "1.1 103 \"Early Hints\" [Link: </s.css>]; 1.1 200 \"OK\" [Content-Length: 0] length=0" },
        { "101 hands the bytes after it over", "GET", "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x00", "1.1 101 \"Switching Protocols\" [Connection: Upgrade] [Upgrade: websocket] upgrade=websocket; 2 bytes left" },
        { "2xx to CONNECT has no body whatever its fields", "CONNECT", "HTTP/1.1 200 Connection Established\r\nContent-Length: 5\r\n\r\ntunnel", "1.1 200 \"Connection Established\" [Content-Length: 5]; 6 bytes left" },
        { "4xx to CONNECT has its body", "CONNECT", "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 2\r\n\r\nno", "1.1 407 \"Proxy Authentication Required\" [Content-Length: 2] length=2 body=no" },
        { "bodiless responses still check their framing fields", "HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", "error ConflictingFraming 502" },

        // RFC 9112 §6.3: until the close
        { "no framing: the body runs to the close", "GET", "HTTP/1.1 200 OK\r\n\r\nall of it", "1.1 200 \"OK\" until-close close body=all of it (at the close)" },
        { "no framing on HTTP/1.0 keep-alive still runs to the close", "GET", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\nabc", "1.0 200 \"OK\" [Connection: keep-alive] until-close close body=abc (at the close)" },

        // RFC 9112 §6: Content-Length and Transfer-Encoding
        { "two equal Content-Lengths", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na", "1.1 200 \"OK\" [Content-Length: 1] [Content-Length: 1] length=1 body=a" },
        { "two different Content-Lengths", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "error InvalidContentLength 502" },
        { "Content-Length list", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\na", "error InvalidContentLength 502" },
        { "Content-Length signed", "GET", "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\na", "error InvalidContentLength 502" },
        { "Content-Length hex", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 0x1\r\n\r\na", "error InvalidContentLength 502" },
        { "Content-Length empty", "GET", "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", "error InvalidContentLength 502" },
        { "Content-Length overflow", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808\r\n\r\n", "error InvalidContentLength 502" },
        { "Content-Length with Transfer-Encoding", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "error ConflictingFraming 502" },
        { "Transfer-Encoding on HTTP/1.0", "GET", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "error UnsupportedTransferEncoding 502" },
        { "Transfer-Encoding gzip alone", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "error UnsupportedTransferEncoding 502" },
        { "Transfer-Encoding gzip, chunked", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "error UnsupportedTransferEncoding 502" },
        { "Transfer-Encoding chunked, gzip", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "error UnsupportedTransferEncoding 502" },
        { "Transfer-Encoding chunked twice", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", "error UnsupportedTransferEncoding 502" },
        { "Transfer-Encoding Chunked in another case", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n", "1.1 200 \"OK\" [Transfer-Encoding: Chunked] chunked" },

        // RFC 9112 §7.1: chunked, as for requests
        { "chunk size overflow", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n80000000000000000\r\n", "error InvalidChunk 502" },
        { "chunk size signed", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", "error InvalidChunk 502" },
        { "chunk data longer than its size", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n", "error InvalidChunk 502" },
        { "bare LF ends a chunk line", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", "error InvalidChunk 502" },
        { "trailer with obs-fold", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 1\r\n 2\r\n\r\n", "error InvalidHeader 502" },
        { "chunked then the next response", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", "1.1 200 \"OK\" [Transfer-Encoding: chunked] chunked body=hi; 1.1 204 \"No Content\"" },

        // A body longer than its Content-Length: the rest is not a response
        { "body longer than its Content-Length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabcd", "1.1 200 \"OK\" [Content-Length: 2] length=2 body=ab; error InvalidStatusLine 502" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Response_AtEverySplit_GivesTheSameResult(string name, string method, string response, string expected)
    {
        Assert.NotEmpty(name);
        Responses.AtEverySplit(response, expected, method);
    }

    private static readonly HttpMessageLimits s_small = new(MaxStartLineSize: 20, MaxHeadersTotalSize: 40, MaxHeaderCount: 2);

    /// <summary>The limits, with small values: status line 20 bytes, header section 40 bytes, 2 fields.</summary>
    public static TheoryData<string, string, string> Limits => new()
    {
        { "status line at the limit", "HTTP/1.1 200 OKAYY\r\nContent-Length: 0\r\n\r\n", "1.1 200 \"OKAYY\" [Content-Length: 0] length=0" },
        { "status line one byte over, CRLF not yet sent", "HTTP/1.1 200 OKAYYYY", "error StatusLineTooLong 502" },
        { "endless status line", "HTTP/1.1 200 OKAYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY", "error StatusLineTooLong 502" },
        { "header section at the limit", "HTTP/1.1 200 OK\r\nX: 345678901234567890123456789012345\r\n\r\n", "1.1 200 \"OK\" [X: 345678901234567890123456789012345] until-close close (at the close)" },
        { "header section one byte over", "HTTP/1.1 200 OK\r\nX: 3456789012345678901234567890123456\r\n\r\n", "error HeadersTooLarge 502" },
        { "endless field line", "HTTP/1.1 200 OK\r\nX: 34567890123456789012345678901234567890123", "error HeadersTooLarge 502" },
        { "one field too many", "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC", "error HeadersTooLarge 502" },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void Limit_AtEverySplit_FailsAsSoonAsItIsCrossed(string name, string response, string expected)
    {
        Assert.NotEmpty(name);
        Responses.AtEverySplit(response, expected, limits: s_small);
    }
}

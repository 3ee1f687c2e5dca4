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
        { "CVE-2023-46137 pipelined after a body", "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhiGET /b HTTP/1.1\r\nHost: a\r\n\r\n", "POST /a 1.1 [Host: a] [Content-Length: 2] length=2 body=hi; GET /b 1.1 [Host: a]" },

        // Twisted #12754
        { "Twisted 12754 bare LF in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\nb\r\n\r\n", "error InvalidHeader 400" },

        // CVE-2025-55315, CVE-2025-22871, CVE-2025-58056
        { "CVE-2025-55315 bare LF in a chunk extension", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x\nabc\r\n0\r\n\r\n", "error InvalidChunk 400" },
        { "CVE-2025-22871 bare LF ends a chunk line", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", "error InvalidChunk 400" },
        { "CVE-2025-58056 LF-only chunk terminator", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n", "error InvalidChunk 400" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exchange_AtEverySplit_GivesTheSameResult(string name, string request, string expected)
    {
        Assert.NotEmpty(name);
        Exchanges.AtEverySplit(request, expected);
    }
}

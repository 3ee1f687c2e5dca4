using System.Buffers;
using System.Net;
using System.Text;

namespace RxNet.Http.Specs.Wire;

public sealed class RequestWriterSpecs
{
    [Fact]
    public void WriteHead_RequestWithLength_WritesRequestLineFieldsAndContentLength()
    {
        var request = new HttpRequest("POST", "/echo?x=1", new HttpHeaders().Add("Host", "a:8080")) { ContentLength = 12 };
        var output = new ArrayBufferWriter<byte>();

        RequestWriter.WriteHead(output, request, chunked: false);

        Assert.Equal("POST /echo?x=1 HTTP/1.1\r\nHost: a:8080\r\nContent-Length: 12\r\n\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void WriteHead_Http10Chunked_WritesItsVersionAndTransferEncodingOnce()
    {
        var headers = new HttpHeaders().Add("Transfer-Encoding", "chunked");
        var request = new HttpRequest("PUT", "*", headers) { Version = HttpVersion.Version10 };
        var output = new ArrayBufferWriter<byte>();

        RequestWriter.WriteHead(output, request, chunked: true);

        Assert.Equal("PUT * HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void WriteHead_ClientRequest_WritesItsTargetAndHostFirst()
    {
        var request = new HttpRequest("POST", "http://a.example:8080/echo?x=1", new HttpHeaders().Add("Accept", "*/*")) { ContentLength = 2 };
        var output = new ArrayBufferWriter<byte>();

        RequestWriter.WriteHead(output, request, "/echo?x=1", "a.example:8080", chunked: false);

        Assert.Equal("POST /echo?x=1 HTTP/1.1\r\nHost: a.example:8080\r\nAccept: */*\r\nContent-Length: 2\r\n\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void WriteHead_ClientRequestWithItsOwnHost_KeepsItsHostAndAddsNone()
    {
        var request = new HttpRequest("CONNECT", "http://proxy.example/", new HttpHeaders().Add("Host", "b.example:443"));
        var output = new ArrayBufferWriter<byte>();

        RequestWriter.WriteHead(output, request, "b.example:443", "proxy.example", chunked: true);

        Assert.Equal("CONNECT b.example:443 HTTP/1.1\r\nHost: b.example:443\r\nTransfer-Encoding: chunked\r\n\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }
}

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
}

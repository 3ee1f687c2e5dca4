using System.Buffers;
using System.Net;
using System.Text;

namespace RxNet.Http.Specs.Wire;

public sealed class ResponseWriterSpecs
{
    private static readonly byte[] s_date = "Sun, 06 Nov 1994 08:49:37 GMT"u8.ToArray();

    private static string Head(HttpResponse response, Version version, bool chunked, bool keepAlive)
    {
        var output = new ArrayBufferWriter<byte>();
        ResponseWriter.WriteHead(output, response, version, chunked, keepAlive, s_date);
        return Encoding.Latin1.GetString(output.WrittenSpan);
    }

    [Fact]
    public void WriteHead_TextResponseKeptAlive_WritesStatusDateFieldsAndContentLength()
    {
        string head = Head(HttpResponse.Text("Hello, World!"), HttpVersion.Version11, chunked: false, keepAlive: true);

        Assert.Equal("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n\r\n", head);
    }

    [Fact]
    public void WriteHead_ChunkedLastResponse_WritesTransferEncodingAndConnectionClose()
    {
        var response = new HttpResponse(404);

        string head = Head(response, HttpVersion.Version11, chunked: true, keepAlive: false);

        Assert.Equal("HTTP/1.1 404 Not Found\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", head);
    }

    [Fact]
    public void WriteHead_Http10KeepAlive_SaysKeepAliveAndStillAnswersHttp11()
    {
        string head = Head(HttpResponse.Status(204), HttpVersion.Version10, chunked: false, keepAlive: true);

        Assert.Equal("HTTP/1.1 204 No Content\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: keep-alive\r\n\r\n", head);
    }

    [Fact]
    public void WriteHead_FieldsTheResponseAlreadyHas_AreNotWrittenTwice()
    {
        var response = new HttpResponse(299) { ContentLength = 5 };
        response.Headers.Add("Date", "x").Add("Content-Length", "5").Add("Connection", "close");

        string head = Head(response, HttpVersion.Version11, chunked: false, keepAlive: false);

        Assert.Equal("HTTP/1.1 299 \r\nDate: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\n", head);
    }

    [Fact]
    public void WriteHead_ReasonPhraseWithALineBreak_ThrowsInsteadOfSplittingTheResponse()
    {
        var response = new HttpResponse(200) { ReasonPhrase = "OK\r\nSet-Cookie: a=b" };

        Assert.Throws<InvalidOperationException>(() => Head(response, HttpVersion.Version11, chunked: false, keepAlive: true));
    }

    [Fact]
    public void ChunkFraming_WritesHexSizeCrlfAndTheLastChunk()
    {
        var output = new ArrayBufferWriter<byte>();

        ResponseWriter.WriteChunkHeader(output, 0x1a2b);
        ResponseWriter.WriteChunkTrailer(output);
        ResponseWriter.WriteLastChunk(output);
        ResponseWriter.WriteContinue(output);

        Assert.Equal("1a2b\r\n\r\n0\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }
}

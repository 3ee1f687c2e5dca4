using System.Buffers;
using System.Text;

namespace RxNet.Http.Specs.Wire;

public sealed class ChunkedBodyDecoderSpecs
{
    [Fact]
    public void Read_TwoChunksInOneBuffer_ReturnsAtMostOneChunkPerCallAndCompletesWithTheLast()
    {
        var trailers = new HttpHeaders();
        var decoder = new ChunkedBodyDecoder(HttpServerOptions.Default, trailers);
        var buffer = new ReadOnlySequence<byte>("3\r\nabc\r\n2\r\nde\r\n0\r\nX-Sum: 5\r\n\r\nNEXT"u8.ToArray());

        ReadOnlySequence<byte> first = decoder.Read(buffer, out SequencePosition consumed);
        Assert.Equal("abc", Encoding.ASCII.GetString(first.ToArray()));
        Assert.False(decoder.IsComplete);

        buffer = buffer.Slice(consumed);
        ReadOnlySequence<byte> second = decoder.Read(buffer, out consumed);
        Assert.Equal("de", Encoding.ASCII.GetString(second.ToArray()));

        Assert.True(decoder.IsComplete);
        Assert.Equal(5, decoder.BodyBytes);
        Assert.Equal("NEXT", Encoding.ASCII.GetString(buffer.Slice(consumed).ToArray()));
        Assert.Equal([new KeyValuePair<string, string>("X-Sum", "5")], trailers);
    }

    [Fact]
    public void Read_PartOfAChunksData_ReturnsWhatIsThereAndCountsIt()
    {
        var decoder = new ChunkedBodyDecoder(HttpServerOptions.Default, new HttpHeaders());
        var buffer = new ReadOnlySequence<byte>("a\r\n0123"u8.ToArray());

        ReadOnlySequence<byte> data = decoder.Read(buffer, out SequencePosition consumed);

        Assert.Equal("0123", Encoding.ASCII.GetString(data.ToArray()));
        Assert.Equal(buffer.End, consumed);
        Assert.Equal(4, decoder.BodyBytes);
        Assert.False(decoder.IsComplete);
    }

    [Fact]
    public void Read_SizeLineNotWhole_ConsumesNothing()
    {
        var decoder = new ChunkedBodyDecoder(HttpServerOptions.Default, new HttpHeaders());
        var buffer = new ReadOnlySequence<byte>("1f;name=va"u8.ToArray());

        Assert.True(decoder.Read(buffer, out SequencePosition consumed).IsEmpty);
        Assert.Equal(buffer.Start, consumed);
    }

    [Fact]
    public void Read_BareLfInExtension_MessageNamesTheRuleAndTheCve()
    {
        var decoder = new ChunkedBodyDecoder(HttpServerOptions.Default, new HttpHeaders());
        var buffer = new ReadOnlySequence<byte>("3;a\nabc"u8.ToArray());

        var error = Assert.Throws<HttpProtocolException>(() => decoder.Read(buffer, out _));

        Assert.Equal(HttpProtocolError.InvalidChunk, error.Error);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("CVE-2025-55315", error.Message, StringComparison.Ordinal);
        Assert.Contains(";a\\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ResponseBodyOverLimits_ErrorsCarry502AndNameTheClientsOption()
    {
        var decoder = new ChunkedBodyDecoder(new HttpMessageLimits(MaxStartLineSize: 8, MaxHeadersTotalSize: 64, MaxHeaderCount: 4), new HttpHeaders());
        var buffer = new ReadOnlySequence<byte>("1;aaaaaaaaaa"u8.ToArray());

        var error = Assert.Throws<HttpProtocolException>(() => decoder.Read(buffer, out _));

        Assert.Equal(HttpProtocolError.InvalidChunk, error.Error);
        Assert.Equal(502, error.StatusCode);
        Assert.Contains("MaxStatusLineSize (8 bytes", error.Message, StringComparison.Ordinal);
    }
}

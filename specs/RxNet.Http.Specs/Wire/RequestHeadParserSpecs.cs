using System.Buffers;
using System.Net;
using System.Text;

namespace RxNet.Http.Specs.Wire;

public sealed class RequestHeadParserSpecs
{
    private static readonly HttpServerOptions s_options = HttpServerOptions.Default;

    [Fact]
    public void TryParse_TypicalGet_GivesMethodTargetVersionFieldsAndKeepAlive()
    {
        var parser = new RequestHeadParser(s_options);
        var buffer = new ReadOnlySequence<byte>("GET /plaintext?x=1 HTTP/1.1\r\nHost: localhost:8080\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\nNEXT"u8.ToArray());

        Assert.True(parser.TryParse(buffer, out RequestHead head, out SequencePosition consumed));

        Assert.Equal("GET", head.Method);
        Assert.Equal("/plaintext?x=1", head.Target);
        Assert.Same(HttpVersion.Version11, head.Version);
        Assert.Equal([new("Host", "localhost:8080"), new("Accept", "*/*"), new KeyValuePair<string, string>("Connection", "keep-alive")], head.Headers);
        Assert.Equal(BodyFraming.None, head.Framing);
        Assert.True(head.KeepAlive);
        Assert.False(head.ExpectContinue);
        Assert.Null(head.Upgrade);
        Assert.Equal("NEXT", Encoding.ASCII.GetString(buffer.Slice(consumed).ToArray()));
    }

    [Fact]
    public void TryParse_HeadNotWhole_ConsumesNothingAndAsksForMore()
    {
        var parser = new RequestHeadParser(s_options);
        var buffer = new ReadOnlySequence<byte>("GET / HTTP/1.1\r\nHost: a\r\n"u8.ToArray());

        Assert.False(parser.TryParse(buffer, out _, out SequencePosition consumed));
        Assert.Equal(buffer.Start, consumed);
    }

    [Fact]
    public void TryParse_CommonMethodAndFieldNames_AreSharedStringInstances()
    {
        var parser = new RequestHeadParser(s_options);
        byte[] bytes = "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

        Assert.True(parser.TryParse(new ReadOnlySequence<byte>(bytes), out RequestHead first, out _));
        Assert.True(parser.TryParse(new ReadOnlySequence<byte>(bytes), out RequestHead second, out _));

        Assert.Same(first.Method, second.Method);
        Assert.Same(first.Headers.First().Key, second.Headers.First().Key);
        Assert.Same(first.Headers.First().Value, second.Headers.First().Value);
    }

    [Fact]
    public void TryParse_RequestLineLongerThanTheLimit_Fails414BeforeItsCrlfArrives()
    {
        var parser = new RequestHeadParser(s_options with { MaxRequestLineSize = 32 });
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("GET /" + new string('a', 27)));

        var error = Assert.Throws<HttpProtocolException>(() => parser.TryParse(buffer, out _, out _));

        Assert.Equal(HttpProtocolError.RequestLineTooLong, error.Error);
        Assert.Equal(414, error.StatusCode);
        Assert.Contains("MaxRequestLineSize (32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_BareCrInAValue_MessageNamesTheRuleAndShowsTheBytesPrintably()
    {
        var parser = new RequestHeadParser(s_options);
        var buffer = new ReadOnlySequence<byte>("GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n"u8.ToArray());

        var error = Assert.Throws<HttpProtocolException>(() => parser.TryParse(buffer, out _, out _));

        Assert.Equal(HttpProtocolError.InvalidHeader, error.Error);
        Assert.Contains("bare CR", error.Message, StringComparison.Ordinal);
        Assert.Contains("X-A: a\\rb", error.Message, StringComparison.Ordinal);
    }
}

using System.Buffers;
using System.Net;
using System.Text;

namespace RxNet.Http.Specs.Wire;

public sealed class ResponseHeadParserSpecs
{
    [Fact]
    public void TryParse_TypicalResponse_GivesVersionStatusReasonFieldsFramingAndKeepAlive()
    {
        var parser = new ResponseHeadParser(Responses.Defaults);
        var buffer = new ReadOnlySequence<byte>("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"u8.ToArray());

        Assert.True(parser.TryParse(buffer, "GET", out ResponseHead head, out SequencePosition consumed));

        Assert.Same(HttpVersion.Version11, head.Version);
        Assert.Equal(200, head.StatusCode);
        Assert.Same(ReasonPhrases.For(200), head.ReasonPhrase);
        Assert.Equal([new("Content-Type", "text/plain"), new KeyValuePair<string, string>("Content-Length", "5")], head.Headers);
        Assert.Equal(BodyFraming.ContentLength, head.Framing);
        Assert.Equal(5, head.ContentLength);
        Assert.True(head.KeepAlive);
        Assert.Null(head.Upgrade);
        Assert.Equal("hello", Encoding.ASCII.GetString(buffer.Slice(consumed).ToArray()));
    }

    [Fact]
    public void TryParse_HeadNotWhole_ConsumesNothingAndAsksForMore()
    {
        var parser = new ResponseHeadParser(Responses.Defaults);
        var buffer = new ReadOnlySequence<byte>("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"u8.ToArray());

        Assert.False(parser.TryParse(buffer, "GET", out _, out SequencePosition consumed));
        Assert.Equal(buffer.Start, consumed);
    }

    [Fact]
    public void TryParse_SwitchingProtocols_GivesTheUpgradeAndNoBody()
    {
        var parser = new ResponseHeadParser(Responses.Defaults);
        var buffer = new ReadOnlySequence<byte>("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"u8.ToArray());

        Assert.True(parser.TryParse(buffer, "GET", out ResponseHead head, out _));

        Assert.Equal(101, head.StatusCode);
        Assert.Equal("websocket", head.Upgrade);
        Assert.Equal(BodyFraming.None, head.Framing);
    }

    [Fact]
    public void TryParse_StatusLineLongerThanTheLimit_Fails502NamingTheClientsOption()
    {
        var parser = new ResponseHeadParser(Responses.Defaults with { MaxStartLineSize = 32 });
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("HTTP/1.1 200 " + new string('a', 19)));

        var error = Assert.Throws<HttpProtocolException>(() => parser.TryParse(buffer, "GET", out _, out _));

        Assert.Equal(HttpProtocolError.StatusLineTooLong, error.Error);
        Assert.Equal(502, error.StatusCode);
        Assert.Contains("MaxStatusLineSize (32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TooManyFields_Fails502NamingTheClientsOption()
    {
        var parser = new ResponseHeadParser(Responses.Defaults with { MaxHeaderCount = 1 });
        var buffer = new ReadOnlySequence<byte>("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\n"u8.ToArray());

        var error = Assert.Throws<HttpProtocolException>(() => parser.TryParse(buffer, "GET", out _, out _));

        Assert.Equal(HttpProtocolError.HeadersTooLarge, error.Error);
        Assert.Equal(502, error.StatusCode);
        Assert.Contains("MaxResponseHeaderCount (1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_BareLfInAValue_MessageNamesTheRuleAndShowsTheBytesPrintably()
    {
        var parser = new ResponseHeadParser(Responses.Defaults);
        var buffer = new ReadOnlySequence<byte>("HTTP/1.1 200 OK\r\nX-A: a\nSet-Cookie: b\r\n\r\n"u8.ToArray());

        var error = Assert.Throws<HttpProtocolException>(() => parser.TryParse(buffer, "GET", out _, out _));

        Assert.Equal(HttpProtocolError.InvalidHeader, error.Error);
        Assert.Equal(502, error.StatusCode);
        Assert.Contains("bare LF", error.Message, StringComparison.Ordinal);
        Assert.Contains("X-A: a\\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_HeadDribbledByteByByteIntoOneBuffer_ResumesAndGivesTheSameHead()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"X-{i}: {i}\r\n")) + "\r\n");
        var parser = new ResponseHeadParser(Responses.Defaults);

        ResponseHead head = default;
        int length = 1;
        for (; length <= bytes.Length; length++)
        {
            if (parser.TryParse(new ReadOnlySequence<byte>(bytes, 0, length), "GET", out head, out _))
                break;
        }

        Assert.Equal(bytes.Length, length);
        Assert.Equal(50, head.Headers.Count);
        Assert.Equal("49", head.Headers["X-49"]);
    }
}

using System.Text;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>permessage-deflate (RFC 7692) on a server's <see cref="WebSocket"/>, in virtual time against a raw client:
/// negotiation, compressed messages cut anywhere and fragmented, context takeover on and off seen through the sizes,
/// the decompressed-size limit, RSV1 where it does not belong.</summary>
public sealed class WebSocketDeflateSpecs
{
    private const long Ms = SimulatedWebSocket.Ms;
    private const string Offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";

    private static readonly WebSocketOptions Deflate = WebSocketOptions.Default with { Compression = WebSocketDeflateOptions.Default };

    private static SimulatedWebSocket Echo(WebSocketOptions? options = null, List<WebSocketMessage>? received = null) =>
        new(socket => socket.Messages.Subscribe(m =>
        {
            received?.Add(m);
            socket.Send.OnNext(m);
        }, _ => { }), options ?? Deflate);

    private static string AnswerTo(string offer, WebSocketDeflateOptions? options = null)
    {
        var ws = Echo(WebSocketOptions.Default with { Compression = options ?? WebSocketDeflateOptions.Default });
        string head = ws.Open(extraFields: offer.Length == 0 ? "" : $"Sec-WebSocket-Extensions: {offer}\r\n");
        Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
        string? answer = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Sec-WebSocket-Extensions:", StringComparison.OrdinalIgnoreCase));
        string extensions = answer is null ? "" : answer["Sec-WebSocket-Extensions:".Length..].Trim();
        Assert.Equal(extensions, ws.Socket!.Extensions);
        return extensions;
    }

    [Theory]
    [InlineData("permessage-deflate", "permessage-deflate")]
    [InlineData("permessage-deflate; client_max_window_bits", "permessage-deflate")]
    [InlineData("permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover")]
    [InlineData("permessage-deflate; client_no_context_takeover", "permessage-deflate; client_no_context_takeover")]
    [InlineData("permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=10")]
    [InlineData("permessage-deflate; server_max_window_bits=\"12\"", "permessage-deflate; server_max_window_bits=12")]
    [InlineData("permessage-deflate; client_max_window_bits=9", "permessage-deflate; client_max_window_bits=9")]
    [InlineData("x-webkit-deflate-frame, permessage-deflate", "permessage-deflate")]
    [InlineData("permessage-deflate; server_max_window_bits=16, permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover")]
    [InlineData("permessage-deflate; unknown=1", "")]
    [InlineData("permessage-deflate; server_no_context_takeover; server_no_context_takeover", "")]
    [InlineData("permessage-deflate; server_no_context_takeover=1", "")]
    [InlineData("permessage-deflate; server_max_window_bits", "")]
    [InlineData("permessage-deflate; server_max_window_bits=7", "")]
    [InlineData("permessage-deflate; server_max_window_bits=08", "")]
    [InlineData("permessage-deflate; client_max_window_bits=16", "")]
    [InlineData("", "")]
    public void Handshake_Offer_IsAnsweredWithTheFirstAcceptableOneOrDeclined(string offer, string answer) =>
        Assert.Equal(answer, AnswerTo(offer));

    [Fact]
    public void Handshake_ServerOptions_AskTheClientForWhatTheySay()
    {
        var options = new WebSocketDeflateOptions { ServerNoContextTakeover = true, ClientNoContextTakeover = true, ServerMaxWindowBits = 12, ClientMaxWindowBits = 10 };

        Assert.Equal("permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12; client_max_window_bits=10",
            AnswerTo("permessage-deflate; client_max_window_bits", options));
        // A client that did not say it supports client_max_window_bits cannot be limited.
        Assert.Equal("permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12",
            AnswerTo("permessage-deflate", options));
    }

    [Fact]
    public void Handshake_CompressionOff_DeclinesTheOfferAndRsv1IsAViolation()
    {
        var ws = Echo(WebSocketOptions.Default);
        string head = ws.Open(extraFields: Offer);

        ws.Send(WireFrames.Frame(1, DeflateWire.Once("Hello"u8.ToArray()), rsv: 4));
        ws.Run(10 * Ms);

        Assert.DoesNotContain("Sec-WebSocket-Extensions", head, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("", ws.Socket!.Extensions);
        Assert.StartsWith("Close:1002", Assert.Single(ws.Frames()), StringComparison.Ordinal);
    }

    [Fact]
    public void CompressedMessage_TheRfcExample_IsInflatedAndTheEchoCompressed()
    {
        var received = new List<WebSocketMessage>();
        var ws = Echo(received: received);
        ws.Open(extraFields: Offer);

        // RFC 7692 §7.2.3.1: "Hello" compressed is c1 07 f2 48 cd c9 c9 07 00 (unmasked).
        ws.Send(WireFrames.Frame(1, Convert.FromHexString("F248CDC9C90700"), rsv: 4));
        ws.Run(10 * Ms);

        Assert.Equal("Hello", Assert.Single(received).GetText());
        Assert.Equal(["Text*:F248CDC9C90700"], ws.Frames());
    }

    [Fact]
    public void CompressedFragmentedMessage_CutAtEveryByte_IsOneInflatedMessage()
    {
        string text = "permessage-deflate, fragmented and cut anywhere: " + string.Concat(Enumerable.Repeat("abc", 40));
        byte[] compressed = DeflateWire.Once(Encoding.UTF8.GetBytes(text));
        int half = compressed.Length / 2;
        // RSV1 on the first frame only; a ping between the fragments.
        byte[] bytes = WireFrames.Concat(WireFrames.Frame(1, compressed.AsSpan(0, half), fin: false, rsv: 4),
            WireFrames.Frame(9, "p"u8), WireFrames.Frame(0, compressed.AsSpan(half)));

        foreach (byte[][] chunks in Chunking.Boundaries(bytes).Prepend([bytes]))
        {
            var received = new List<WebSocketMessage>();
            var ws = Echo(received: received);
            ws.Open(extraFields: Offer);
            foreach (byte[] chunk in chunks)
            {
                ws.Send(chunk);
                ws.Run(Ms);
            }
            ws.Run(10 * Ms);

            Assert.Equal(text, Assert.Single(received).GetText());
            Assert.Equal(["Pong:70", "Text:" + text], ws.Messages());
        }
    }

    [Fact]
    public void Send_LongCompressedMessage_IsFragmentedWithRsv1OnTheFirstFrameOnly()
    {
        byte[] data = new byte[20_000];
        new Random(7).NextBytes(data);
        var ws = new SimulatedWebSocket(socket => socket.Send.OnNext(WebSocketMessage.Binary(data)), Deflate with { SendFrameSize = 1000 });

        ws.Open(extraFields: Offer);

        var frames = ws.Frames();
        Assert.True(frames.Count > 2, $"{frames.Count} frames");
        Assert.StartsWith("Binary*~:", frames[0], StringComparison.Ordinal);
        Assert.All(frames.Skip(1).SkipLast(1), f => Assert.StartsWith("Continuation~:", f, StringComparison.Ordinal));
        Assert.StartsWith("Continuation:", frames[^1], StringComparison.Ordinal);
        Assert.Equal(["Binary:" + Convert.ToHexString(data)], ws.Messages());
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Send_TheSameMessageTwice_IsSmallerTheSecondTimeOnlyWithContextTakeover(bool serverNoContextTakeover, bool smaller)
    {
        string text = "a message long enough that its second copy is mostly one back-reference: " + string.Concat(Enumerable.Range(0, 30));
        var ws = new SimulatedWebSocket(socket =>
        {
            socket.Send.OnNext(WebSocketMessage.Text(text));
            socket.Send.OnNext(WebSocketMessage.Text(text));
        }, WebSocketOptions.Default with { Compression = new WebSocketDeflateOptions { ServerNoContextTakeover = serverNoContextTakeover } });

        ws.Open(extraFields: Offer);

        var sizes = ws.Frames().Select(f => f.Length).ToList();
        Assert.Equal(2, sizes.Count);
        Assert.Equal(smaller, sizes[1] < sizes[0] / 2);
        Assert.Equal(serverNoContextTakeover ? sizes[0] : sizes[1], sizes[1]);
        Assert.Equal(["Text:" + text, "Text:" + text], ws.Messages(contextTakeover: !serverNoContextTakeover));
    }

    [Theory]
    [InlineData("permessage-deflate", "Text:Hello")]
    [InlineData("permessage-deflate; client_no_context_takeover", "Close:1007")]
    public void Receive_AMessageThatReusesTheContext_InflatesOnlyWithClientContextTakeover(string offer, string second)
    {
        var ws = Echo();
        ws.Open(extraFields: $"Sec-WebSocket-Extensions: {offer}\r\n");

        // RFC 7692 §7.2.3.2: "Hello" twice with context takeover; the second refers back to the first.
        ws.Send(WireFrames.Concat(WireFrames.Frame(1, Convert.FromHexString("F248CDC9C90700"), rsv: 4),
            WireFrames.Frame(1, Convert.FromHexString("F200110000"), rsv: 4)));
        ws.Run(10 * Ms);

        var messages = ws.Messages(contextTakeover: offer == "permessage-deflate");
        Assert.Equal("Text:Hello", messages[0]);
        Assert.StartsWith(second, messages[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Receive_MessagesEndingWithAFinalBlockUnderContextTakeover_AreInflatedOverTheWholeWindow()
    {
        var received = new List<WebSocketMessage>();
        var ws = Echo(received: received);
        ws.Open(extraFields: "Sec-WebSocket-Extensions: permessage-deflate\r\n");

        // RFC 7692 §7.2.3.3: each message ends its deflate stream with BFINAL=1 (python3's zlib, compressobj(9,
        // DEFLATED, -15) and Z_FINISH); under context takeover the next stream refers back into the previous messages
        // (made with zdict = what came before): a fresh inflater fails them with "invalid distance too far back".
        string first = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 2));
        ws.Send(WireFrames.Concat(
            WireFrames.Frame(1, Convert.FromHexString("0BC94855282CCD4CCE56482ACA2FCF5348CBAF50C82ACD2D2856C82F4B2D5228014AE72456552AA4E4A7EB298490A21800"), rsv: 4),
            WireFrames.Frame(1, Convert.FromHexString("2341B142627A62669E1E00"), rsv: 4),
            WireFrames.Frame(1, Convert.FromHexString("0BC1105248CC4B814A0200"), rsv: 4)));
        ws.Run(10 * Ms);

        Assert.Equal([first, "The quick brown fox jumps over the lazy dog again.", "The lazy dog again and again."],
            received.Select(m => m.GetText()));
        Assert.Null(ws.Closed);
    }

    [Fact]
    public void Bomb_AMessageInflatingPastTheLimit_Closes1009WithoutGrowingPastIt()
    {
        byte[] bomb = DeflateWire.Once(new byte[64 * 1024 * 1024]); // 64 MiB of zeros in about 64 KB
        var ws = Echo(Deflate with { MaxMessageSize = 256 * 1024 });
        ws.Open(extraFields: Offer);

        byte[] frame = WireFrames.Frame(2, bomb, rsv: 4);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ws.Send(frame);
        ws.Run(10 * Ms);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.StartsWith("Close:1009", Assert.Single(ws.Frames()), StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseCode.MessageTooBig, ws.Closed?.Code);
        // The frame itself (masked copy) plus the message buffer up to the limit: far below the 64 MiB it inflates to.
        Assert.True(allocated < 4 * 1024 * 1024, $"{allocated} bytes allocated");
    }

    [Theory]
    [InlineData(true, "Close:1007")]   // invalid UTF-8 once inflated
    [InlineData(false, "Close:1007")]  // not deflate data at all
    public void CompressedText_ThatIsNotValid_Closes1007(bool deflateData, string expected)
    {
        var ws = Echo();
        ws.Open(extraFields: Offer);

        byte[] payload = deflateData ? DeflateWire.Once([0x61, 0xC0, 0xAF]) : [0xFF, 0xFF, 0xFF, 0xFF];
        ws.Send(WireFrames.Frame(1, payload, rsv: 4));
        ws.Run(10 * Ms);

        Assert.StartsWith(expected, Assert.Single(ws.Frames()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9, "p")]     // RSV1 on a ping
    [InlineData(8, "\u0003\u00e8")] // on a close
    public void Rsv1_OnAControlFrame_Fails1002AtEverySplit(int opcode, string payload) =>
        WireFrames.AtEverySplit(WireFrames.Frame(opcode, Encoding.Latin1.GetBytes(payload), rsv: 4), "error 1002", perMessageDeflate: true);

    [Fact]
    public void Rsv1_OnAContinuationFrame_Fails1002AtEverySplit() =>
        WireFrames.AtEverySplit(
            WireFrames.Concat(WireFrames.Frame(1, DeflateWire.Once("ab"u8.ToArray()), fin: false, rsv: 4), WireFrames.Frame(0, [0x00], rsv: 4)),
            "Text*~:4A4C0200; error 1002", perMessageDeflate: true);

    [Fact]
    public void Rsv1_WithoutNegotiation_Fails1002AtEverySplit() =>
        WireFrames.AtEverySplit(WireFrames.Frame(1, DeflateWire.Once("ab"u8.ToArray()), rsv: 4), "error 1002");

    [Theory]
    [InlineData(2)] // RSV2
    [InlineData(1)] // RSV3
    public void OtherReservedBits_WithDeflateNegotiated_Fail1002(int rsv) =>
        WireFrames.AtEverySplit(WireFrames.Frame(1, "ab"u8, rsv: rsv), "error 1002", perMessageDeflate: true);

    [Fact]
    public void Send_WithAWindowBelow15Bits_CompressesShortMessagesAndSendsLongerOnesPlain()
    {
        var ws = new SimulatedWebSocket(socket =>
        {
            socket.Send.OnNext(WebSocketMessage.Binary(new byte[512]));
            socket.Send.OnNext(WebSocketMessage.Binary(new byte[513]));
        }, Deflate);

        ws.Open(extraFields: "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=9\r\n");

        var frames = ws.Frames();
        Assert.StartsWith("Binary*:", frames[0], StringComparison.Ordinal);
        Assert.Equal("Binary:" + new string('0', 1026), frames[1]);
        Assert.Equal(["Binary:" + new string('0', 1024), "Binary:" + new string('0', 1026)], ws.Messages());
    }

    [Fact]
    public void EmptyMessage_IsSentCompressedAsOneZeroByte()
    {
        var ws = new SimulatedWebSocket(socket => socket.Send.OnNext(WebSocketMessage.Text("")), Deflate);

        ws.Open(extraFields: Offer);

        Assert.Equal(["Text*:00"], ws.Frames());
        Assert.Equal(["Text:"], ws.Messages());
    }
}

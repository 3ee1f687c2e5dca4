using System.Text;
using CsCheck;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>RFC 6455 §5 as the frame codec reads and writes it: every rule at every split of the frame bytes.</summary>
public sealed class WebSocketFrameCodecSpecs
{
    private static readonly byte[] Utf8Euro = [0xE2, 0x82, 0xAC];

    [Fact]
    public void Decode_TheRfcsMaskedHello_GivesTheText()
    {
        // RFC 6455 §5.7: a single-frame masked text message containing "Hello".
        byte[] bytes = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58];

        WireFrames.AtEverySplit(bytes, "Text:Hello");
    }

    [Fact]
    public void Decode_UnmaskedHelloAsAClient_GivesTheText()
    {
        WireFrames.AtEverySplit([0x81, 0x05, .. "Hello"u8], "Text:Hello", WebSocketRole.Client);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(300)]
    public void Decode_EachLengthFormAtItsBoundaries_GivesThePayload(int size)
    {
        byte[] payload = [.. Enumerable.Range(0, size).Select(i => (byte)i)];

        WireFrames.AtEverySplit(WireFrames.Frame(2, payload), "Binary:" + Convert.ToHexString(payload));
    }

    [Theory]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(70000)]
    public void Decode_LongFramesCutAnywhereInTheHeaderOrAtAnyChunkSize_GivesThePayload(int size)
    {
        byte[] payload = [.. Enumerable.Range(0, size).Select(i => (byte)(i * 7))];
        byte[] bytes = WireFrames.Frame(2, payload);
        string expected = "Binary:" + Convert.ToHexString(payload);

        for (int cut = 1; cut <= 16; cut++)
            Assert.Equal(expected, WireFrames.Run([bytes[..cut], bytes[cut..]]));
        foreach (int chunk in (int[])[1, 7, 1000, 65536])
            Assert.Equal(expected, WireFrames.Run(Chunking.Every(bytes, chunk)));
    }

    [Theory]
    [InlineData(2, 0UL)]
    [InlineData(2, 125UL)]
    [InlineData(8, 126UL)]
    [InlineData(8, 65535UL)]
    public void Decode_LengthNotInItsShortestForm_Fails1002(int form, ulong length)
    {
        // RFC 6455 §5.2: "the minimal number of bytes MUST be used to encode the length".
        byte[] bytes = WireFrames.Frame(2, new byte[length], lengthForm: form);

        WireFrames.AtEverySplit(bytes[..Math.Min(bytes.Length, 40)], "error 1002");
    }

    [Fact]
    public void Decode_SixtyFourBitLengthWithItsTopBitSet_Fails1002BeforeAnyPayload()
    {
        byte[] bytes = WireFrames.Frame(2, [], lengthForm: 8, announced: 0x8000_0000_0000_0010UL);

        WireFrames.AtEverySplit(bytes, "error 1002", maxMessageSize: 1 << 26);
    }

    [Fact]
    public void Decode_UnmaskedFrameFromAClient_Fails1002()
    {
        WireFrames.AtEverySplit(WireFrames.Text("hi", key: null), "error 1002");
    }

    [Fact]
    public void Decode_MaskedFrameFromAServer_Fails1002()
    {
        WireFrames.AtEverySplit(WireFrames.Text("hi"), "error 1002", WebSocketRole.Client);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    public void Decode_ReservedBitsWithNoExtension_Fails1002(int rsv)
    {
        WireFrames.AtEverySplit(WireFrames.Frame(1, "hi"u8, rsv: rsv), "error 1002");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(0xB)]
    [InlineData(0xF)]
    public void Decode_ReservedOpcode_Fails1002(int opcode)
    {
        WireFrames.AtEverySplit(WireFrames.Frame(opcode, "hi"u8), "error 1002");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    public void Decode_ControlFrameAbove125Bytes_Fails1002(int opcode)
    {
        WireFrames.AtEverySplit(WireFrames.Frame(opcode, new byte[126]), "error 1002");
    }

    [Fact]
    public void Decode_FragmentedPing_Fails1002()
    {
        WireFrames.AtEverySplit(WireFrames.Frame(9, "x"u8, fin: false), "error 1002");
    }

    [Fact]
    public void Decode_ControlFramesBetweenFragments_GivesEveryFrameInOrder()
    {
        byte[] bytes = WireFrames.Concat(
            WireFrames.Text("Hel", fin: false), WireFrames.Frame(9, "p"u8), WireFrames.Frame(0, "l"u8, fin: false),
            WireFrames.Frame(10, ""u8), WireFrames.Frame(0, "o"u8), WireFrames.Text("next"));

        WireFrames.AtEverySplit(bytes, "Text~:Hel; Ping:70; Continuation~:6C; Pong:; Continuation:6F; Text:next");
    }

    [Fact]
    public void Decode_ContinuationWithNoMessageInProgress_Fails1002()
    {
        WireFrames.AtEverySplit(WireFrames.Frame(0, "x"u8), "error 1002");
    }

    [Fact]
    public void Decode_NewMessageInsideAFragmentedOne_Fails1002AfterTheFirstFragment()
    {
        WireFrames.AtEverySplit(WireFrames.Concat(WireFrames.Text("a", fin: false), WireFrames.Frame(2, "b"u8)), "Text~:a; error 1002");
    }

    [Theory]
    [InlineData("C0 80")]          // overlong NUL
    [InlineData("ED A0 80")]       // a surrogate
    [InlineData("F4 90 80 80")]    // above U+10FFFF
    [InlineData("F5")]             // never a lead byte
    [InlineData("80")]             // a continuation byte first
    [InlineData("E2 82")]          // ends inside a character
    public void Decode_TextThatIsNotUtf8_Fails1007(string hex)
    {
        byte[] payload = [.. "ok"u8, .. Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal))];

        WireFrames.AtEverySplit(WireFrames.Frame(1, payload), "error 1007");
    }

    [Fact]
    public void Decode_InvalidTextInAFrameNotYetComplete_Fails1007AtTheFirstBadByte()
    {
        // The frame announces 100 bytes; only "ok", E2 and 28 are here: 28 cannot follow E2.
        byte[] whole = WireFrames.Frame(1, [.. "ok"u8, 0xE2, 0x28, .. new byte[96]]);
        byte[] upToTheBadByte = whole[..(6 + 4)]; // 2-byte header, 4-byte key, "o", "k", E2, 28

        WireFrames.AtEverySplit(upToTheBadByte, "error 1007");
        Assert.Equal("error IncompleteFrameException", WireFrames.Run([upToTheBadByte[..^1]])); // valid so far
    }

    [Fact]
    public void Decode_CharacterSplitAcrossFragments_IsValid()
    {
        byte[] bytes = WireFrames.Concat(WireFrames.Frame(1, Utf8Euro.AsSpan(0, 2), fin: false), WireFrames.Frame(0, Utf8Euro.AsSpan(2)));

        WireFrames.AtEverySplit(bytes, "Text~:\uFFFD; Continuation:AC");
    }

    [Fact]
    public void Decode_BadByteInALaterFragment_Fails1007BeforeThatFragmentIsComplete()
    {
        byte[] second = WireFrames.Frame(0, [0x28, .. new byte[50]]);
        byte[] bytes = WireFrames.Concat(WireFrames.Frame(1, Utf8Euro.AsSpan(0, 2), fin: false), second[..7]);

        WireFrames.AtEverySplit(bytes, "Text~:\uFFFD; error 1007");
    }

    [Fact]
    public void Decode_BinaryMessage_IsNotCheckedAsText()
    {
        WireFrames.AtEverySplit(WireFrames.Frame(2, [0xC0, 0x80]), "Binary:C080");
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1011)]
    [InlineData(1014)]
    [InlineData(3000)]
    [InlineData(4999)]
    public void Decode_CloseWithAValidCode_GivesIt(int code)
    {
        WireFrames.AtEverySplit(WireFrames.Close(code, "bye"), FormattableString.Invariant($"Close:{code} bye"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public void Decode_CloseWithACodeThatMustNotBeSent_Fails1002(int code)
    {
        WireFrames.AtEverySplit(WireFrames.Close(code), "error 1002");
    }

    [Fact]
    public void Decode_EmptyClose_GivesIt()
    {
        WireFrames.AtEverySplit(WireFrames.Frame(8, ""u8), "Close:");
    }

    [Fact]
    public void Decode_CloseWithOneByte_Fails1002()
    {
        WireFrames.AtEverySplit(WireFrames.Frame(8, [0x03]), "error 1002");
    }

    [Fact]
    public void Decode_CloseReasonThatIsNotUtf8_Fails1007()
    {
        WireFrames.AtEverySplit(WireFrames.Frame(8, [0x03, 0xE8, 0xC0, 0x80]), "error 1007");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(8)]
    public void Decode_AnnouncedLengthAboveTheLimit_Fails1009FromTheHeaderAlone(int form)
    {
        // Only the header arrives: the limit is checked before any payload is buffered.
        byte[] header = WireFrames.Frame(2, [], lengthForm: form, announced: form switch { 0 => 101UL, 2 => 1001UL, _ => 1UL << 40 });

        WireFrames.AtEverySplit(header, "error 1009", maxMessageSize: form switch { 0 => 100, 2 => 1000, _ => 65536 });
    }

    [Fact]
    public void Decode_FragmentsAddingUpAboveTheLimit_Fail1009AtTheFragmentThatPassesIt()
    {
        byte[] bytes = WireFrames.Concat(
            WireFrames.Frame(2, new byte[60], fin: false), WireFrames.Frame(9, new byte[100]),
            WireFrames.Frame(0, [], fin: false, announced: 41));

        WireFrames.AtEverySplit(bytes, $"Binary~:{new string('0', 120)}; Ping:{new string('0', 200)}; error 1009", maxMessageSize: 100);
    }

    [Fact]
    public void Decode_MessageOfExactlyTheLimit_IsAccepted()
    {
        byte[] bytes = WireFrames.Concat(WireFrames.Frame(2, new byte[60], fin: false), WireFrames.Frame(0, new byte[40]));

        Assert.Equal($"Binary~:{new string('0', 120)}; Continuation:{new string('0', 80)}", WireFrames.Run([bytes], maxMessageSize: 100));
    }

    [Fact]
    public void Decode_InputEndsInsideAFrame_FailsWithIncompleteFrame()
    {
        byte[] bytes = WireFrames.Text("hello");

        Assert.Equal("error IncompleteFrameException", WireFrames.Run([bytes[..^1]]));
    }

    [Theory]
    [InlineData(0, "8200")]
    [InlineData(125, "827D")]
    [InlineData(126, "827E007E")]
    [InlineData(65535, "827EFFFF")]
    [InlineData(65536, "827F0000000000010000")]
    public void Encode_AsAServer_WritesTheShortestLengthFormUnmasked(int size, string header)
    {
        byte[] payload = new byte[size];
        byte[] bytes = Chunking.EncodeAll(new WebSocketFrameCodec(WebSocketRole.Server).Encoder, [new WebSocketFrame(WebSocketOpcode.Binary, true, payload)]);

        Assert.Equal(header, Convert.ToHexString(bytes[..(header.Length / 2)]));
        Assert.Equal(header.Length / 2 + size, bytes.Length);
    }

    [Fact]
    public void Encode_AsAClient_MasksWithTheKey()
    {
        var codec = new WebSocketFrameCodec(WebSocketRole.Client, WebSocketFrameCodec.DefaultMaxMessageSize, () => WireFrames.Key);

        byte[] bytes = Chunking.EncodeAll(codec.Encoder, [new WebSocketFrame(WebSocketOpcode.Text, true, "Hello"u8.ToArray())]);

        Assert.Equal("818537FA213D7F9F4D5158", Convert.ToHexString(bytes));
    }

    [Fact]
    public void Encode_AsAClient_UsesAFreshKeyPerFrame()
    {
        var encoder = new WebSocketFrameCodec(WebSocketRole.Client).Encoder;
        var frame = new WebSocketFrame(WebSocketOpcode.Binary, true, new byte[8]);

        var keys = Enumerable.Range(0, 8).Select(_ => Convert.ToHexString(Chunking.EncodeAll(encoder, [frame])[2..6])).ToHashSet();

        Assert.True(keys.Count > 1);
    }

    [Fact]
    public void Codec_EncodeThenDecode_AnyMessagesFragmentationMaskAndChunking_GivesTheFrames()
    {
        // Sizes around each length form's edges, cut into random fragments, with pings between, masked with random keys.
        var sizes = Gen.OneOf(Gen.Int[0, 10], Gen.Int[120, 130], Gen.Int[65530, 65540], Gen.Int[0, 3000]);
        var message = Gen.Select(sizes, Gen.Bool, Gen.Int[1, 4], Gen.Int);
        var gen = Gen.Select(message.Array[1, 6], Gen.Int.Array[1, 64], Gen.Int[1, 5000]);

        gen.Sample((messages, keys, chunk) =>
        {
            int nextKey = 0;
            var client = new WebSocketFrameCodec(WebSocketRole.Client, 1 << 26, () => keys[nextKey++ % keys.Length]);
            var frames = new List<WebSocketFrame>();
            foreach (var (size, text, pieces, seed) in messages)
            {
                byte[] payload = text ? Encoding.UTF8.GetBytes(new string('é', size / 2)) : [.. Enumerable.Range(0, size).Select(i => (byte)(i ^ seed))];
                var random = new Random(seed);
                int at = 0;
                for (int piece = 0; piece < pieces; piece++)
                {
                    int end = piece == pieces - 1 ? payload.Length : random.Next(at, payload.Length + 1);
                    var opcode = piece == 0 ? (text ? WebSocketOpcode.Text : WebSocketOpcode.Binary) : WebSocketOpcode.Continuation;
                    frames.Add(new WebSocketFrame(opcode, piece == pieces - 1, payload.AsMemory(at, end - at)));
                    if (random.Next(3) == 0)
                        frames.Add(new WebSocketFrame(WebSocketOpcode.Ping, true, new byte[random.Next(126)]));
                    at = end;
                }
            }
            byte[] bytes = Chunking.EncodeAll(client.Encoder, frames);

            var run = Chunking.Decode(Chunking.Every(bytes, chunk), input => input.Decode(new WebSocketFrameCodec(WebSocketRole.Server, 1 << 26)));

            Assert.Null(run.Error);
            Assert.Equal(frames.Select(WireFrames.Describe), run.Frames.Select(WireFrames.Describe));
        }, iter: 60);
    }

    [Fact]
    public void Codec_ServerEncodesClientDecodes_AnyPayloadAndChunking_GivesTheFrames()
    {
        Gen.Select(Gen.Byte.Array[0, 70000], Gen.Int[1, 9000]).Sample((payload, chunk) =>
        {
            var frame = new WebSocketFrame(WebSocketOpcode.Binary, true, payload);
            byte[] bytes = Chunking.EncodeAll(new WebSocketFrameCodec(WebSocketRole.Server).Encoder, [frame]);

            var run = Chunking.Decode(Chunking.Every(bytes, chunk), input => input.Decode(new WebSocketFrameCodec(WebSocketRole.Client, 1 << 26)));

            Assert.Null(run.Error);
            Assert.True(payload.AsSpan().SequenceEqual(Assert.Single(run.Frames).Payload.Span));
        }, iter: 40);
    }
}

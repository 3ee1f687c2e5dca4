using System.Buffers;
using System.Reactive.Linq;
using CsCheck;
using Xunit;

namespace RxNet.Specs.Framing;

/// <summary>Length-prefixed frames: Netty's parameters at every chunk split, Twisted's presets and limit,
/// typed errors, the end-of-stream rule, round trips, and frames that cost only their own bytes.</summary>
public sealed class LengthFieldCodecSpecs
{
    [Fact]
    public void LengthPrefixed_EverySplitOfInt32Frames_GivesTheSameFrames()
    {
        var input = Chunks.Hex("00000003 616263 00000000 00000001 7A");

        foreach (var chunks in Chunking.All(input))
        {
            var (frames, error, completed) = Chunking.Decode(chunks, s => s.LengthPrefixed().Select(f => f.Text()));

            Assert.Null(error);
            Assert.True(completed);
            Assert.Equal(["abc", "", "z"], frames);
        }
    }

    /// <summary>The examples of Netty's <c>LengthFieldBasedFrameDecoder</c> documentation, with short content
    /// ("HI") and a second frame behind the first, at every split.</summary>
    [Theory]
    [InlineData(0, 2, 0, 0, "0002 4849", "00024849")] // length of the content, header kept
    [InlineData(0, 2, 0, 2, "0002 4849", "4849")] // header stripped
    [InlineData(0, 2, -2, 0, "0004 4849", "00044849")] // length counts the whole frame
    [InlineData(2, 3, 0, 0, "CAFE 000002 4849", "CAFE0000024849")] // header before the length
    [InlineData(0, 3, 2, 0, "000002 CAFE 4849", "000002CAFE4849")] // header after the length
    [InlineData(1, 2, 1, 3, "CA 0002 FE 4849", "FE4849")] // headers around the length, first three bytes stripped
    [InlineData(1, 2, -3, 3, "CA 0006 FE 4849", "FE4849")] // the same, the length counting the whole frame
    public void LengthPrefixed_NettyDocumentedLayouts_EverySplitDecodesAsNettyDoes(int offset, int width, int adjustment, int strip, string frame, string expected)
    {
        var options = new LengthFieldOptions { LengthFieldOffset = offset, LengthFieldLength = width, LengthAdjustment = adjustment, InitialBytesToStrip = strip };
        var one = Chunks.Hex(frame);

        foreach (var chunks in Chunking.All([.. one, .. one]))
        {
            var (frames, error, completed) = Chunking.Decode(chunks, s => s.LengthPrefixed(options).Select(f => f.ToHex()));

            Assert.Null(error);
            Assert.True(completed);
            Assert.Equal([expected, expected], frames);
        }
    }

    [Theory]
    [InlineData(1, ByteOrder.BigEndian, "02")]
    [InlineData(2, ByteOrder.BigEndian, "0002")]
    [InlineData(3, ByteOrder.BigEndian, "000002")]
    [InlineData(4, ByteOrder.BigEndian, "00000002")]
    [InlineData(8, ByteOrder.BigEndian, "0000000000000002")]
    [InlineData(2, ByteOrder.LittleEndian, "0200")]
    [InlineData(3, ByteOrder.LittleEndian, "020000")]
    [InlineData(4, ByteOrder.LittleEndian, "02000000")]
    [InlineData(8, ByteOrder.LittleEndian, "0200000000000000")]
    public void LengthPrefixed_EachWidthAndByteOrder_EverySplitReadsTheLength(int width, ByteOrder order, string field)
    {
        var options = new LengthFieldOptions { LengthFieldLength = width, ByteOrder = order };
        // Two frames back to back; one for the 8-byte field, whose 2^17 splits of two frames would be slow.
        var input = Chunks.Hex(width < 8 ? field + "4849" + field + "6869" : field + "4849");

        foreach (var chunks in Chunking.All(input))
        {
            var (frames, error, _) = Chunking.Decode(chunks, s => s.LengthPrefixed(options).Select(f => f.Text()));

            Assert.Null(error);
            Assert.Equal(width < 8 ? ["HI", "hi"] : ["HI"], frames);
        }
    }

    [Theory]
    [InlineData(2, ByteOrder.BigEndian, "0102", 258)]
    [InlineData(2, ByteOrder.LittleEndian, "0201", 258)]
    [InlineData(3, ByteOrder.BigEndian, "010002", 65538)]
    [InlineData(3, ByteOrder.LittleEndian, "020001", 65538)]
    [InlineData(4, ByteOrder.LittleEndian, "03000100", 65539)]
    [InlineData(8, ByteOrder.BigEndian, "0000000000010004", 65540)]
    [InlineData(8, ByteOrder.LittleEndian, "0400010000000000", 65540)]
    public void LengthPrefixed_MultiByteLengths_AreReadInTheirByteOrder(int width, ByteOrder order, string field, int length)
    {
        var options = new LengthFieldOptions { LengthFieldLength = width, ByteOrder = order, MaxFrameLength = 100_000 };
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        byte[] input = [.. Chunks.Hex(field), .. payload];

        var (frames, error, completed) = Chunking.Decode(Chunking.Cut(input, [1, 7, 1000]), s => s.LengthPrefixed(options));

        Assert.Null(error);
        Assert.True(completed);
        Assert.Equal(payload, Assert.Single(frames).ToArray());
    }

    [Fact]
    public void LengthPrefixed_LengthAboveMaxFrameLength_FailsAsSoonAsTheFieldArrives()
    {
        var options = LengthFieldOptions.Int32Prefixed with { MaxFrameLength = 10 };
        // "ok", then a length of 7: 11 bytes with the field, one too many; only two of its bytes ever arrive.
        var input = Chunks.Hex("00000002 6F6B 00000007 6162");

        foreach (var chunks in Chunking.All(input))
        {
            var (frames, error, _) = Chunking.Decode(chunks, s => s.LengthPrefixed(options).Select(f => f.Text()));

            Assert.Equal(["ok"], frames);
            var tooLarge = Assert.IsType<FrameTooLargeException>(error);
            Assert.Equal(10, tooLarge.Limit);
            Assert.Equal(11, tooLarge.Seen);
            Assert.Contains("length field 7", tooLarge.Message, StringComparison.Ordinal);
            Assert.Contains("limit of 10 bytes", tooLarge.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(1, 255)]
    [InlineData(2, 65535)]
    [InlineData(4, 99999)]
    public void LengthPrefixed_TwistedPresets_AcceptTheirLongestString(int width, int longest)
    {
        var options = width switch { 1 => LengthFieldOptions.Int8Prefixed, 2 => LengthFieldOptions.Int16Prefixed, _ => LengthFieldOptions.Int32Prefixed };
        var payload = new byte[longest];
        new Random(width).NextBytes(payload);
        var input = Chunking.EncodeAll(new LengthFieldCodec(options).Encoder, [payload, payload]);

        var (frames, error, _) = Chunking.Decode(Chunking.Cut(input, [3, 65536, 1]), s => s.LengthPrefixed(options));

        Assert.Null(error);
        Assert.Equal(2, frames.Count);
        Assert.All(frames, f => Assert.Equal(payload, f.ToArray()));
    }

    [Fact]
    public void LengthPrefixed_Int32PresetAboveTwistedMaxLength_FailsWithTheLengthSeen()
    {
        var (_, error, _) = Chunking.Decode([Chunks.Hex("000186A0")], s => s.LengthPrefixed(LengthFieldOptions.Int32Prefixed));

        var tooLarge = Assert.IsType<FrameTooLargeException>(error);
        Assert.Equal(99999 + 4, tooLarge.Limit);
        Assert.Equal(100000 + 4, tooLarge.Seen);
        Assert.Contains("length field 100000", tooLarge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LengthPrefixed_StreamEndsInsideAFrameOrItsLength_FailsWithIncompleteFrame()
    {
        foreach (var (input, leftover) in new[] { ("00000001 61 00000005 6263", 6), ("00000001 61 0000", 2) })
        {
            foreach (var chunks in Chunking.All(Chunks.Hex(input)))
            {
                var (frames, error, completed) = Chunking.Decode(chunks, s => s.LengthPrefixed().Select(f => f.Text()));

                Assert.Equal(["a"], frames);
                Assert.False(completed);
                var incomplete = Assert.IsType<IncompleteFrameException>(error);
                Assert.Equal(leftover, incomplete.Leftover);
                Assert.Contains("length-prefixed frame", incomplete.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void LengthPrefixed_AdjustedLengthShorterThanTheHeader_FailsWithFramingException()
    {
        var options = new LengthFieldOptions { LengthFieldLength = 2, LengthAdjustment = -2, InitialBytesToStrip = 2 };

        foreach (var chunks in Chunking.All(Chunks.Hex("0003 61 0001")))
        {
            var (frames, error, _) = Chunking.Decode(chunks, s => s.LengthPrefixed(options).Select(f => f.Text()));

            Assert.Equal(["a"], frames);
            Assert.IsType<FramingException>(error);
            Assert.Contains("shorter than its own 2-byte header", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LengthPrefixed_FrameShorterThanTheBytesToStrip_FailsWithFramingException()
    {
        var options = new LengthFieldOptions { LengthFieldLength = 1, InitialBytesToStrip = 4 };

        var (_, error, _) = Chunking.Decode([Chunks.Hex("02 6162")], s => s.LengthPrefixed(options));

        Assert.IsType<FramingException>(error);
        Assert.Contains("fewer than the 4 bytes to strip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LengthPrefixed_EightByteFieldWithTheTopBitSet_FailsAsANegativeLength()
    {
        var options = new LengthFieldOptions { LengthFieldLength = 8 };

        var (_, error, _) = Chunking.Decode([Chunks.Hex("FFFFFFFFFFFFFFFE")], s => s.LengthPrefixed(options));

        Assert.IsType<FramingException>(error);
        Assert.Contains("-2, a negative length", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LengthPrefixed_EightByteFieldBeyondMemory_FailsWithFrameTooLargeNamingIt()
    {
        var options = new LengthFieldOptions { LengthFieldLength = 8, LengthAdjustment = int.MaxValue };

        var (_, error, _) = Chunking.Decode([Chunks.Hex("7FFFFFFFFFFFFFFF")], s => s.LengthPrefixed(options));

        var tooLarge = Assert.IsType<FrameTooLargeException>(error);
        Assert.Equal(long.MaxValue, tooLarge.Seen); // more than a long can say
        Assert.Contains($"length field {long.MaxValue}", tooLarge.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, ByteOrder.BigEndian, "02 4849")]
    [InlineData(2, ByteOrder.BigEndian, "0002 4849")]
    [InlineData(2, ByteOrder.LittleEndian, "0200 4849")]
    [InlineData(3, ByteOrder.BigEndian, "000002 4849")]
    [InlineData(3, ByteOrder.LittleEndian, "020000 4849")]
    [InlineData(4, ByteOrder.BigEndian, "00000002 4849")]
    [InlineData(4, ByteOrder.LittleEndian, "02000000 4849")]
    [InlineData(8, ByteOrder.BigEndian, "0000000000000002 4849")]
    [InlineData(8, ByteOrder.LittleEndian, "0200000000000000 4849")]
    public void Encode_LengthField_WritesTheFieldInItsWidthAndOrderThenTheFrame(int width, ByteOrder order, string expected)
    {
        var codec = new LengthFieldCodec(new LengthFieldOptions { LengthFieldLength = width, ByteOrder = order });

        var bytes = Chunking.EncodeAll(codec.Encoder, ["HI"u8.ToArray()]);

        Assert.Equal(Chunks.Hex(expected), bytes);
    }

    [Fact]
    public void Encode_LengthFieldCountingItself_WritesTheLengthWithTheField()
    {
        var codec = new LengthFieldCodec(new LengthFieldOptions { LengthFieldLength = 2, LengthAdjustment = -2 });

        Assert.Equal(Chunks.Hex("0004 4849"), Chunking.EncodeAll(codec.Encoder, ["HI"u8.ToArray()]));
    }

    [Fact]
    public void Encode_FrameTooLongForAOneByteField_ThrowsFrameTooLargeAt255()
    {
        var codec = new LengthFieldCodec(LengthFieldOptions.Int8Prefixed);
        Chunking.EncodeAll(codec.Encoder, [new byte[255]]);

        var error = Assert.Throws<FrameTooLargeException>(() => Chunking.EncodeAll(codec.Encoder, [new byte[256]]));

        Assert.Equal(255, error.Limit);
        Assert.Equal(256, error.Seen);
        Assert.Contains("1-byte length field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_FrameAboveMaxFrameLength_ThrowsFrameTooLarge()
    {
        var codec = new LengthFieldCodec();

        var error = Assert.Throws<FrameTooLargeException>(() => Chunking.EncodeAll(codec.Encoder, [new byte[100_000]]));

        Assert.Equal(100_003, error.Limit);
        Assert.Equal(100_004, error.Seen);
    }

    [Fact]
    public void Encode_FrameShorterThanAPositiveAdjustment_ThrowsFramingException()
    {
        var codec = new LengthFieldCodec(new LengthFieldOptions { LengthFieldLength = 2, LengthAdjustment = 3 });

        var error = Assert.Throws<FramingException>(() => Chunking.EncodeAll(codec.Encoder, ["HI"u8.ToArray()]));

        Assert.Contains("cannot be negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_LayoutThatKeepsHeaderBytes_ThrowsNotSupported()
    {
        var codec = new LengthFieldCodec(new LengthFieldOptions { LengthFieldLength = 2, InitialBytesToStrip = 0 });

        Assert.Throws<NotSupportedException>(() => Chunking.EncodeAll(codec.Encoder, ["HI"u8.ToArray()]));
    }

    [Fact]
    public void LengthPrefixed_FrameInsideOneChunk_IsASliceOfThatChunk()
    {
        var chunk = Chunks.Hex("00000001 61 00000002 6263");

        var frames = Chunking.Decode([chunk], s => s.LengthPrefixed()).Frames;

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frames[1], out var segment));
        Assert.Same(chunk, segment.Array);
        Assert.Equal((9, 2), (segment.Offset, segment.Count));
    }

    [Fact]
    public void Options_SameFramingWithDefaultsOrExplicitValues_AreEqual()
    {
        var explicitly = new LengthFieldOptions { LengthFieldLength = 4, InitialBytesToStrip = 4, MaxFrameLength = 100_003 };

        Assert.Equal(LengthFieldOptions.Int32Prefixed, explicitly);
        Assert.Equal(LengthFieldOptions.Int32Prefixed.GetHashCode(), explicitly.GetHashCode());
        Assert.NotEqual(LengthFieldOptions.Int32Prefixed, explicitly with { ByteOrder = ByteOrder.LittleEndian });
    }

    [Fact]
    public void Options_Defaults_FollowTheLengthFieldWidth()
    {
        Assert.Equal(4, LengthFieldOptions.Int32Prefixed.InitialBytesToStrip);
        Assert.Equal(99999 + 4, LengthFieldOptions.Int32Prefixed.MaxFrameLength);
        Assert.Equal(2, LengthFieldOptions.Int16Prefixed.InitialBytesToStrip);
        Assert.Equal(99999 + 2, LengthFieldOptions.Int16Prefixed.MaxFrameLength);
        Assert.Equal(1, LengthFieldOptions.Int8Prefixed.LengthFieldLength);
        Assert.Same(LengthFieldOptions.Int32Prefixed, LengthFieldOptions.Default);
        var moved = LengthFieldOptions.Int16Prefixed with { LengthFieldOffset = 3 };
        Assert.Equal(5, moved.InitialBytesToStrip);
        Assert.Equal(99999 + 5, moved.MaxFrameLength);
        Assert.Equal(0, (LengthFieldOptions.Int16Prefixed with { InitialBytesToStrip = 0 }).InitialBytesToStrip);
    }

    [Theory]
    [InlineData(5, 0, 0, 100)]
    [InlineData(0, 4, 0, 100)]
    [InlineData(4, -1, 0, 100)]
    [InlineData(4, 0, -1, 100)]
    [InlineData(4, 0, 0, 0)]
    [InlineData(4, 98, 0, 100)]
    public void Options_Invalid_AreRefusedByTheCodec(int width, int offset, int strip, int max)
    {
        var options = new LengthFieldOptions { LengthFieldLength = width, LengthFieldOffset = offset, InitialBytesToStrip = strip, MaxFrameLength = max };

        Assert.ThrowsAny<ArgumentException>(() => new LengthFieldCodec(options));
    }

    [Fact]
    public void LengthField_EncodeThenDecode_AnyFramesAnyWidthOrderAdjustmentAndChunking_GivesTheFrames()
    {
        var layouts = Gen.Select(Gen.OneOf(Gen.Const(1), Gen.Const(2), Gen.Const(3), Gen.Const(4), Gen.Const(8)), Gen.Enum<ByteOrder>(), Gen.Int[-8, 0])
            .Select(t => new LengthFieldOptions { LengthFieldLength = t.Item1, ByteOrder = t.Item2, LengthAdjustment = t.Item3, MaxFrameLength = 10_000 });

        Gen.Select(layouts, Chunks.Frames, Chunks.Sizes).Sample((options, frames, sizes) =>
        {
            var codec = new LengthFieldCodec(options);
            frames = options.LengthFieldLength == 1 ? [.. frames.Where(f => f.Length <= 255 + options.LengthAdjustment)] : frames;
            var input = Chunks.EncodeAll(codec.Encoder, frames);

            var (decoded, error, completed) = Chunking.Decode(Chunking.Cut(input, sizes), s => s.Decode(codec));

            Assert.Null(error);
            Assert.True(completed);
            Assert.True(Chunks.SameBytes(frames, decoded));
        });
    }

    [Fact]
    public void LengthField_AnyNettyLayoutAnyChunking_GivesEachFrameFromItsStrippedBytes()
    {
        var widths = Gen.OneOf(Gen.Const(1), Gen.Const(2), Gen.Const(3), Gen.Const(4), Gen.Const(8));
        var gen = Gen.Select(Gen.Int[0, 3], widths, Gen.Enum<ByteOrder>(), Gen.Int[0, 3], Gen.Int[0, 100], Gen.Byte.Array[0, 200].Array[1, 20], Chunks.Sizes);

        gen.Sample((offset, width, order, extra, stripSeed, bodies, sizes) =>
        {
            // Header bytes before the length field, header bytes after it (counted by the adjustment),
            // then the body; a random number of bytes from the front stripped.
            int header = offset + width + extra;
            int strip = stripSeed % (header + 1);
            var options = new LengthFieldOptions
            {
                LengthFieldOffset = offset, LengthFieldLength = width, ByteOrder = order,
                LengthAdjustment = extra, InitialBytesToStrip = strip, MaxFrameLength = 1000,
            };
            var input = new List<byte>();
            var expected = new List<byte[]>();
            foreach (var body in bodies.Where(b => width > 1 || b.Length <= 255))
            {
                var field = new byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(field, (ulong)body.Length);
                byte[] frame = [.. Enumerable.Repeat((byte)0xAA, offset), .. order == ByteOrder.LittleEndian ? field[..width] : field[..width].Reverse(),
                    .. Enumerable.Repeat((byte)0xBB, extra), .. body];
                input.AddRange(frame);
                expected.Add(frame[strip..]);
            }

            var (frames, error, completed) = Chunking.Decode(Chunking.Cut([.. input], sizes), s => s.LengthPrefixed(options));

            Assert.Null(error);
            Assert.True(completed);
            Assert.True(Chunks.SameBytes(expected, frames));
        });
    }

    [Fact]
    public void Decoder_FramesInsideOneChunk_AreSlicesAndAllocateNothing()
    {
        var chunk = Chunks.EncodeAll(new LengthFieldCodec().Encoder, Enumerable.Range(0, 100).Select(i => new byte[i]));
        var decoder = new LengthFieldCodec().CreateDecoder();
        DecodeAll(decoder, new ReadOnlySequence<byte>(chunk)); // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        int count = DecodeAll(decoder, new ReadOnlySequence<byte>(chunk));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(100, count);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Decoder_FrameSpanningChunks_AllocatesOnlyItsCopy()
    {
        var bytes = Chunking.EncodeAll(new LengthFieldCodec().Encoder, [new byte[1000]]);
        var decoder = new LengthFieldCodec().CreateDecoder();
        var sequence = Chunking.Sequence(bytes[..2], bytes[2..500], bytes[500..]);
        DecodeAll(decoder, sequence); // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        int count = DecodeAll(decoder, sequence);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1, count);
        Assert.InRange(allocated, 1000, 1000 + 32); // the array of the frame and its object header
    }

    private static int DecodeAll(IDecoder<ReadOnlyMemory<byte>> decoder, ReadOnlySequence<byte> buffer)
    {
        int count = 0;
        while (decoder.TryDecode(ref buffer, out _))
            count++;
        return count;
    }
}

using System.Buffers;
using CsCheck;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text;
using Xunit;

namespace RxNet.Specs.Framing;

/// <summary>Lines: the same frames under every chunking, limits with typed errors, and the end-of-stream rule.</summary>
public sealed class LineCodecSpecs
{
    [Fact]
    public void Lines_EverySplitOfMixedLfAndCrLfLines_GivesTheSameLines()
    {
        var input = Chunks.Utf8("one\r\ntwo\n\nthree é\r\n");

        foreach (var chunks in Chunking.All(input))
        {
            var (frames, error, completed) = Chunking.Decode(chunks, s => s.Lines());

            Assert.Null(error);
            Assert.True(completed);
            Assert.Equal(["one", "two", "", "three é"], frames);
        }
    }

    [Fact]
    public void Lines_EverySplitWithATwoByteCustomDelimiter_GivesTheSameLines()
    {
        var options = LineOptions.CrLf;
        var input = Chunks.Utf8("a\rb\r\n\r\nc\n\r\n");

        foreach (var chunks in Chunking.All(input))
        {
            var (frames, error, _) = Chunking.Decode(chunks, s => s.Lines(options));

            Assert.Null(error);
            Assert.Equal(["a\rb", "", "c\n"], frames);
        }
    }

    [Fact]
    public void Lines_LineAboveTheMaximum_FailsWithFrameTooLargeNamingTheLimit()
    {
        var options = LineOptions.Default with { MaxLength = 4 };

        foreach (var chunks in Chunking.All(Chunks.Utf8("abcd\nabcdef\nx\n")))
        {
            var (frames, error, _) = Chunking.Decode(chunks, s => s.Lines(options));

            Assert.Equal(["abcd"], frames);
            var tooLarge = Assert.IsType<FrameTooLargeException>(error);
            Assert.Equal(4, tooLarge.Limit);
            Assert.Contains("4 bytes", tooLarge.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Lines_DiscardAtTheLimit_DropsTheLongLineAndKeepsGoing()
    {
        var options = LineOptions.Default with { MaxLength = 4, TooLong = LineTooLong.Discard };

        foreach (var chunks in Chunking.All(Chunks.Utf8("abcd\nabcdefgh\r\nxy\r\n")))
        {
            var (frames, error, completed) = Chunking.Decode(chunks, s => s.Lines(options));

            Assert.Null(error);
            Assert.True(completed);
            Assert.Equal(["abcd", "xy"], frames);
        }
    }

    [Fact]
    public void Lines_StreamEndsInsideALine_FailsWithIncompleteFrameUnlessAccepted()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("ok\npart")))
        {
            var strict = Chunking.Decode(chunks, s => s.Lines());
            var lenient = Chunking.Decode(chunks, s => s.Lines(LineOptions.Default with { AcceptUnterminatedLastLine = true }));

            Assert.Equal(["ok"], strict.Frames);
            Assert.Equal(4, Assert.IsType<IncompleteFrameException>(strict.Error).Leftover);
            Assert.Equal(["ok", "part"], lenient.Frames);
            Assert.True(lenient.Completed);
        }
    }

    [Fact]
    public void LineFrames_LineInsideOneChunk_IsASliceOfThatChunk()
    {
        var chunk = Chunks.Utf8("hello\nworld\n");
        var frames = Chunking.Decode([chunk], s => s.LineFrames()).Frames;

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frames[1], out var segment));
        Assert.Same(chunk, segment.Array);
        Assert.Equal(6, segment.Offset);
    }

    [Fact]
    public void Encode_Lines_WritesEachWithItsDelimiterAndRefusesOnesThatContainIt()
    {
        var written = new List<string>();
        Exception? error = null;
        var output = System.Reactive.Observer.Create<ReadOnlyMemory<byte>>(b => written.Add(Encoding.UTF8.GetString(b.Span)), e => error = e);
        var lines = output.Encode(new LineCodec(LineOptions.CrLf).Encoder);

        lines.OnNext("HELO x"u8.ToArray());
        lines.OnNext(Array.Empty<byte>());
        lines.OnNext("a\r\nb"u8.ToArray());

        Assert.Equal(["HELO x\r\n", "\r\n"], written);
        Assert.IsType<FramingException>(error);
    }

    [Fact]
    public void Lines_EncodeThenDecode_AnyLinesWithAnyDelimiterAnyChunking_GivesTheLines()
    {
        var delimiters = Gen.Int[0, 2].Select(i => i switch { 0 => "\n"u8.ToArray(), 1 => "\r\n"u8.ToArray(), _ => "<EOL>"u8.ToArray() });
        var lines = Gen.Frequency((8, Gen.Byte[(byte)' ', (byte)'~'].Array[0, 60]), (2, Gen.Byte[(byte)' ', (byte)'~'].Array[61, 3000])).Array[0, 40];

        Gen.Select(lines, delimiters, Chunks.Sizes).Sample((frames, delimiter, sizes) =>
        {
            var codec = new LineCodec(LineOptions.Default with { Delimiter = delimiter, StripCarriageReturn = false });
            var sent = frames.Where(f => f.AsSpan().IndexOf(delimiter) < 0).ToArray(); // a line holding its delimiter cannot be sent

            var (decoded, error, completed) = Chunking.Decode(Chunking.Cut(Chunks.EncodeAll(codec.Encoder, sent), sizes), s => s.Decode(codec));

            Assert.Null(error);
            Assert.True(completed);
            Assert.True(Chunks.SameBytes(sent, decoded));
        });
    }

    [Fact]
    public void FrameReader_LinesThenRawBytesThenLines_KeepsEveryBufferedByteAcrossTheSwitch()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("LEN 5\nhelloBYE\n")))
        {
            var input = new Subject<ReadOnlyMemory<byte>>();
            using var reader = new FrameReader(input);
            var seen = new List<string>();
            reader.Read(new LineDecoder()).Take(1).Subscribe(line =>
            {
                seen.Add(Encoding.UTF8.GetString(line.Span));
                reader.Read(new FixedLengthForSpec(5)).Take(1).Subscribe(body =>
                {
                    seen.Add(Encoding.UTF8.GetString(body.Span));
                    reader.Read(new LineDecoder()).Subscribe(rest => seen.Add(Encoding.UTF8.GetString(rest.Span)));
                });
            });

            foreach (var chunk in chunks)
                input.OnNext(chunk);

            Assert.Equal(["LEN 5", "hello", "BYE"], seen);
        }
    }

    /// <summary>A minimal fixed-length decoder for the switching spec (the built-in one has its own specs).</summary>
    private sealed class FixedLengthForSpec(int length) : IDecoder<ReadOnlyMemory<byte>>
    {
        public bool TryDecode(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame)
        {
            frame = default;
            if (buffer.Length < length)
                return false;
            frame = buffer.Slice(0, length).ToArray();
            buffer = buffer.Slice(length);
            return true;
        }

        public bool TryDecodeFinal(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame) =>
            throw new IncompleteFrameException("a fixed-length frame", buffer.Length);
    }
}

using System.Reactive.Linq;
using CsCheck;
using Xunit;

namespace RxNet.Specs.Framing;

/// <summary>Fixed-length frames: every split, the end-of-stream rule, the encoder's check and round trips.</summary>
public sealed class FixedLengthCodecSpecs
{
    [Fact]
    public void FixedLength_EverySplit_GivesFramesOfTheLength()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("abcdefghijkl")))
        {
            var (frames, error, completed) = Chunking.Decode(chunks, s => s.FixedLength(3).Select(f => f.Text()));

            Assert.Null(error);
            Assert.True(completed);
            Assert.Equal(["abc", "def", "ghi", "jkl"], frames);
        }
    }

    [Fact]
    public void FixedLength_StreamEndsInsideAFrame_FailsWithIncompleteFrame()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("abcdefgh")))
        {
            var (frames, error, completed) = Chunking.Decode(chunks, s => s.FixedLength(3).Select(f => f.Text()));

            Assert.Equal(["abc", "def"], frames);
            Assert.False(completed);
            Assert.Equal(2, Assert.IsType<IncompleteFrameException>(error).Leftover);
            Assert.Contains("fixed-length frame", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FixedLength_FrameInsideOneChunk_IsASliceOfThatChunk()
    {
        var chunk = Chunks.Utf8("abcdef");

        var frames = Chunking.Decode([chunk], s => s.FixedLength(3)).Frames;

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frames[1], out var segment));
        Assert.Same(chunk, segment.Array);
        Assert.Equal(3, segment.Offset);
    }

    [Fact]
    public void Encode_FixedLength_WritesTheFrameAndRefusesOtherLengths()
    {
        var codec = new FixedLengthCodec(3);

        Assert.Equal("abc"u8.ToArray(), Chunking.EncodeAll(codec.Encoder, [Chunks.Utf8("abc")]));
        var error = Assert.Throws<FramingException>(() => Chunking.EncodeAll(codec.Encoder, [Chunks.Utf8("ab")]));
        Assert.Contains("exactly 3 bytes; it is 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FixedLengthCodec_LengthBelowOne_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedLengthCodec(0));

    [Fact]
    public void FixedLength_AnyLengthAnyChunking_GivesTheBytesCutEveryLengthBytes()
    {
        Gen.Select(Gen.Int[1, 300], Gen.Int[0, 50], Chunks.Sizes).Sample((length, count, sizes) =>
        {
            var input = new byte[length * count];
            new Random(length ^ count).NextBytes(input);
            var expected = input.Chunk(length).ToArray();

            var (frames, error, completed) = Chunking.Decode(Chunking.Cut(input, sizes), s => s.FixedLength(length));

            Assert.Null(error);
            Assert.True(completed);
            Assert.True(Chunks.SameBytes(expected, frames));
        });
    }
}

using System.Reactive.Linq;
using CsCheck;
using Xunit;

namespace RxNet.Specs.Framing;

/// <summary>Netstrings: the same strings at every chunk split, errors that say what was seen, Twisted's
/// limit, the end-of-stream rule and round trips.</summary>
public sealed class NetstringCodecSpecs
{
    [Fact]
    public void Netstrings_EverySplit_GivesTheSameStrings()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("2:hi,0:,3:a,:,")))
        {
            var (frames, error, completed) = Chunking.Decode(chunks, s => s.Netstrings().Select(f => f.Text()));

            Assert.Null(error);
            Assert.True(completed);
            Assert.Equal(["hi", "", "a,:"], frames);
        }
    }

    [Fact]
    public void Netstrings_TenOrMoreBytes_ReadEveryDigitOfTheLength()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("10:0123456789,")))
        {
            var (frames, error, _) = Chunking.Decode(chunks, s => s.Netstrings().Select(f => f.Text()));

            Assert.Null(error);
            Assert.Equal(["0123456789"], frames);
        }
    }

    [Theory]
    [InlineData("1:a,05:hello,", "\"05\"")]
    [InlineData("1:a,00:,", "\"00\"")]
    public void Netstrings_LengthWithALeadingZero_FailsSayingSo(string input, string seen)
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8(input)))
        {
            var (frames, error, _) = Chunking.Decode(chunks, s => s.Netstrings().Select(f => f.Text()));

            Assert.Equal(["a"], frames);
            Assert.IsType<FramingException>(error);
            Assert.Contains("leading zeros", error.Message, StringComparison.Ordinal);
            Assert.Contains(seen, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("1:a,x:abc,", "'x' (0x78)")]
    [InlineData("1:a,1a:b,", "'a' (0x61) after \"1\"")]
    [InlineData("1:a,-1:b,", "'-' (0x2D)")]
    [InlineData("1:a, 1:b,", "' ' (0x20)")]
    [InlineData("1:a,:b,", "saw ':' first")]
    [InlineData("1:a,\n", "byte 0x0A")]
    public void Netstrings_LengthThatIsNotDigitsAndAColon_FailsNamingWhatWasSeen(string input, string seen)
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8(input)))
        {
            var (frames, error, _) = Chunking.Decode(chunks, s => s.Netstrings().Select(f => f.Text()));

            Assert.Equal(["a"], frames);
            Assert.IsType<FramingException>(error);
            Assert.Contains(seen, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Netstrings_DataNotFollowedByAComma_FailsNamingWhatCameInstead()
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8("1:a,2:hi;3:abc,")))
        {
            var (frames, error, _) = Chunking.Decode(chunks, s => s.Netstrings().Select(f => f.Text()));

            Assert.Equal(["a"], frames);
            Assert.IsType<FramingException>(error);
            Assert.Contains("must end with ','; saw ';' (0x3B) after its 2 bytes", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Netstrings_LengthAboveTheMaximum_FailsAsSoonAsItsDigitsSaySo()
    {
        // No colon and no data ever arrive: the sixth digit alone is enough.
        foreach (var chunks in Chunking.All(Chunks.Utf8("1:a,100000")))
        {
            var (frames, error, _) = Chunking.Decode(chunks, s => s.Netstrings().Select(f => f.Text()));

            Assert.Equal(["a"], frames);
            var tooLarge = Assert.IsType<FrameTooLargeException>(error);
            Assert.Equal(NetstringCodec.DefaultMaxLength, tooLarge.Limit);
            Assert.Equal(100000, tooLarge.Seen);
            Assert.Contains("limit of 99999 bytes", tooLarge.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Netstrings_EndlessDigits_FailAfterABoundedNumberOfThem()
    {
        var (_, error, _) = Chunking.Decode([Chunks.Utf8(new string('9', 1000))], s => s.Netstrings(maxLength: 50));

        var tooLarge = Assert.IsType<FrameTooLargeException>(error);
        Assert.Equal(99, tooLarge.Seen);
    }

    [Fact]
    public void Netstrings_TwistedMaximum_Accepts99999Bytes()
    {
        var data = new byte[99999];
        new Random(5).NextBytes(data);
        var input = Chunking.EncodeAll(new NetstringCodec().Encoder, [data]);

        var (frames, error, _) = Chunking.Decode(Chunking.Cut(input, [2, 4, 50000]), s => s.Netstrings());

        Assert.Null(error);
        Assert.Equal(data, Assert.Single(frames).ToArray());
    }

    [Theory]
    [InlineData("1:a,2:h", 3)]
    [InlineData("1:a,2:hi", 4)]
    [InlineData("1:a,12", 2)]
    public void Netstrings_StreamEndsInsideANetstring_FailsWithIncompleteFrame(string input, int leftover)
    {
        foreach (var chunks in Chunking.All(Chunks.Utf8(input)))
        {
            var (frames, error, completed) = Chunking.Decode(chunks, s => s.Netstrings().Select(f => f.Text()));

            Assert.Equal(["a"], frames);
            Assert.False(completed);
            Assert.Equal(leftover, Assert.IsType<IncompleteFrameException>(error).Leftover);
            Assert.Contains("netstring", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Netstrings_NetstringInsideOneChunk_IsASliceOfThatChunk()
    {
        var chunk = Chunks.Utf8("1:a,3:bcd,");

        var frames = Chunking.Decode([chunk], s => s.Netstrings()).Frames;

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frames[1], out var segment));
        Assert.Same(chunk, segment.Array);
        Assert.Equal((6, 3), (segment.Offset, segment.Count));
    }

    [Fact]
    public void Encode_Netstring_WritesLengthColonDataComma()
    {
        var bytes = Chunks.EncodeAll(new NetstringCodec().Encoder, [Chunks.Utf8("hello"), [], Chunks.Utf8("0123456789")]);

        Assert.Equal("5:hello,0:,10:0123456789,", System.Text.Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void Encode_NetstringAboveTheMaximum_ThrowsFrameTooLarge()
    {
        var error = Assert.Throws<FrameTooLargeException>(() => Chunking.EncodeAll(new NetstringCodec(4).Encoder, [Chunks.Utf8("hello")]));

        Assert.Equal(4, error.Limit);
        Assert.Equal(5, error.Seen);
    }

    [Fact]
    public void NetstringCodec_NegativeMaximum_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetstringCodec(-1));

    [Fact]
    public void Netstrings_EncodeThenDecode_AnyStringsAnyChunking_GivesTheStrings()
    {
        var codec = new NetstringCodec();

        Gen.Select(Chunks.Frames, Chunks.Sizes).Sample((frames, sizes) =>
        {
            var input = Chunks.EncodeAll(codec.Encoder, frames);

            var (decoded, error, completed) = Chunking.Decode(Chunking.Cut(input, sizes), s => s.Decode(codec));

            Assert.Null(error);
            Assert.True(completed);
            Assert.True(Chunks.SameBytes(frames, decoded));
        });
    }

    [Fact]
    public void Netstrings_AnyBytes_NeverThrowAnythingButFramingErrors()
    {
        Gen.Select(Gen.Byte[(byte)'(', (byte)';'].Array[0, 40], Chunks.Sizes).Sample((input, sizes) =>
        {
            var (_, error, completed) = Chunking.Decode(Chunking.Cut(input, sizes), s => s.Netstrings(maxLength: 50));

            Assert.True(completed || error is FramingException, error?.ToString());
        });
    }
}

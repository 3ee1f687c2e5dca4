using System.Text;
using CsCheck;
using Xunit;

namespace RxNet.Specs.Framing;

/// <summary>UTF-8 text: characters split across chunks come whole, invalid bytes as <see cref="Encoding.UTF8"/>
/// decodes them or as typed errors, and the same text under every chunking.</summary>
public sealed class TextCodecSpecs
{
    [Fact]
    public void Text_EverySplitOfOneToFourByteCharacters_GivesTheTextWithNoReplacementCharacter()
    {
        const string text = "aé€😀b";

        foreach (var chunks in Chunking.All(Chunks.Utf8(text)))
        {
            var (pieces, error, completed) = Chunking.Decode(chunks, s => s.Text());

            Assert.Null(error);
            Assert.True(completed);
            Assert.Equal(text, string.Concat(pieces));
            Assert.DoesNotContain(pieces, p => p.Length == 0 || p.Contains('\uFFFD', StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Text_EverySplitOfInvalidBytes_GivesWhatEncodingUtf8GivesForTheWhole()
    {
        // A stray continuation byte, an overlong start, a surrogate, a byte never valid, and "€" cut off by the end.
        byte[] input = [0x61, 0x80, 0xE0, 0x80, 0x62, 0xED, 0xA0, 0x80, 0xFF, 0xE2, 0x82];
        string expected = Encoding.UTF8.GetString(input);

        foreach (var chunks in Chunking.All(input))
        {
            var (pieces, error, completed) = Chunking.Decode(chunks, s => s.Text());

            Assert.Null(error);
            Assert.True(completed);
            Assert.Equal(expected, string.Concat(pieces));
        }
    }

    [Fact]
    public void Text_ThrowOnInvalidBytes_FailsNamingTheBytes()
    {
        foreach (var chunks in Chunking.All([0x61, 0x62, 0xFF, 0x63]))
        {
            var (pieces, error, _) = Chunking.Decode(chunks, s => s.Text(throwOnInvalidBytes: true));

            Assert.StartsWith(string.Concat(pieces), "ab", StringComparison.Ordinal); // what came before the bad byte, if anything
            Assert.IsType<FramingException>(error);
            Assert.Contains("0xFF", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Text_ThrowOnInvalidBytes_CharacterCutOffByTheEnd_FailsWithIncompleteFrame()
    {
        foreach (var chunks in Chunking.All([0x61, 0xF0, 0x9F, 0x98]))
        {
            var (pieces, error, completed) = Chunking.Decode(chunks, s => s.Text(throwOnInvalidBytes: true));

            Assert.Equal("a", string.Concat(pieces));
            Assert.False(completed);
            Assert.Equal(3, Assert.IsType<IncompleteFrameException>(error).Leftover);
        }
    }

    [Fact]
    public void Text_AnyBytesAnyChunking_GivesWhatEncodingUtf8GivesForTheWhole()
    {
        // Mostly real text (where split characters are common), sometimes arbitrary bytes.
        var bytes = Gen.Frequency((3, Gen.String[0, 400].Select(Encoding.UTF8.GetBytes)), (1, Gen.Byte.Array[0, 400]));

        Gen.Select(bytes, Chunks.Sizes).Sample((input, sizes) =>
        {
            var (pieces, error, completed) = Chunking.Decode(Chunking.Cut(input, sizes), s => s.Text());

            Assert.Null(error);
            Assert.True(completed);
            Assert.Equal(Encoding.UTF8.GetString(input), string.Concat(pieces));
        });
    }

    [Fact]
    public void Text_EncodeThenDecode_AnyValidTextAnyChunking_GivesTheText()
    {
        var codec = new TextCodec(throwOnInvalidBytes: true);

        Gen.Select(Gen.String[0, 200].Array[0, 10], Chunks.Sizes).Sample((texts, sizes) =>
        {
            var valid = texts.Select(t => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(t))).ToArray(); // no lone surrogates
            var input = Chunking.EncodeAll(codec.Encoder, valid);

            var (pieces, error, completed) = Chunking.Decode(Chunking.Cut(input, sizes), s => s.Decode(codec));

            Assert.Null(error);
            Assert.True(completed);
            Assert.Equal(string.Concat(valid), string.Concat(pieces));
        });
    }

    [Fact]
    public void Encode_Text_WritesUtf8WithoutAByteOrderMark()
    {
        Assert.Equal("hé€"u8.ToArray(), Chunking.EncodeAll(new TextCodec().Encoder, ["h", "é€"]));
    }

    [Fact]
    public void Encode_LoneSurrogate_BecomesReplacementOrFailsWhenStrict()
    {
        Assert.Equal(Chunks.Hex("61 EFBFBD"), Chunking.EncodeAll(new TextCodec().Encoder, ["a\uD800"]));

        var error = Assert.Throws<FramingException>(() => Chunking.EncodeAll(new TextCodec(throwOnInvalidBytes: true).Encoder, ["a\uD800"]));
        Assert.Contains("lone surrogate", error.Message, StringComparison.Ordinal);
    }
}

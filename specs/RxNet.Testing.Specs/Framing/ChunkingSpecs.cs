using System.Buffers;
using System.Reactive.Linq;
using Xunit;

namespace RxNet.Testing.Specs.Framing;

/// <summary>
/// Chunkings as data: every cut of a short input exactly once, fixed sizes for long ones, a synchronous
/// decode run that reports frames, error and completion, and multi-segment sequences.
/// </summary>
public sealed class ChunkingSpecs
{
    [Fact]
    public void All_FourBytes_GivesTheEightCutsEachOnceAndEachJoiningBackToTheInput()
    {
        byte[] input = "abcd"u8.ToArray();

        var cuts = Chunking.All(input).ToList();

        Assert.Equal(8, cuts.Count);
        Assert.All(cuts, c => Assert.Equal(input, c.SelectMany(b => b).ToArray()));
        Assert.All(cuts, c => Assert.DoesNotContain(c, chunk => chunk.Length == 0));
        Assert.Equal(8, cuts.Select(c => string.Join("|", c.Select(b => System.Text.Encoding.ASCII.GetString(b)))).Distinct().Count());
        Assert.Contains(cuts, c => c.Length == 1);
        Assert.Contains(cuts, c => c.Length == 4);
    }

    [Fact]
    public void All_EmptyInput_GivesOneChunkingWithNoChunks()
    {
        Assert.Equal([[]], Chunking.All([]));
    }

    [Fact]
    public void All_LongerThanTheLimit_ThrowsBeforeEnumerating()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Chunking.All(new byte[Chunking.MaxAllLength + 1]));
    }

    [Fact]
    public void Boundaries_FourBytes_GivesTheWholeByteByByteAndEveryCutIntoTwoOrThree()
    {
        byte[] input = "abcd"u8.ToArray();

        var cuts = Chunking.Boundaries(input).Select(c => string.Join("|", c.Select(b => System.Text.Encoding.ASCII.GetString(b)))).ToList();

        Assert.Equal(["abcd", "a|b|c|d", "a|bcd", "a|b|cd", "a|bc|d", "ab|cd", "ab|c|d", "abc|d"], cuts);
    }

    [Fact]
    public void Cut_SizesOneAndThree_TakesThemInTurnAndShortensTheLast()
    {
        var chunks = Chunking.Cut("abcdefg"u8.ToArray(), 1, 3);

        Assert.Equal([1, 3, 1, 2], chunks.Select(c => c.Length));
        Assert.Equal("abcdefg"u8.ToArray(), chunks.SelectMany(c => c).ToArray());
    }

    [Fact]
    public void Every_SizeZero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Chunking.Every([1, 2], 0));
    }

    [Fact]
    public void Every_One_DeliversByteByByte()
    {
        Assert.Equal([[1], [2], [3]], Chunking.Every([1, 2, 3], 1));
    }

    [Fact]
    public void Decode_LinesUnderEveryCut_GivesTheSameLinesAndCompletes()
    {
        foreach (var chunks in Chunking.All("a\r\nbc\n"u8.ToArray()))
        {
            var (frames, error, completed) = Chunking.Decode(chunks, input => input.Lines());

            Assert.Equal(["a", "bc"], frames);
            Assert.Null(error);
            Assert.True(completed);
        }
    }

    [Fact]
    public void Decode_PipelineThatFails_ReportsTheFramesBeforeAndTheErrorWithoutCompleting()
    {
        var run = Chunking.Decode(Chunking.Every("ok\nunterminated"u8.ToArray(), 3), input => input.Lines());

        Assert.Equal(["ok"], run.Frames);
        Assert.IsType<IncompleteFrameException>(run.Error);
        Assert.False(run.Completed);
    }

    [Fact]
    public void EncodeAll_ThenDecodeUnderEveryCut_RoundTripsTheFrames()
    {
        var codec = new NetstringCodec();
        byte[] bytes = Chunking.EncodeAll(codec.Encoder, new ReadOnlyMemory<byte>[] { "hi"u8.ToArray(), "you"u8.ToArray() });

        foreach (var chunks in Chunking.All(bytes))
        {
            var run = Chunking.Decode(chunks, input => input.Netstrings().Select(f => System.Text.Encoding.ASCII.GetString(f.Span)));
            Assert.Equal(["hi", "you"], run.Frames);
        }
    }

    [Fact]
    public void Sequence_ThreeParts_IsOneSequenceOfThreeSegmentsOverTheParts()
    {
        byte[] a = [1, 2], b = [3], c = [4, 5, 6];

        var sequence = Chunking.Sequence(a, b, c);

        Assert.False(sequence.IsSingleSegment);
        Assert.Equal([1, 2, 3, 4, 5, 6], sequence.ToArray());
        int segments = 0;
        foreach (var _ in sequence)
            segments++;
        Assert.Equal(3, segments);
    }
}

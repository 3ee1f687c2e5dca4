using System.Buffers;
using Xunit;

namespace RxNet.Specs.Framing;

/// <summary>A chain of <see cref="ChunkSegment"/>s reads its chunks as one sequence, in order and without copying
/// them, and does not branch.</summary>
public sealed class ChunkSegmentSpecs
{
    [Fact]
    public void Sequence_SeveralChunks_ReadsThemInOrderOneSegmentEach()
    {
        byte[] a = [1, 2], b = [3], c = [4, 5, 6];

        var sequence = ChunkSegment.Sequence(a, b, c);

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, sequence.ToArray());
        Assert.False(sequence.IsSingleSegment);
        var segments = new List<ReadOnlyMemory<byte>>();
        foreach (var segment in sequence)
            segments.Add(segment);
        Assert.Equal(3, segments.Count);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(segments[2], out var array));
        Assert.Same(c, array.Array); // the chunk itself, not a copy
    }

    [Fact]
    public void Append_ToTheLastSegment_SlicesAcrossTheBoundaryWithRunningIndexes()
    {
        var first = new ChunkSegment(new byte[] { 1, 2, 3 });
        var last = first.Append(new byte[] { 4, 5 });

        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);

        Assert.Equal(3, last.RunningIndex);
        Assert.Equal(new byte[] { 3, 4 }, sequence.Slice(2, 2).ToArray());
    }

    [Fact]
    public void Append_ToASegmentThatHasANext_Throws()
    {
        var first = new ChunkSegment(new byte[] { 1 });
        first.Append(new byte[] { 2 });

        Assert.Throws<InvalidOperationException>(() => first.Append(new byte[] { 3 }));
    }

    [Fact]
    public void Sequence_NoChunks_Throws() =>
        Assert.Throws<ArgumentException>(() => ChunkSegment.Sequence());
}

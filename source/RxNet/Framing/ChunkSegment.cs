using System.Buffers;

namespace RxNet;

/// <summary>
/// One chunk in a chain of received chunks read as one <see cref="ReadOnlySequence{T}"/>, without copying them: what
/// a decoder's buffer is when a frame spans several chunks, and what a spec builds to read a decoder across segment
/// boundaries.
/// </summary>
/// <remarks>
/// <para>Start a chain with <see cref="ChunkSegment(ReadOnlyMemory{byte})"/>, add each next chunk with
/// <see cref="Append"/>, and read <c>new ReadOnlySequence&lt;byte&gt;(first, 0, last, last.Memory.Length)</c>, or
/// call <see cref="Sequence"/> for a whole list at once.</para>
/// <para><b>Ownership.</b> The segments refer to the chunks' memory; they never copy it. The memory must stay
/// unchanged while a sequence over it is read: a received chunk is its subscriber's for ever, so it does.</para>
/// <para><b>Threading.</b> A chain is built by one thread; once built, reading it from several threads is
/// safe.</para>
/// </remarks>
public sealed class ChunkSegment : ReadOnlySequenceSegment<byte>
{
    /// <summary>Starts a chain with <paramref name="memory"/> as its first segment.</summary>
    /// <param name="memory">The first chunk; not copied.</param>
    public ChunkSegment(ReadOnlyMemory<byte> memory)
        : this(memory, 0)
    {
    }

    private ChunkSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>Adds <paramref name="memory"/> after this segment, which must be the chain's last.</summary>
    /// <param name="memory">The next chunk; not copied.</param>
    /// <returns>The new last segment of the chain.</returns>
    /// <exception cref="InvalidOperationException">This segment already has one after it: a chain does not
    /// branch.</exception>
    public ChunkSegment Append(ReadOnlyMemory<byte> memory)
    {
        if (Next is not null)
            throw new InvalidOperationException("Append to the last segment of a chain.");
        var next = new ChunkSegment(memory, RunningIndex + Memory.Length);
        Next = next;
        return next;
    }

    /// <summary>A sequence of one segment per chunk, in order.</summary>
    /// <param name="chunks">The chunks; at least one. None is copied.</param>
    /// <returns>The sequence over all of them.</returns>
    /// <exception cref="ArgumentException"><paramref name="chunks"/> is empty.</exception>
    public static ReadOnlySequence<byte> Sequence(params ReadOnlySpan<ReadOnlyMemory<byte>> chunks)
    {
        if (chunks.IsEmpty)
            throw new ArgumentException("Give at least one chunk.", nameof(chunks));
        var first = new ChunkSegment(chunks[0]);
        var last = first;
        for (int i = 1; i < chunks.Length; i++)
            last = last.Append(chunks[i]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}

namespace RxNet.Sockets.Internal;

/// <summary>
/// Carves received chunks out of large per-thread blocks, so a read allocates no array of its own
/// and an idle connection holds no receive buffer at all.
/// </summary>
/// <remarks>
/// A carved part of a slab is never reused: once carved, a chunk is the subscriber's to keep (docs/connections.md, Input: ownership) and the
/// slab is reclaimed by the GC when its last chunk is dropped. Callers must carve synchronously on
/// one thread: <see cref="Free"/>, a synchronous receive, then <see cref="Take"/>.
/// </remarks>
internal static class ReceiveSlab
{
    /// <summary>Below the large-object threshold (85 000 bytes), so slabs die young in generation 0;
    /// large enough that a busy stream reads up to 64 KiB per call.</summary>
    internal const int SlabSize = 64 * 1024;

    /// <summary>The smallest read worth making from the rest of a slab.</summary>
    internal const int MinimumRead = 4 * 1024;

    [ThreadStatic]
    private static byte[]? t_slab;

    [ThreadStatic]
    private static int t_used;

    /// <summary>The free tail of this thread's slab, at least <see cref="MinimumRead"/> bytes.</summary>
    public static Span<byte> Free()
    {
        if (t_slab is null || SlabSize - t_used < MinimumRead)
        {
            t_slab = GC.AllocateUninitializedArray<byte>(SlabSize);
            t_used = 0;
        }
        return t_slab.AsSpan(t_used);
    }

    /// <summary>The first <paramref name="count"/> bytes of the free tail, lent: the next read on this thread reads
    /// over them (for a subscriber that copies before it returns, <see cref="RxNet.Transport.TransportInput.Lend"/>).</summary>
    public static ReadOnlyMemory<byte> Lend(int count) => new(t_slab, t_used, count);

    /// <summary>Takes the first <paramref name="count"/> bytes of the free tail as a chunk.</summary>
    public static ReadOnlyMemory<byte> Take(int count)
    {
        var chunk = new ReadOnlyMemory<byte>(t_slab, t_used, count);
        t_used += count;
        return chunk;
    }
}

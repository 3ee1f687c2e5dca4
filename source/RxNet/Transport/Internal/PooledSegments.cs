using System.Buffers;

namespace RxNet.Transport.Internal;

/// <summary>The queue of pooled segments that <see cref="TransportOutput"/> writes into:
/// a write fills the last segment's room first, then rents one more.</summary>
internal static class PooledSegments
{
    /// <summary>Copies <paramref name="data"/> to the end of <paramref name="queued"/>, renting segments of at
    /// least <paramref name="segmentSize"/> bytes from the shared pool.</summary>
    public static void Append(ref List<ArraySegment<byte>>? queued, ReadOnlySpan<byte> data, int segmentSize)
    {
        queued ??= [];
        if (queued.Count > 0)
        {
            var tail = queued[^1];
            data = Fill(ref tail, data);
            queued[^1] = tail;
        }
        if (!data.IsEmpty)
            queued.Add(Rent(data, segmentSize));
    }

    /// <summary>Copies as much of <paramref name="data"/> as fits after <paramref name="segment"/>'s bytes into its
    /// array, and grows the segment by that much.</summary>
    /// <returns>What did not fit.</returns>
    public static ReadOnlySpan<byte> Fill(scoped ref ArraySegment<byte> segment, ReadOnlySpan<byte> data)
    {
        int end = segment.Offset + segment.Count;
        int n = Math.Min(segment.Array!.Length - end, data.Length);
        data[..n].CopyTo(segment.Array.AsSpan(end));
        segment = new ArraySegment<byte>(segment.Array, segment.Offset, segment.Count + n);
        return data[n..];
    }

    /// <summary>A segment of a pooled array of at least <paramref name="segmentSize"/> bytes, holding a copy of
    /// <paramref name="data"/>.</summary>
    public static ArraySegment<byte> Rent(ReadOnlySpan<byte> data, int segmentSize)
    {
        byte[] array = ArrayPool<byte>.Shared.Rent(Math.Max(segmentSize, data.Length));
        data.CopyTo(array);
        return new ArraySegment<byte>(array, 0, data.Length);
    }

    /// <summary>Returns every segment's array to the pool (skipping entries already returned and cleared to
    /// <see langword="default"/>, and <paramref name="skip"/>, an array a send in flight still reads) and empties
    /// the list.</summary>
    public static void Return(List<ArraySegment<byte>>? segments, byte[]? skip = null)
    {
        if (segments is null)
            return;
        foreach (var segment in segments)
        {
            if (segment.Array is not null && !ReferenceEquals(segment.Array, skip))
                ArrayPool<byte>.Shared.Return(segment.Array);
        }
        segments.Clear();
    }
}

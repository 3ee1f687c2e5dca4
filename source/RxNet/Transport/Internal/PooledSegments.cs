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
            int room = tail.Array!.Length - tail.Offset - tail.Count;
            if (room > 0)
            {
                int n = Math.Min(room, data.Length);
                data[..n].CopyTo(tail.Array.AsSpan(tail.Offset + tail.Count));
                queued[^1] = new ArraySegment<byte>(tail.Array, tail.Offset, tail.Count + n);
                data = data[n..];
            }
        }
        if (data.IsEmpty)
            return;
        byte[] array = ArrayPool<byte>.Shared.Rent(Math.Max(segmentSize, data.Length));
        data.CopyTo(array);
        queued.Add(new ArraySegment<byte>(array, 0, data.Length));
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

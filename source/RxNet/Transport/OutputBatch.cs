namespace RxNet.Transport;

/// <summary>
/// The bytes one drain of an <see cref="TransportOutput"/> hands to its <see cref="IOutputDrain"/>: one or more
/// segments of pooled buffers, in order.
/// </summary>
/// <remarks>Valid only during <see cref="IOutputDrain.SendAsync"/>: the queue returns the buffers to the
/// pool once the send completes. Usually one segment (every write of a turn appended to one buffer).</remarks>
public readonly struct OutputBatch : IEquatable<OutputBatch>
{
    private readonly ArraySegment<byte> _single;
    private readonly List<ArraySegment<byte>>? _several;

    internal OutputBatch(ArraySegment<byte> single, List<ArraySegment<byte>>? several, long length)
    {
        _single = single;
        _several = several;
        Length = length;
    }

    /// <summary>The number of bytes.</summary>
    public long Length { get; }

    /// <summary>The number of segments (at least one).</summary>
    public int Count => _several?.Count ?? 1;

    /// <summary>One segment.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> − 1.</param>
    /// <returns>The segment.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public ArraySegment<byte> this[int index]
    {
        get
        {
            if (_several is not null)
                return _several[index];
            ArgumentOutOfRangeException.ThrowIfNotEqual(index, 0);
            return _single;
        }
    }

    /// <summary>Every segment, for a vectored send (<c>Socket.SendAsync(IList&lt;ArraySegment&lt;byte&gt;&gt;)</c>).
    /// With one segment this makes a list; prefer <c>this[0]</c> then. Do not change the list.</summary>
    public IList<ArraySegment<byte>> Segments => _several ?? [_single];

    /// <summary>Copies the bytes into one new array (what a simulated link carries).</summary>
    /// <returns>A new array of <see cref="Length"/> bytes.</returns>
    public byte[] ToArray()
    {
        var data = new byte[Length];
        int filled = 0;
        for (int i = 0; i < Count; i++)
        {
            var segment = this[i];
            segment.AsSpan().CopyTo(data.AsSpan(filled));
            filled += segment.Count;
        }
        return data;
    }

    /// <inheritdoc/>
    public bool Equals(OutputBatch other) => _single == other._single && ReferenceEquals(_several, other._several) && Length == other.Length;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is OutputBatch other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_single, _several, Length);

    /// <summary>Whether two batches are the same view.</summary>
    /// <param name="left">One batch.</param>
    /// <param name="right">The other.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(OutputBatch left, OutputBatch right) => left.Equals(right);

    /// <summary>Whether two batches differ.</summary>
    /// <param name="left">One batch.</param>
    /// <param name="right">The other.</param>
    /// <returns><see langword="true"/> when not equal.</returns>
    public static bool operator !=(OutputBatch left, OutputBatch right) => !left.Equals(right);
}

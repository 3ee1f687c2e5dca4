namespace RxNet.Http.Specs.Server;

/// <summary>A body of any length whose byte at offset <c>p</c> is <c>p % 251</c>, made lazily from one small array: a
/// prime period that does not divide the slice size means a lost, repeated or reordered slice changes what follows.</summary>
internal static class PatternedBody
{
    /// <summary>The longest slice <see cref="Slice"/> gives.</summary>
    public const int MaxSlice = 64 * 1024;

    private const int Period = 251;

    private static readonly byte[] Bytes = [.. Enumerable.Range(0, MaxSlice + Period).Select(i => (byte)(i % Period))];

    /// <summary>The <paramref name="length"/> bytes at <paramref name="offset"/> (a view of a shared array: never write to it).</summary>
    public static ReadOnlyMemory<byte> Slice(long offset, int length) => Bytes.AsMemory((int)(offset % Period), length);

    /// <summary>Whether <paramref name="bytes"/> are the body's bytes at <paramref name="offset"/>.</summary>
    public static bool Matches(ReadOnlySpan<byte> bytes, long offset)
    {
        while (!bytes.IsEmpty)
        {
            int length = Math.Min(bytes.Length, MaxSlice);
            if (!bytes[..length].SequenceEqual(Slice(offset, length).Span))
                return false;
            bytes = bytes[length..];
            offset += length;
        }
        return true;
    }
}

namespace RxNet.Testing.Contracts;

/// <summary>
/// A seeded byte stream whose byte at any position can be computed on its own: senders write it in
/// pieces of any size and receivers check every byte as it arrives, with no copy of what was sent.
/// </summary>
internal static class Pattern
{
    /// <summary>The byte at <paramref name="position"/> of the stream <paramref name="seed"/>.</summary>
    public static byte At(ulong seed, long position)
    {
        // SplitMix64 of the 8-byte block the position falls in; one byte of its output.
        ulong x = seed + ((ulong)(position >> 3) + 1) * 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (byte)(x >> (int)((position & 7) * 8));
    }

    /// <summary>Fills <paramref name="destination"/> with the stream from <paramref name="position"/> on.</summary>
    public static void Fill(ulong seed, long position, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = At(seed, position + i);
    }

    /// <summary>The index in <paramref name="chunk"/> of the first byte that differs from the stream at
    /// <paramref name="position"/>, or -1 when all match.</summary>
    public static int FirstMismatch(ulong seed, long position, ReadOnlySpan<byte> chunk)
    {
        for (int i = 0; i < chunk.Length; i++)
        {
            if (chunk[i] != At(seed, position + i))
                return i;
        }
        return -1;
    }
}

namespace RxNet.Load;

/// <summary>The bytes the echo scenarios send: a pseudo-random sequence with a prime period, each connection starting
/// at its own offset, so a byte that comes back lost, repeated, reordered, from another connection or extra fails the
/// byte-for-byte check.</summary>
internal static class EchoPattern
{
    /// <summary>The period, a prime above the largest message or window a scenario uses.</summary>
    public const int Period = 1_048_583;

    // Two periods, so that any stretch of up to a period is one contiguous span.
    private static readonly byte[] Bytes = Make();

    /// <summary>The <paramref name="length"/> bytes (at most <see cref="Period"/>) that start at
    /// <paramref name="offset"/> of a connection's stream.</summary>
    public static ReadOnlySpan<byte> At(long offset, int length) => Bytes.AsSpan((int)(offset % Period), length);

    /// <summary>Where connection number <paramref name="index"/> starts in the sequence.</summary>
    public static long Start(int index) => index * 2_654_435_761L % Period;

    private static byte[] Make()
    {
        var bytes = new byte[2 * Period];
        new Random(Period).NextBytes(bytes.AsSpan(0, Period));
        bytes.AsSpan(0, Period).CopyTo(bytes.AsSpan(Period));
        return bytes;
    }
}

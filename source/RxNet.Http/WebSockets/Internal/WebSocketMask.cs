using System.Buffers.Binary;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>The RFC 6455 §5.3 masking: each byte XORed with the key byte at its offset modulo 4 (its own inverse).</summary>
internal static class WebSocketMask
{
    /// <summary>Masks or unmasks <paramref name="source"/> into <paramref name="destination"/> (which may be the same
    /// memory), the first byte being at <paramref name="offset"/> bytes into the payload.</summary>
    public static void Apply(ReadOnlySpan<byte> source, Span<byte> destination, int key, long offset)
    {
        Span<byte> keyBytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(keyBytes, key);
        int shift = (int)(offset & 3);
        // A key rotated to this offset, repeated over eight bytes, masks a long word at a time.
        Span<byte> rotated = stackalloc byte[8];
        for (int i = 0; i < 8; i++)
            rotated[i] = keyBytes[(shift + i) & 3];
        ulong wide = BitConverter.ToUInt64(rotated);
        int at = 0;
        for (; at + 8 <= source.Length; at += 8)
            BitConverter.TryWriteBytes(destination[at..], BitConverter.ToUInt64(source[at..]) ^ wide);
        for (; at < source.Length; at++)
            destination[at] = (byte)(source[at] ^ rotated[at & 7]);
    }
}

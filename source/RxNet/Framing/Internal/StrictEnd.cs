using System.Buffers;

namespace RxNet.Framing.Internal;

/// <summary>The usual end-of-stream rule: whole frames still buffered are decoded, and a partial one is an error.</summary>
internal static class StrictEnd
{
    /// <summary>What <see cref="IDecoder{T}.TryDecodeFinal"/> does for a format with no partial last frame.</summary>
    /// <param name="decoder">The decoder, whose <c>TryDecode</c> takes the whole frames.</param>
    /// <param name="buffer">The bytes left.</param>
    /// <param name="frame">A whole frame, when one was left.</param>
    /// <param name="what">The frame kind for the error, for example "a netstring".</param>
    /// <returns>Whether a frame was decoded.</returns>
    /// <exception cref="IncompleteFrameException">Bytes remain that do not make a whole frame.</exception>
    public static bool TryDecodeFinal<T>(IDecoder<T> decoder, ref ReadOnlySequence<byte> buffer, out T frame, string what)
    {
        if (decoder.TryDecode(ref buffer, out frame))
            return true;
        if (buffer.IsEmpty)
            return false;
        throw new IncompleteFrameException(what, buffer.Length);
    }
}

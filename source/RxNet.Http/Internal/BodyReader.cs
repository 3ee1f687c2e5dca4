namespace RxNet.Http;

/// <summary>
/// The body-reading step both HTTP/1.1 connections share, a server's request bodies and a client's response bodies:
/// the next body bytes from what was received, by Content-Length (or until the close) or through the chunked decoder.
/// </summary>
/// <remarks>The bytes returned are the caller's to hand on and to keep: a slice of the received chunk when it was
/// used in place, a copy otherwise (<see cref="ReceiveBuffer.Keep"/>); so a body subscriber owns every chunk, as an
/// input's subscriber does.</remarks>
internal static class BodyReader
{
    /// <summary>Reads at most one piece of body from <paramref name="received"/> (not empty) and consumes it with its
    /// framing.</summary>
    /// <param name="received">The bytes received and not consumed; at least one.</param>
    /// <param name="decoder">The chunked decoder, or <see langword="null"/> for a body of <paramref name="remaining"/>
    /// bytes (<see cref="long.MaxValue"/> for one that ends at the close).</param>
    /// <param name="remaining">How many body bytes are still to come, without a decoder.</param>
    /// <param name="data">The body bytes read (maybe empty: framing only).</param>
    /// <param name="complete">Whether the body has ended.</param>
    /// <returns><see langword="false"/> when the decoder needs more bytes before it can consume any.</returns>
    /// <exception cref="HttpProtocolException">The chunked coding is broken.</exception>
    public static bool TryRead(ref ReceiveBuffer received, ChunkedBodyDecoder? decoder, long remaining, out ReadOnlyMemory<byte> data, out bool complete)
    {
        if (decoder is null)
        {
            int count = (int)Math.Min(remaining, received.Length);
            data = received.Keep(received.Memory[..count]);
            received.Consume(count);
            complete = count == remaining;
            return true;
        }
        var sequence = received.Sequence;
        var part = decoder.Read(sequence, out var position);
        int consumed = (int)sequence.Slice(sequence.Start, position).Length;
        data = part.IsEmpty ? ReadOnlyMemory<byte>.Empty : received.Keep(part.First); // one segment: the buffer is contiguous
        received.Consume(consumed);
        complete = decoder.IsComplete;
        return consumed > 0;
    }
}

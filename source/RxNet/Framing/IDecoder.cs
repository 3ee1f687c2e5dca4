using System.Buffers;

namespace RxNet;

/// <summary>
/// Turns bytes into frames: a state machine over a growing buffer (tokio's <c>Decoder</c>, Netty's
/// <c>ByteToMessageDecoder</c>). It answers "here is a frame", "I need more bytes" or, by throwing a
/// <see cref="FramingException"/>, "the stream is corrupt".
/// </summary>
/// <typeparam name="T">The frame type.</typeparam>
/// <remarks>
/// <para>A decoder may keep state between calls (a line decoder discarding an oversized line does), so one
/// instance serves one stream at a time; the operators built on it (<c>Decode</c>, <c>Lines</c>,
/// <see cref="FrameReader"/>) make sure of that.</para>
/// <para>Frames may be slices of the buffer given to <see cref="TryDecode"/>: received chunks
/// belong to their subscriber forever, so a slice stays valid after the buffer moves on.</para>
/// </remarks>
public interface IDecoder<T>
{
    /// <summary>Decodes at most one frame from the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">The bytes received and not yet consumed. The decoder slices off what it
    /// consumes (a frame, or bytes it discards); what it leaves is offered again with more bytes.</param>
    /// <param name="frame">The frame, when the method returns <see langword="true"/>.</param>
    /// <returns>Whether a frame was decoded; <see langword="false"/> means "need more bytes".</returns>
    /// <exception cref="FramingException">The bytes cannot be a valid stream, for example a frame above the limit.</exception>
    bool TryDecode(ref ReadOnlySequence<byte> buffer, out T frame);

    /// <summary>The stream ended with bytes left in <paramref name="buffer"/>: decodes a last frame from them,
    /// or throws if leftover bytes are an error for this format (the usual rule).</summary>
    /// <param name="buffer">The bytes left (never empty); slice off what is consumed.</param>
    /// <param name="frame">The last frame, when the method returns <see langword="true"/>.</param>
    /// <returns>Whether a frame was decoded; the operator calls again while bytes remain and frames come.</returns>
    /// <exception cref="IncompleteFrameException">The stream ended inside a frame.</exception>
    bool TryDecodeFinal(ref ReadOnlySequence<byte> buffer, out T frame);
}

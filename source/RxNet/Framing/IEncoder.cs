using System.Buffers;

namespace RxNet;

/// <summary>Turns frames into bytes: writes one frame, with whatever framing it needs, into a buffer writer.</summary>
/// <typeparam name="T">The frame type.</typeparam>
/// <remarks>Encoders hold no per-stream state, so one instance may serve many connections at once.</remarks>
public interface IEncoder<in T>
{
    /// <summary>Writes <paramref name="frame"/> to <paramref name="output"/>.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="output">Where its bytes go.</param>
    /// <exception cref="FramingException">The frame cannot be encoded, for example it is above the format's limit.</exception>
    void Encode(T frame, IBufferWriter<byte> output);
}

using System.Buffers;

namespace RxNet;

/// <summary>Frames of one fixed size: Netty's <c>FixedLengthFrameDecoder</c>.</summary>
/// <remarks>A frame that lies in one received chunk is a slice of it; one that spans chunks is copied once.
/// The end of the stream inside a frame is an <see cref="IncompleteFrameException"/>. The size is also
/// the limit: nothing more than one frame is ever held.</remarks>
public sealed class FixedLengthCodec : ICodec<ReadOnlyMemory<byte>>, IEncoder<ReadOnlyMemory<byte>>
{
    private readonly FixedLengthDecoder _decoder;

    /// <summary>Creates the codec.</summary>
    /// <param name="length">The size of every frame, in bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is below 1.</exception>
    public FixedLengthCodec(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Length = length;
        _decoder = new FixedLengthDecoder(length);
    }

    /// <summary>The size of every frame, in bytes.</summary>
    public int Length { get; }

    /// <inheritdoc/>
    public IEncoder<ReadOnlyMemory<byte>> Encoder => this;

    /// <inheritdoc/>
    /// <remarks>The decoder keeps no state, so every call returns the same one.</remarks>
    public IDecoder<ReadOnlyMemory<byte>> CreateDecoder() => _decoder;

    /// <summary>Writes the frame as it is.</summary>
    /// <param name="frame">The frame, exactly <see cref="Length"/> bytes.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <exception cref="FramingException">The frame is not <see cref="Length"/> bytes long.</exception>
    public void Encode(ReadOnlyMemory<byte> frame, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (frame.Length != Length)
            throw new FramingException($"A fixed-length frame to send must be exactly {Length} bytes; it is {frame.Length}.");
        output.Write(frame.Span);
    }
}

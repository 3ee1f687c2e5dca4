using System.Buffers;
using System.Buffers.Binary;

namespace RxNet;

/// <summary>Length-prefixed frames of bytes: Netty's <c>LengthFieldBasedFrameDecoder</c> and
/// <c>LengthFieldPrepender</c>, Twisted's <c>Int32StringReceiver</c> and its siblings, tokio's
/// <c>LengthDelimitedCodec</c>.</summary>
/// <remarks>
/// <para>Decoding follows <see cref="LengthFieldOptions"/>. A frame that lies in one received chunk is a
/// slice of it; one that spans chunks is copied once, so each frame costs at most its own bytes. A length
/// field above <see cref="LengthFieldOptions.MaxFrameLength"/> fails the stream with
/// <see cref="FrameTooLargeException"/> as soon as the field arrives, before the frame is buffered; a
/// length that makes a frame shorter than its own header, or than the bytes to strip, fails it with
/// <see cref="FramingException"/>; the end of the stream inside a frame, with
/// <see cref="IncompleteFrameException"/>.</para>
/// <para>The encoder is the decoder's inverse for the usual layout, where the length field comes first and
/// is stripped (<see cref="LengthFieldOptions.LengthFieldOffset"/> 0, <see cref="LengthFieldOptions.InitialBytesToStrip"/>
/// equal to <see cref="LengthFieldOptions.LengthFieldLength"/>, as in every preset): it writes the length
/// field, holding the frame's length minus <see cref="LengthFieldOptions.LengthAdjustment"/>, then the frame.
/// Frames of other layouts carry header bytes only the application knows: encode those with your own
/// <see cref="IEncoder{T}"/>.</para>
/// </remarks>
public sealed class LengthFieldCodec : ICodec<ReadOnlyMemory<byte>>, IEncoder<ReadOnlyMemory<byte>>
{
    private readonly LengthFieldDecoder _decoder;

    /// <summary>Creates the codec.</summary>
    /// <param name="options">The layout and the limit, or <see langword="null"/> for
    /// <see cref="LengthFieldOptions.Default"/> (Twisted's <c>Int32StringReceiver</c>).</param>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public LengthFieldCodec(LengthFieldOptions? options = null)
    {
        Options = options ?? LengthFieldOptions.Default;
        Options.Validate();
        _decoder = new LengthFieldDecoder(Options);
    }

    /// <summary>The options.</summary>
    public LengthFieldOptions Options { get; }

    /// <inheritdoc/>
    public IEncoder<ReadOnlyMemory<byte>> Encoder => this;

    /// <inheritdoc/>
    /// <remarks>The decoder keeps no state between frames, so every call returns the same one.</remarks>
    public IDecoder<ReadOnlyMemory<byte>> CreateDecoder() => _decoder;

    /// <summary>Writes the length field, then the frame.</summary>
    /// <param name="frame">The frame, without its length field.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <exception cref="FrameTooLargeException">The frame with its length field is longer than
    /// <see cref="LengthFieldOptions.MaxFrameLength"/>, or its length does not fit the length field.</exception>
    /// <exception cref="FramingException">The length field would be negative (a frame shorter than a
    /// positive <see cref="LengthFieldOptions.LengthAdjustment"/>).</exception>
    /// <exception cref="NotSupportedException">The layout is not the usual one (see the remarks of the class).</exception>
    public void Encode(ReadOnlyMemory<byte> frame, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int width = Options.LengthFieldLength;
        if (Options.LengthFieldOffset != 0 || Options.InitialBytesToStrip != width)
            throw new NotSupportedException(
                $"The length-field encoder writes the length field first and the frame after it; frames that keep header bytes " +
                $"(length field at byte {Options.LengthFieldOffset}, {Options.InitialBytesToStrip} bytes stripped) need an encoder of your own.");
        long total = (long)width + frame.Length;
        if (total > Options.MaxFrameLength)
            throw new FrameTooLargeException($"A frame to send, with its {width}-byte length field,", Options.MaxFrameLength, total);
        long value = (long)frame.Length - Options.LengthAdjustment;
        if (value < 0)
            throw new FramingException(
                $"A frame of {frame.Length} bytes would have a length field of {value} (its length minus the adjustment of {Options.LengthAdjustment}); a length cannot be negative.");
        long fieldMax = width == 8 ? long.MaxValue : (1L << (8 * width)) - 1;
        if (value > fieldMax)
            throw new FrameTooLargeException($"A frame to send with a {width}-byte length field", fieldMax + Options.LengthAdjustment, frame.Length);
        var field = output.GetSpan(8);
        if (Options.ByteOrder == ByteOrder.BigEndian)
            BinaryPrimitives.WriteUInt64BigEndian(field, (ulong)value << (8 * (8 - width)));
        else
            BinaryPrimitives.WriteUInt64LittleEndian(field, (ulong)value);
        output.Advance(width);
        output.Write(frame.Span);
    }
}

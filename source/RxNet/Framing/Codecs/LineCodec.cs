using System.Buffers;

namespace RxNet;

/// <summary>Lines as frames of bytes, without their delimiter: Twisted's <c>LineReceiver</c>, Netty's
/// <c>LineBasedFrameDecoder</c>, tokio's <c>LinesCodec</c>.</summary>
public sealed class LineCodec : ICodec<ReadOnlyMemory<byte>>, IEncoder<ReadOnlyMemory<byte>>
{
    /// <summary>Creates the codec.</summary>
    /// <param name="options">The options, or <see langword="null"/> for <see cref="LineOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public LineCodec(LineOptions? options = null)
    {
        Options = options ?? LineOptions.Default;
        Options.Validate();
    }

    /// <summary>The options.</summary>
    public LineOptions Options { get; }

    /// <inheritdoc/>
    public IEncoder<ReadOnlyMemory<byte>> Encoder => this;

    /// <inheritdoc/>
    public IDecoder<ReadOnlyMemory<byte>> CreateDecoder() => new LineDecoder(Options);

    /// <summary>Writes the line and its delimiter.</summary>
    /// <param name="frame">The line, without delimiter.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <exception cref="FrameTooLargeException">The line is longer than <see cref="LineOptions.MaxLength"/>.</exception>
    /// <exception cref="FramingException">The line contains the delimiter.</exception>
    public void Encode(ReadOnlyMemory<byte> frame, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (frame.Length > Options.MaxLength)
            throw new FrameTooLargeException("A line", Options.MaxLength, frame.Length);
        if (frame.Span.IndexOf(Options.Delimiter.Span) >= 0)
            throw new FramingException("A line to send contains the line delimiter; the peer would read it as two lines.");
        output.Write(frame.Span);
        output.Write(Options.Delimiter.Span);
    }
}

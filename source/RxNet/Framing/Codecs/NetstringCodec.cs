using System.Buffers;
using System.Globalization;

namespace RxNet;

/// <summary>Netstrings (<c>5:hello,</c>): D. J. Bernstein's format, Twisted's <c>NetstringReceiver</c>.</summary>
/// <remarks>
/// <para>A netstring is its length in decimal ASCII digits, a colon, that many bytes, and a comma. The
/// decoder accepts exactly that: no sign, no spaces, no leading zeros (<c>0:,</c> is the empty string,
/// <c>05:</c> is refused, as in Twisted). It refuses a length above <see cref="MaxLength"/> with
/// <see cref="FrameTooLargeException"/> as soon as its digits say so, before the data is buffered, and
/// anything else that breaks the format with a <see cref="FramingException"/> saying what it saw. The end
/// of the stream inside a netstring is an <see cref="IncompleteFrameException"/>.</para>
/// <para>A frame that lies in one received chunk is a slice of it; one that spans chunks is copied once.</para>
/// </remarks>
public sealed class NetstringCodec : ICodec<ReadOnlyMemory<byte>>, IEncoder<ReadOnlyMemory<byte>>
{
    /// <summary>The default <see cref="MaxLength"/>: 99999 bytes, Twisted's <c>NetstringReceiver.MAX_LENGTH</c>.</summary>
    public const int DefaultMaxLength = 99999;

    private readonly NetstringDecoder _decoder;

    /// <summary>Creates the codec.</summary>
    /// <param name="maxLength">The longest netstring accepted or sent, in bytes of data (without its
    /// length, colon and comma); <see cref="DefaultMaxLength"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is negative.</exception>
    public NetstringCodec(int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        MaxLength = maxLength;
        _decoder = new NetstringDecoder(maxLength);
    }

    /// <summary>The longest netstring accepted or sent, in bytes of data.</summary>
    public int MaxLength { get; }

    /// <inheritdoc/>
    public IEncoder<ReadOnlyMemory<byte>> Encoder => this;

    /// <inheritdoc/>
    /// <remarks>The decoder keeps no state between frames, so every call returns the same one.</remarks>
    public IDecoder<ReadOnlyMemory<byte>> CreateDecoder() => _decoder;

    /// <summary>Writes <paramref name="frame"/> as a netstring: its length, a colon, the bytes and a comma.</summary>
    /// <param name="frame">The data.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <exception cref="FrameTooLargeException">The data is longer than <see cref="MaxLength"/>.</exception>
    public void Encode(ReadOnlyMemory<byte> frame, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (frame.Length > MaxLength)
            throw new FrameTooLargeException("A netstring to send", MaxLength, frame.Length);
        var span = output.GetSpan(11);
        frame.Length.TryFormat(span, out int digits, default, CultureInfo.InvariantCulture);
        span[digits] = (byte)':';
        output.Advance(digits + 1);
        output.Write(frame.Span);
        output.GetSpan(1)[0] = (byte)',';
        output.Advance(1);
    }
}

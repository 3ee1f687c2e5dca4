using System.Buffers;
using System.Text;

namespace RxNet;

/// <summary>A byte stream as UTF-8 text: each frame is the text of the bytes that have arrived, with a
/// character split across chunks kept whole.</summary>
/// <remarks>
/// <para>The frames have no meaning of their own: they follow the chunking, so concatenate them (or cut
/// them with your own rule) for the text. The decoder holds at most the three bytes of a character still
/// arriving, so it needs no maximum; each frame is at most as long as what arrived at once.</para>
/// <para>Invalid bytes become U+FFFD, as <see cref="Encoding.UTF8"/> decodes them, including a character
/// cut off by the end of the stream; so the text is the same under every chunking. With
/// <see cref="ThrowOnInvalidBytes"/>, invalid bytes fail the stream with a <see cref="FramingException"/>
/// naming them, and a character cut off by the end with an <see cref="IncompleteFrameException"/>.</para>
/// </remarks>
public sealed class TextCodec : ICodec<string>, IEncoder<string>
{
    private readonly UTF8Encoding _encoding;

    /// <summary>Creates the codec.</summary>
    /// <param name="throwOnInvalidBytes">Whether invalid UTF-8 (or, when encoding, invalid UTF-16) is an
    /// error rather than U+FFFD.</param>
    public TextCodec(bool throwOnInvalidBytes = false)
    {
        ThrowOnInvalidBytes = throwOnInvalidBytes;
        _encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes);
    }

    /// <summary>Whether invalid bytes fail the stream instead of becoming U+FFFD.</summary>
    public bool ThrowOnInvalidBytes { get; }

    /// <inheritdoc/>
    public IEncoder<string> Encoder => this;

    /// <inheritdoc/>
    public IDecoder<string> CreateDecoder() => new TextDecoder(_encoding);

    /// <summary>Writes <paramref name="frame"/> as UTF-8, without a byte order mark.</summary>
    /// <param name="frame">The text.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <exception cref="FramingException">The text has a lone surrogate and <see cref="ThrowOnInvalidBytes"/> is set.</exception>
    public void Encode(string frame, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            _encoding.GetBytes(frame.AsSpan(), output);
        }
        catch (EncoderFallbackException e)
        {
            throw new FramingException($"A string to send is not valid UTF-16: a lone surrogate at index {e.Index}.", e);
        }
    }
}

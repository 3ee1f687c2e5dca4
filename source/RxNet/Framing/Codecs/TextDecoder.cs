using System.Buffers;
using System.Text;

namespace RxNet;

/// <summary>
/// The decoder of <see cref="TextCodec"/>: decodes every complete character and leaves in the buffer
/// the start of one still arriving (at most three bytes), so that the end of the stream sees it. When
/// that character's bytes span two chunks, a <see cref="System.Text.Decoder"/> carries it across them.
/// </summary>
internal sealed class TextDecoder(UTF8Encoding encoding) : IDecoder<string>
{
    private readonly System.Text.Decoder _decoder = encoding.GetDecoder();
    private long _position; // bytes decoded so far, for messages

    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out string frame)
    {
        long complete = buffer.Length - IncompleteTail(buffer);
        if (complete == 0)
        {
            frame = string.Empty;
            return false;
        }
        frame = Decode(buffer.Slice(0, complete));
        buffer = buffer.Slice(complete);
        return true;
    }

    public bool TryDecodeFinal(ref ReadOnlySequence<byte> buffer, out string frame)
    {
        if (TryDecode(ref buffer, out frame))
            return true;
        if (buffer.IsEmpty)
            return false;
        if (encoding.DecoderFallback is DecoderExceptionFallback)
            throw new IncompleteFrameException("a UTF-8 character", buffer.Length);
        frame = Decode(buffer); // U+FFFD for the cut-off character
        buffer = buffer.Slice(buffer.End);
        return true;
    }

    /// <summary>How many bytes at the end are the valid start of a character whose other bytes have not arrived.</summary>
    private static int IncompleteTail(in ReadOnlySequence<byte> buffer)
    {
        int n = (int)Math.Min(3, buffer.Length);
        Span<byte> copy = stackalloc byte[3];
        scoped ReadOnlySpan<byte> tail;
        if (buffer.IsSingleSegment)
        {
            tail = buffer.FirstSpan[^n..];
        }
        else
        {
            buffer.Slice(buffer.Length - n).CopyTo(copy);
            tail = copy[..n];
        }
        for (int k = 1; k <= n; k++)
        {
            byte b = tail[n - k];
            if ((b & 0xC0) == 0x80)
                continue; // a continuation byte: look further back for the lead byte
            if (b < 0x80)
                return 0;
            return Rune.DecodeFromUtf8(tail[(n - k)..], out _, out _) == OperationStatus.NeedMoreData ? k : 0;
        }
        return 0;
    }

    private string Decode(in ReadOnlySequence<byte> bytes)
    {
        long start = _position;
        _position += bytes.Length;
        try
        {
            if (bytes.IsSingleSegment)
                return encoding.GetString(bytes.FirstSpan);
            // A character split between chunks: the decoder keeps its first bytes from one segment to the next.
            char[] chars = ArrayPool<char>.Shared.Rent(encoding.GetMaxCharCount(checked((int)bytes.Length)));
            try
            {
                _decoder.Reset();
                int count = 0;
                foreach (var segment in bytes)
                {
                    _decoder.Convert(segment.Span, chars.AsSpan(count), flush: false, out _, out int used, out _);
                    count += used;
                }
                _decoder.Convert([], chars.AsSpan(count), flush: true, out _, out int last, out _);
                return new string(chars, 0, count + last);
            }
            finally
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }
        catch (DecoderFallbackException e)
        {
            string seen = string.Join(' ', (e.BytesUnknown ?? []).Select(b => "0x" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
            throw new FramingException($"The bytes are not valid UTF-8: saw {seen} among the {bytes.Length} bytes from byte {start} of the stream.", e);
        }
    }
}

using System.Buffers;
using System.Text;

namespace RxNet.Framing.Internal;

/// <summary>Writes a string as one UTF-8 line with its delimiter, the sending half of <c>Lines()</c>.</summary>
internal sealed class Utf8LineEncoder(LineOptions options) : IEncoder<string>
{
    /// <summary>CRLF lines, as Twisted's <c>LineReceiver.sendLine</c> writes them.</summary>
    public static Utf8LineEncoder CrLf { get; } = new(LineOptions.CrLf);

    public void Encode(string frame, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(frame);
        int length = Encoding.UTF8.GetByteCount(frame);
        if (length > options.MaxLength)
            throw new FrameTooLargeException("A line", options.MaxLength, length);
        var delimiter = options.Delimiter.Span;
        var span = output.GetSpan(length + delimiter.Length);
        int written = Encoding.UTF8.GetBytes(frame, span);
        // Checked before anything is committed, so a refused line leaves the writer as it was.
        if (span[..written].IndexOf(delimiter) >= 0)
            throw new FramingException("A line to send contains the line delimiter; the peer would read it as two lines.");
        delimiter.CopyTo(span[written..]);
        output.Advance(written + delimiter.Length);
    }
}

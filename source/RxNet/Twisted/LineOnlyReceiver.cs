using System.Text;
using RxNet.Twisted.Internal;

namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>LineOnlyReceiver</c>: a <see cref="Protocol"/> that cuts what it receives into lines and hands each to
/// <see cref="LineReceived(ReadOnlyMemory{byte})"/>; <see cref="LineReceiver"/> without raw mode or pausing.
/// </summary>
/// <remarks>
/// <para><b>Lines.</b> A line ends with <see cref="Delimiter"/> (<c>\r\n</c> by default) and is delivered without it.
/// Override <see cref="LineReceived(ReadOnlyMemory{byte})"/> for the bytes, or <see cref="LineReceived(string)"/> for
/// the line decoded as UTF-8; overriding neither ends the connection at the first line with a
/// <see cref="NotImplementedException"/> (Twisted's <c>NotImplementedError</c>).</para>
/// <para><b>Limits.</b> Twisted's, which differ from <see cref="LineReceiver"/>'s: a line longer than
/// <see cref="MaxLength"/> (16384), or more than <see cref="MaxLength"/> bytes buffered after the last delimiter (a
/// partial delimiter included), calls <see cref="LineLengthExceeded"/>, which loses the connection unless overridden.
/// The complete lines that came after a long line in the same chunk are dropped, as in Twisted. Unlike Twisted, an
/// unterminated long line is also dropped from the buffer, so an override that keeps the connection does not make it
/// grow without bound.</para>
/// <para><b>Closing.</b> Once the protocol has called <see cref="ITransport.LoseConnection"/> or
/// <see cref="ITransport.AbortConnection"/>, no more lines are delivered, as in Twisted.</para>
/// <para><b>Threading.</b> As for every <see cref="Protocol"/>, the events of one connection never overlap;
/// <see cref="SendLine(ReadOnlyMemory{byte})"/> may be called from any thread.</para>
/// </remarks>
public abstract class LineOnlyReceiver : Protocol
{
    private readonly LineState _lines = new();

    /// <summary>The bytes that end a line: <c>\r\n</c> by default, as in Twisted.</summary>
    /// <exception cref="ArgumentException">The value is empty.</exception>
    public ReadOnlyMemory<byte> Delimiter
    {
        get => _lines.Delimiter;
        set => _lines.Delimiter = value;
    }

    /// <summary>The longest line accepted, in bytes, without its delimiter: 16384 by default (Twisted's
    /// <c>MAX_LENGTH</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxLength
    {
        get => _lines.MaxLength;
        set => _lines.MaxLength = value;
    }

    /// <summary>Called with each line, without its delimiter (Twisted's <c>lineReceived</c>). By default, decodes it as
    /// UTF-8 and calls <see cref="LineReceived(string)"/>.</summary>
    /// <param name="line">The line's bytes; yours to keep.</param>
    public virtual void LineReceived(ReadOnlyMemory<byte> line) => LineReceived(Encoding.UTF8.GetString(line.Span));

    /// <summary>Called with each line decoded as UTF-8, unless <see cref="LineReceived(ReadOnlyMemory{byte})"/> is
    /// overridden. Override one of the two.</summary>
    /// <param name="line">The line, without its delimiter; invalid UTF-8 becomes U+FFFD.</param>
    /// <exception cref="NotImplementedException">Neither overload is overridden; the exception ends the connection.</exception>
    public virtual void LineReceived(string line) =>
        throw new NotImplementedException($"{GetType().Name} overrides neither LineReceived(ReadOnlyMemory<byte>) nor LineReceived(string).");

    /// <summary>Called with a line longer than <see cref="MaxLength"/>, or with the unterminated bytes past it
    /// (Twisted's <c>lineLengthExceeded</c>). By default, loses the connection.</summary>
    /// <param name="line">The long line, without delimiter, or the unterminated bytes.</param>
    public virtual void LineLengthExceeded(ReadOnlyMemory<byte> line) => Transport.LoseConnection();

    /// <summary>Sends <paramref name="line"/> followed by <see cref="Delimiter"/>, in one write (Twisted's
    /// <c>sendLine</c>).</summary>
    /// <param name="line">The line, without delimiter; sent as it is.</param>
    /// <exception cref="InvalidOperationException">The protocol is not connected yet.</exception>
    public void SendLine(ReadOnlyMemory<byte> line) => LineSending.Send(Transport, line.Span, _lines.Delimiter.Span);

    /// <summary>Sends <paramref name="line"/> as UTF-8, followed by <see cref="Delimiter"/>, in one write.</summary>
    /// <param name="line">The line, without delimiter; sent as it is.</param>
    /// <exception cref="ArgumentNullException"><paramref name="line"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The protocol is not connected yet.</exception>
    public void SendLine(string line) => LineSending.Send(Transport, line, _lines.Delimiter.Span);

    /// <summary>Cuts the bytes into lines; sealed: override <see cref="LineReceived(ReadOnlyMemory{byte})"/> instead.</summary>
    /// <param name="data">The bytes received.</param>
    public sealed override void DataReceived(ReadOnlyMemory<byte> data)
    {
        _lines.Buffer.Append(data);
        ref var bytes = ref _lines.Buffer.Bytes;
        var decoder = _lines.Decoder;
        bool dropping = false; // the rest of the lines of this chunk, after a long line or a close
        while (decoder.TryDecode(ref bytes, out var line))
        {
            if (dropping)
                continue;
            if (LineSending.Disconnecting(this))
            {
                dropping = true;
            }
            else if (line.Length > _lines.MaxLength)
            {
                dropping = true;
                LineLengthExceeded(line);
            }
            else
            {
                LineReceived(line);
            }
        }
        if (!dropping && bytes.Length > _lines.MaxLength)
            LineLengthExceeded(_lines.TakeAll());
    }
}

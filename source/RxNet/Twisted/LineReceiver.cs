using System.Text;
using RxNet.Framing.Internal;
using RxNet.Twisted.Internal;

namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>LineReceiver</c>: a <see cref="Protocol"/> that cuts what it receives into lines and
/// hands each to <see cref="LineReceived(ReadOnlyMemory{byte})"/>, with a raw mode for the bytes between
/// lines (an HTTP body after its headers, an SMTP <c>DATA</c> section).
/// </summary>
/// <remarks>
/// <para><b>Lines.</b> A line ends with <see cref="Delimiter"/> (<c>\r\n</c> by default, as in Twisted) and is
/// delivered without it. Override <see cref="LineReceived(ReadOnlyMemory{byte})"/> for the bytes, as
/// Twisted gives them, or <see cref="LineReceived(string)"/> for the line decoded as UTF-8. The cutting is
/// the framing core's <see cref="LineDecoder"/>, one per connection, over the chunks as received: a line
/// inside one chunk is a slice of it (nothing is copied), and it is yours to keep.</para>
/// <para><b>Limits.</b> Exactly as Twisted's: a line longer than <see cref="MaxLength"/> (16384 bytes, Twisted's
/// <c>MAX_LENGTH</c>), or <see cref="MaxLength"/> plus the delimiter's length buffered with no delimiter yet, calls
/// <see cref="LineLengthExceeded"/>, which loses the connection unless overridden; the buffer is emptied first. So an
/// unterminated line of <c>MaxLength</c> bytes followed by the first byte of a two-byte delimiter still waits.</para>
/// <para><b>Not overridden.</b> A receiver that overrides neither <c>LineReceived</c> ends its connection at the first
/// line with a <see cref="NotImplementedException"/> (Twisted's <c>NotImplementedError</c>): the connection closes with
/// <see cref="ConnectionCloseReason.Error"/> and the exception, instead of dropping lines silently.</para>
/// <para><b>Producer.</b> It is an <see cref="IPushProducer"/>, as Twisted's is: <see cref="PauseProducing"/> stops
/// delivering lines (the rest stays buffered) and pauses reading the connection, <see cref="ResumeProducing"/> delivers
/// what waits and reads on, <see cref="StopProducing"/> stops delivering and loses the connection.</para>
/// <para><b>Raw mode.</b> <see cref="SetRawMode"/>, typically from inside a <c>LineReceived</c>, sends every
/// byte after that line, those already received included, to <see cref="RawDataReceived"/>, until
/// <see cref="SetLineMode"/>. Called from <c>RawDataReceived</c>, <c>SetLineMode(extra)</c> cuts
/// <c>extra</c> (the part of the raw data that was not yours) and what follows into lines again. As in
/// Twisted, a mode switch takes effect when the callback that made it returns.</para>
/// <para><b>Closing.</b> Once the protocol has called <see cref="ITransport.LoseConnection"/> or
/// <see cref="ITransport.AbortConnection"/>, no more lines or raw data are delivered, as in Twisted, where
/// a closing transport stops reading: lines already received after a <c>QUIT</c> are dropped. An unterminated
/// line left when the connection ends is dropped too.</para>
/// <para><b>Threading.</b> As for every <see cref="Protocol"/>, the events of one connection never overlap.
/// Switch modes, clear the buffer and change <see cref="Delimiter"/> or <see cref="MaxLength"/> from those
/// events (or from <see cref="Protocol.ConnectionMade"/>), as Twisted's single thread would;
/// <see cref="SendLine(ReadOnlyMemory{byte})"/> may be called from any thread.</para>
/// </remarks>
public abstract class LineReceiver : Protocol, IPushProducer
{
    private readonly LineState _lines = new();
    private bool _busy;
    private bool _paused;

    /// <summary>The bytes that end a line: <c>\r\n</c> by default, as in Twisted. Set it in the constructor,
    /// or at any time: lines not yet cut are cut with the new value.</summary>
    /// <exception cref="ArgumentException">The value is empty.</exception>
    public ReadOnlyMemory<byte> Delimiter
    {
        get => _lines.Delimiter;
        set => _lines.Delimiter = value;
    }

    /// <summary>The longest line accepted, in bytes, without its delimiter: 16384 by default (Twisted's
    /// <c>MAX_LENGTH</c>). Above it, <see cref="LineLengthExceeded"/> is called.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxLength
    {
        get => _lines.MaxLength;
        set => _lines.MaxLength = value;
    }

    /// <summary>Whether bytes are cut into lines (<see langword="true"/>, the start) or passed on raw
    /// (Twisted's <c>line_mode</c>).</summary>
    public bool LineMode { get; private set; } = true;

    /// <summary>Called with each line, without its delimiter (Twisted's <c>lineReceived</c>). By default,
    /// decodes it as UTF-8 and calls <see cref="LineReceived(string)"/>.</summary>
    /// <param name="line">The line's bytes; yours to keep (it may be a slice of a received chunk).</param>
    public virtual void LineReceived(ReadOnlyMemory<byte> line) => LineReceived(Encoding.UTF8.GetString(line.Span));

    /// <summary>Called with each line decoded as UTF-8, unless <see cref="LineReceived(ReadOnlyMemory{byte})"/>
    /// is overridden. Override one of the two.</summary>
    /// <param name="line">The line, without its delimiter. Bytes that are not valid UTF-8 become U+FFFD;
    /// override the other overload to see them.</param>
    /// <exception cref="NotImplementedException">Neither overload is overridden (Twisted's
    /// <c>NotImplementedError</c>); the exception ends the connection.</exception>
    public virtual void LineReceived(string line) =>
        throw new NotImplementedException($"{GetType().Name} overrides neither LineReceived(ReadOnlyMemory<byte>) nor LineReceived(string).");

    /// <summary>Called in raw mode with bytes as they come (Twisted's <c>rawDataReceived</c>): first what was
    /// received after the line that switched, then each chunk.</summary>
    /// <param name="data">The bytes; yours to keep.</param>
    /// <exception cref="NotImplementedException">Not overridden (Twisted's <c>NotImplementedError</c>): a protocol
    /// that calls <see cref="SetRawMode"/> must override it. The exception ends the connection.</exception>
    public virtual void RawDataReceived(ReadOnlyMemory<byte> data) =>
        throw new NotImplementedException($"{GetType().Name} switched to raw mode but does not override RawDataReceived.");

    /// <summary>Called when a line is longer than <see cref="MaxLength"/> (Twisted's <c>lineLengthExceeded</c>).
    /// By default, loses the connection, as Twisted does.</summary>
    /// <param name="line">Everything that was buffered, starting with the long line (or as much of it as came):
    /// it may hold more lines after it. The buffer is empty when this is called; whatever arrives next is
    /// cut into lines afresh, so an override that keeps the connection should expect the rest of the long
    /// line as a first, bogus line.</param>
    public virtual void LineLengthExceeded(ReadOnlyMemory<byte> line) => Transport.LoseConnection();

    /// <summary>Sends <paramref name="line"/> followed by <see cref="Delimiter"/>, in one write (Twisted's <c>sendLine</c>).</summary>
    /// <param name="line">The line, without delimiter. It is sent as it is, as in Twisted: a line holding the
    /// delimiter reaches the peer as two lines.</param>
    public void SendLine(ReadOnlyMemory<byte> line) => LineSending.Send(Transport, line.Span, _lines.Delimiter.Span);

    /// <summary>Sends <paramref name="line"/> as UTF-8, followed by <see cref="Delimiter"/>, in one write.</summary>
    /// <param name="line">The line, without delimiter; sent as it is.</param>
    /// <exception cref="ArgumentNullException"><paramref name="line"/> is null.</exception>
    public void SendLine(string line) => LineSending.Send(Transport, line, _lines.Delimiter.Span);

    /// <summary>Passes what follows to <see cref="RawDataReceived"/> instead of cutting it into lines
    /// (Twisted's <c>setRawMode</c>). Called from <c>LineReceived</c>, the bytes received after that line
    /// go to <c>RawDataReceived</c> as soon as <c>LineReceived</c> returns.</summary>
    public void SetRawMode() => LineMode = false;

    /// <summary>Cuts what follows into lines again (Twisted's <c>setLineMode</c>).</summary>
    /// <param name="extra">Bytes to cut into lines first: from <c>RawDataReceived</c>, the part of its data
    /// that belongs to the lines after the raw section. They are copied.</param>
    /// <remarks>Called from <c>LineReceived</c> or <c>RawDataReceived</c>, <paramref name="extra"/> joins the
    /// bytes waiting and is cut when the callback returns; called from <c>ConnectionMade</c>, its lines are
    /// delivered before this method returns.</remarks>
    public void SetLineMode(ReadOnlyMemory<byte> extra = default)
    {
        LineMode = true;
        if (!extra.IsEmpty)
            Receive(extra.ToArray());
    }

    /// <summary>Empties the buffer of bytes received and not yet delivered, and returns them (Twisted's
    /// <c>clearLineBuffer</c>). From <c>LineReceived</c>, that is everything received after the current line.</summary>
    /// <returns>The bytes that were buffered; empty if none.</returns>
    public ReadOnlyMemory<byte> ClearLineBuffer() => _lines.TakeAll();

    /// <summary>Whether line delivery is paused (Twisted's <c>paused</c>): by <see cref="PauseProducing"/> or
    /// <see cref="StopProducing"/>.</summary>
    public bool Paused => _paused;

    /// <summary>Stops delivering lines and raw data, keeping what arrives buffered, and pauses reading the connection
    /// (Twisted's <c>pauseProducing</c>). Called from <c>LineReceived</c>, the lines after that one wait.</summary>
    /// <exception cref="InvalidOperationException">The protocol is not connected yet.</exception>
    public void PauseProducing()
    {
        _paused = true;
        Transport.PauseProducing();
    }

    /// <summary>Reads the connection again and delivers the lines that waited, at once (Twisted's
    /// <c>resumeProducing</c>).</summary>
    /// <exception cref="InvalidOperationException">The protocol is not connected yet.</exception>
    public void ResumeProducing()
    {
        _paused = false;
        Transport.ResumeProducing();
        Receive(ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>Stops delivering for good and stops the transport, which loses the connection (Twisted's
    /// <c>stopProducing</c>).</summary>
    /// <exception cref="InvalidOperationException">The protocol is not connected yet.</exception>
    public void StopProducing()
    {
        _paused = true;
        Transport.StopProducing();
    }

    /// <summary>Cuts the chunk into lines, or passes it on in raw mode. Sealed: override
    /// <see cref="LineReceived(ReadOnlyMemory{byte})"/> and <see cref="RawDataReceived"/> instead.</summary>
    /// <param name="data">The bytes received.</param>
    public sealed override void DataReceived(ReadOnlyMemory<byte> data) => Receive(data);

    private void Receive(ReadOnlyMemory<byte> data)
    {
        _lines.Buffer.Append(data);
        if (_busy)
            return; // a callback's SetLineMode(extra): the loop below goes on with it
        _busy = true;
        try
        {
            Deliver();
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Twisted's loop: while bytes wait and the protocol has not started closing, hand out a line
    /// or the raw bytes, and look again, since each callback may switch modes or change the delimiter.</summary>
    private void Deliver()
    {
        ref var bytes = ref _lines.Buffer.Bytes;
        while (!bytes.IsEmpty && !_paused)
        {
            if (LineSending.Disconnecting(this))
            {
                _lines.TakeAll(); // as Twisted stops reading once closing
                return;
            }
            if (!LineMode)
            {
                RawDataReceived(_lines.TakeAll());
                continue;
            }
            // The decoder only finds delimiters; the limits are Twisted's, checked here.
            var decoder = _lines.Decoder;
            var before = bytes;
            if (!decoder.TryDecode(ref bytes, out var line))
            {
                // No delimiter yet: too long only once even a delimiter completing now could not save the line.
                if (bytes.Length >= (long)_lines.MaxLength + _lines.Delimiter.Length)
                    LineLengthExceeded(_lines.TakeAll());
                return;
            }
            if (line.Length > _lines.MaxLength)
            {
                bytes = before; // Twisted hands over the long line, its delimiter and everything after it
                LineLengthExceeded(_lines.TakeAll());
                return;
            }
            LineReceived(line);
        }
    }
}

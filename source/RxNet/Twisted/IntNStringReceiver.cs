namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>IntNStringReceiver</c>: strings, each sent after its length as a big-endian unsigned
/// number of <see cref="PrefixLength"/> bytes. Derive from <see cref="Int32StringReceiver"/>,
/// <see cref="Int16StringReceiver"/> or <see cref="Int8StringReceiver"/>; override
/// <see cref="StringReceived"/> and send with <see cref="SendString"/>.
/// </summary>
/// <remarks>
/// <para>Built on <see cref="LengthFieldCodec"/>: each received chunk goes to its decoder, and each whole
/// string to <see cref="StringReceived"/>, in order, on the connection's I/O thread. A string that lies in
/// one received chunk is a slice of it (nothing copied); it stays valid after the call, so it may be kept.</para>
/// <para>A length above <see cref="MaxLength"/> calls <see cref="LengthLimitExceeded"/> as soon as the
/// prefix arrives, with <see cref="Recvd"/> holding that prefix and everything after it; after it, no more strings are
/// read from this connection.</para>
/// <para><b>Switching protocols.</b> <see cref="Recvd"/> is Twisted's <c>recvd</c>: the bytes received and not yet
/// delivered. Read it in <see cref="StringReceived"/> to see what follows the string; set it there to replace what
/// follows (strings are then cut from the new value), for example to take the bytes of another protocol off the front. An exception thrown by
/// <see cref="StringReceived"/> aborts the connection, as any protocol event's does.</para>
/// <para><b>Producer.</b> As Twisted's, it is an <see cref="IPushProducer"/>: <see cref="PauseProducing"/> stops
/// delivering strings (the bytes wait) and pauses reading the connection, <see cref="ResumeProducing"/> delivers
/// what waits and reads on, <see cref="StopProducing"/> stops delivering and loses the connection.</para>
/// </remarks>
public abstract class IntNStringReceiver : Protocol, IStringReceiver, IPushProducer
{
    private readonly StringFraming _framing = new();
    private readonly LengthFieldCodec _sendCodec;
    private LengthFieldCodec? _receiveCodec;
    private int _maxLength = 99999;

    /// <summary>Creates the receiver for a prefix of <paramref name="prefixLength"/> bytes.</summary>
    /// <param name="prefixLength">1, 2 or 4.</param>
    private protected IntNStringReceiver(int prefixLength)
    {
        PrefixLength = prefixLength;
        _sendCodec = new LengthFieldCodec(new LengthFieldOptions { LengthFieldLength = prefixLength, MaxFrameLength = int.MaxValue });
    }

    /// <summary>The width of the length prefix, in bytes (Twisted's <c>prefixLength</c>).</summary>
    public int PrefixLength { get; }

    /// <summary>The longest string accepted, in bytes (Twisted's <c>MAX_LENGTH</c>); 99999 by default.
    /// A change applies from the next string.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxLength
    {
        get => _maxLength;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxLength = value;
        }
    }

    IDecoder<ReadOnlyMemory<byte>> IStringReceiver.Decoder
    {
        get
        {
            int maxFrame = (int)Math.Min((long)_maxLength + PrefixLength, int.MaxValue);
            if (_receiveCodec?.Options.MaxFrameLength != maxFrame)
                _receiveCodec = new LengthFieldCodec(new LengthFieldOptions { LengthFieldLength = PrefixLength, MaxFrameLength = maxFrame });
            return _receiveCodec.CreateDecoder();
        }
    }

    /// <summary>The bytes received and not yet delivered (Twisted's <c>recvd</c>): in <see cref="StringReceived"/>,
    /// those after the string; in <see cref="LengthLimitExceeded"/>, the too-long prefix and what follows it.</summary>
    /// <value>One piece, yours to keep. Set it (from <see cref="StringReceived"/>, as Twisted's protocol switching does)
    /// to replace those bytes: the value is copied and strings are cut from it next.</value>
    public ReadOnlyMemory<byte> Recvd
    {
        get => _framing.Remaining;
        set => _framing.Replace(value);
    }

    /// <summary>Whether string delivery is paused (Twisted's <c>paused</c>).</summary>
    public bool Paused { get; private set; }

    /// <summary>Stops delivering strings, keeping what arrives buffered, and pauses reading the connection (Twisted's
    /// <c>pauseProducing</c>).</summary>
    /// <exception cref="InvalidOperationException">The protocol is not connected yet.</exception>
    public void PauseProducing()
    {
        Paused = true;
        Transport.PauseProducing();
    }

    /// <summary>Reads the connection again and delivers the strings that waited (Twisted's <c>resumeProducing</c>).</summary>
    /// <exception cref="InvalidOperationException">The protocol is not connected yet.</exception>
    public void ResumeProducing()
    {
        Paused = false;
        Transport.ResumeProducing();
        DataReceived(ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>Stops delivering for good and stops the transport, which loses the connection (Twisted's
    /// <c>stopProducing</c>).</summary>
    /// <exception cref="InvalidOperationException">The protocol is not connected yet.</exception>
    public void StopProducing()
    {
        Paused = true;
        Transport.StopProducing();
    }

    /// <summary>Called with each string received, without its prefix.</summary>
    /// <param name="data">The string; yours to keep.</param>
    public abstract void StringReceived(ReadOnlyMemory<byte> data);

    /// <summary>Called when a prefix announces a string longer than <see cref="MaxLength"/>. The default
    /// loses the connection, as Twisted's does; no more strings are read from it either way.</summary>
    /// <param name="length">The length the prefix announced.</param>
    public virtual void LengthLimitExceeded(long length) => Transport.LoseConnection();

    /// <summary>Sends <paramref name="data"/> after its length prefix, as one write.</summary>
    /// <param name="data">The string; it is copied, so the buffer may be reused at once.</param>
    /// <exception cref="FrameTooLargeException">The string is too long for the prefix (Twisted's
    /// <c>StringTooLongError</c>): 256 bytes and up for one byte, 65536 for two, 2^32 for four.
    /// <see cref="MaxLength"/> limits what is received, not what is sent, as in Twisted.</exception>
    /// <exception cref="InvalidOperationException">The protocol is not connected yet.</exception>
    public void SendString(ReadOnlyMemory<byte> data) => _framing.Send(data, _sendCodec, Transport);

    /// <summary>Cuts the bytes into strings for <see cref="StringReceived"/>; sealed, since the strings are
    /// the extension point.</summary>
    /// <param name="data">The bytes received.</param>
    public sealed override void DataReceived(ReadOnlyMemory<byte> data)
    {
        if (_framing.Receive(data, this) is FrameTooLargeException tooLong)
        {
            try
            {
                LengthLimitExceeded(tooLong.Seen - PrefixLength);
            }
            finally
            {
                _framing.Clear();
            }
        }
    }

    void IStringReceiver.Deliver(ReadOnlyMemory<byte> data) => StringReceived(data);
}

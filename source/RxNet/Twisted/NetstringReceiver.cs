namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>NetstringReceiver</c>: strings sent as netstrings (<c>5:hello,</c>). Override
/// <see cref="StringReceived"/> and send with <see cref="SendString"/>.
/// </summary>
/// <remarks>
/// <para>Built on <see cref="NetstringCodec"/>: each received chunk goes to its decoder, and each whole
/// string to <see cref="StringReceived"/>, in order, on the connection's I/O thread. A string that lies in
/// one received chunk is a slice of it; it stays valid after the call, so it may be kept.</para>
/// <para>Bytes that break the format, or a length above <see cref="MaxLength"/>, make the peer broken, as
/// in Twisted: <see cref="BrokenPeer"/> becomes true, the connection is lost, and no more strings are read.
/// The error is in <see cref="ParseError"/>. An exception thrown by <see cref="StringReceived"/> aborts the
/// connection, as any protocol event's does.</para>
/// <para>The same framing without classes: <c>connection.Framed(new NetstringCodec())</c>.</para>
/// </remarks>
public abstract class NetstringReceiver : Protocol, IStringReceiver
{
    /// <summary>Sending is limited by nothing but memory, as in Twisted.</summary>
    private static readonly NetstringCodec _sendCodec = new(int.MaxValue);

    private readonly StringFraming _framing = new();
    private NetstringCodec _codec = new();

    /// <summary>The longest string accepted, in bytes (Twisted's <c>MAX_LENGTH</c>); 99999 by default.
    /// A change applies from the next string.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxLength
    {
        get => _codec.MaxLength;
        set => _codec = new NetstringCodec(value);
    }

    /// <summary>Whether the peer sent something that is not a netstring, or one above <see cref="MaxLength"/>
    /// (Twisted's <c>brokenPeer</c>).</summary>
    public bool BrokenPeer { get; private set; }

    /// <summary>Why the peer is broken, when <see cref="BrokenPeer"/> is true: the message says what was seen.</summary>
    public FramingException? ParseError { get; private set; }

    IDecoder<ReadOnlyMemory<byte>> IStringReceiver.Decoder => _codec.CreateDecoder();

    bool IStringReceiver.Paused => false; // Twisted's NetstringReceiver does not pause either

    /// <summary>Called with each string received, without its framing.</summary>
    /// <param name="data">The string; yours to keep.</param>
    public abstract void StringReceived(ReadOnlyMemory<byte> data);

    /// <summary>Sends <paramref name="data"/> as a netstring, as one write.</summary>
    /// <param name="data">The string; it is copied, so the buffer may be reused at once.</param>
    /// <exception cref="InvalidOperationException">The protocol is not connected yet.</exception>
    /// <remarks><see cref="MaxLength"/> limits what is received, not what is sent, as in Twisted.</remarks>
    public void SendString(ReadOnlyMemory<byte> data) => _framing.Send(data, _sendCodec, Transport);

    /// <summary>Cuts the bytes into strings for <see cref="StringReceived"/>; sealed, since the strings are
    /// the extension point.</summary>
    /// <param name="data">The bytes received.</param>
    public sealed override void DataReceived(ReadOnlyMemory<byte> data)
    {
        if (_framing.Receive(data, this) is { } error)
        {
            _framing.Clear();
            BrokenPeer = true;
            ParseError = error;
            Transport.LoseConnection();
        }
    }

    void IStringReceiver.Deliver(ReadOnlyMemory<byte> data) => StringReceived(data);
}

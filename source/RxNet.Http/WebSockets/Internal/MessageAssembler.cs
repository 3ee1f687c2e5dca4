using System.Buffers;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>
/// Joins a message's data frames into one <see cref="WebSocketMessage"/>. A compressed message (RSV1 on its first
/// frame) is inflated as its frames arrive, in steps of <see cref="InflateStep"/> bytes checked against the limit, so
/// a message that inflates past <c>MaxMessageSize</c> is refused with 1009 having grown the buffer to the limit at
/// most; its text is checked as UTF-8 after inflating (1007).
/// </summary>
/// <remarks>Called on the reading thread only. An uncompressed message in one frame is that frame's payload, not a copy.
/// With a stream threshold, a message that grows past it is delivered at that point as a <see cref="MessageBody"/>
/// holding what was read, and the rest of its frames go to that body.</remarks>
internal sealed class MessageAssembler : IDisposable
{
    public const int InflateStep = 16 * 1024;

    private readonly long _maxMessageSize;
    private readonly MessageInflater? _inflater;
    private readonly long? _streamThreshold;
    private readonly long _maxStreamedSize;
    private readonly WebSocket? _owner; // told when a streamed body's demand changes or it finds a violation
    private MessageBody? _body;
    private WebSocketMessageType _type;
    private bool _compressed;
    private byte[]? _buffer;
    private int _length;
    private Utf8Validator _utf8;

    public MessageAssembler(long maxMessageSize, MessageInflater? inflater, long? streamThreshold = null, long maxStreamedSize = 0,
        WebSocket? owner = null)
    {
        _maxMessageSize = maxMessageSize;
        _inflater = inflater;
        _streamThreshold = streamThreshold;
        _maxStreamedSize = maxStreamedSize;
        _owner = owner;
    }

    /// <summary>The streamed message in progress (until its end was handed over), or null.</summary>
    public MessageBody? Body => _body is { IsDone: false } body ? body : null;

    /// <summary>Takes a data frame; true with the message when it was the message's last.</summary>
    /// <exception cref="WebSocketProtocolException">1009 past the limit once inflated, 1007 for inflated text that is
    /// not UTF-8 or bytes that do not inflate.</exception>
    public bool TryAdd(in WebSocketFrame frame, out WebSocketMessage message)
    {
        message = default;
        if (frame.Opcode != WebSocketOpcode.Continuation)
        {
            _type = frame.Opcode == WebSocketOpcode.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
            _compressed = frame.Compressed;
            _length = 0;
            _utf8 = default;
            _body = null;
            if (frame.IsFinal && !_compressed && !(frame.Payload.Length > _streamThreshold))
            {
                message = new WebSocketMessage(_type, frame.Payload);
                return true;
            }
        }
        if (_body is not null)
        {
            _body.Add(frame.Payload, frame.IsFinal);
            return false;
        }
        if (_compressed)
            Inflate(frame.Payload, frame.IsFinal);
        else
            Append(frame.Payload.Span);
        if (_length > _streamThreshold)
        {
            var first = _buffer.AsMemory(0, _length);
            _buffer = null;
            _body = new MessageBody(_compressed ? _inflater : null, first, _length, _maxStreamedSize,
                _compressed && _type == WebSocketMessageType.Text ? _utf8 : null, frame.IsFinal,
                _owner is { } owner ? owner.UpdateReading : static () => { }, _owner is { } socket ? socket.OnReadError : static _ => { });
            message = new WebSocketMessage(_type, ReadOnlyMemory<byte>.Empty) { Body = _body };
            return true;
        }
        if (!frame.IsFinal)
            return false;
        message = new WebSocketMessage(_type, _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, _length));
        _buffer = null;
        _length = 0;
        return true;
    }

    public void Dispose()
    {
        _inflater?.Dispose();
        _buffer = null;
    }

    private void Inflate(ReadOnlyMemory<byte> compressed, bool last)
    {
        var inflater = _inflater!;
        inflater.Feed(compressed);
        if (last)
            inflater.EndMessage();
        byte[] step = ArrayPool<byte>.Shared.Rent(InflateStep);
        try
        {
            int read;
            // Past a stream threshold, the rest is inflated by the body, as its subscriber asks.
            while (!(_length > _streamThreshold) && (read = inflater.Read(step.AsSpan(0, InflateStep))) > 0)
            {
                if (_length + (long)read > _maxMessageSize)
                    throw new WebSocketProtocolException(WebSocketCloseCode.MessageTooBig,
                        $"A compressed message inflates to more than the limit of {_maxMessageSize} bytes.");
                if (_type == WebSocketMessageType.Text)
                    CheckText(step.AsSpan(0, read));
                Append(step.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(step);
        }
        if (!last || _length > _streamThreshold)
            return;
        inflater.Done();
        if (_type == WebSocketMessageType.Text && !_utf8.AtBoundary)
            throw new WebSocketProtocolException(WebSocketCloseCode.InvalidPayloadData, "The text message ends inside a UTF-8 character.");
    }

    private void CheckText(ReadOnlySpan<byte> text)
    {
        int bad = _utf8.Feed(text);
        if (bad >= 0)
            throw new WebSocketProtocolException(WebSocketCloseCode.InvalidPayloadData, $"The text message is not UTF-8 at byte {_length + bad}.");
    }

    /// <summary>Appends, growing the buffer by doubling but never past the limit (the decoder and the inflate step
    /// already refused anything longer).</summary>
    private void Append(ReadOnlySpan<byte> bytes)
    {
        int needed = _length + bytes.Length;
        if (_buffer is null || needed > _buffer.Length)
        {
            long grown = Math.Max(Math.Max((_buffer?.Length ?? 0) * 2L, needed), 256);
            var larger = new byte[Math.Min(grown, Math.Max(_maxMessageSize, needed))];
            _buffer?.AsSpan(0, _length).CopyTo(larger);
            _buffer = larger;
        }
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length = needed;
    }
}

using System.Buffers;
using System.Buffers.Binary;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>
/// The decoder of <see cref="WebSocketFrameCodec"/>: one frame per call, every rule checked at the first byte that can
/// break it. It follows one stream's fragmentation (whether a message is in progress, its type, its length so far,
/// its UTF-8 state), so one instance serves one stream.
/// </summary>
/// <remarks>
/// Nothing is consumed until a whole frame is there; the header is read again on each call (a few bytes). While a text
/// frame's payload arrives, the bytes already there are unmasked and validated (<see cref="_checkedInFrame"/> says how
/// far), so invalid text fails before its frame is complete.
/// </remarks>
internal sealed class WebSocketFrameDecoder : IDecoder<WebSocketFrame>
{
    private const int MaxControlPayload = 125;

    private readonly bool _expectMasked;
    private readonly long _maxMessageSize;
    private bool _inMessage;
    private bool _messageIsText;
    private long _messageLength;
    private Utf8Validator _utf8;
    private long _checkedInFrame;

    public WebSocketFrameDecoder(WebSocketRole role, long maxMessageSize)
    {
        _expectMasked = role == WebSocketRole.Server;
        _maxMessageSize = maxMessageSize;
    }

    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out WebSocketFrame frame)
    {
        frame = default;
        if (!TryReadHeader(buffer, out var header))
            return false;
        long total = header.Length + header.PayloadLength;
        bool text = header.Opcode == WebSocketOpcode.Text || (header.Opcode == WebSocketOpcode.Continuation && _messageIsText);
        if (buffer.Length < total)
        {
            if (text)
                CheckText(buffer.Slice(header.Length), header);
            return false;
        }
        var payload = Unmask(buffer.Slice(header.Length, header.PayloadLength), header);
        if (text)
        {
            CheckText(payload);
            if (header.IsFinal && !_utf8.AtBoundary)
                throw InvalidText("The text message ends inside a UTF-8 character.");
        }
        else if (header.Opcode == WebSocketOpcode.Close)
        {
            ClosePayload.Validate(payload.Span);
        }
        _checkedInFrame = 0;
        if (!header.IsControl)
            Advance(header);
        frame = new WebSocketFrame(header.Opcode, header.IsFinal, payload);
        buffer = buffer.Slice(total);
        return true;
    }

    public bool TryDecodeFinal(ref ReadOnlySequence<byte> buffer, out WebSocketFrame frame)
    {
        if (TryDecode(ref buffer, out frame))
            return true;
        throw new IncompleteFrameException("a WebSocket frame", buffer.Length);
    }

    /// <summary>Reads and checks the header; false while it is incomplete.</summary>
    private bool TryReadHeader(in ReadOnlySequence<byte> buffer, out Header header)
    {
        header = default;
        Span<byte> bytes = stackalloc byte[14];
        int available = (int)Math.Min(buffer.Length, bytes.Length);
        if (available < 2)
            return false;
        buffer.Slice(0, available).CopyTo(bytes);
        byte b0 = bytes[0], b1 = bytes[1];
        bool fin = (b0 & 0x80) != 0;
        if ((b0 & 0x70) != 0)
            throw Protocol($"A frame sets reserved bits (0x{b0 & 0x70:X2}) and no extension was negotiated.");
        var opcode = (WebSocketOpcode)(b0 & 0x0F);
        bool control = opcode >= WebSocketOpcode.Close;
        if (opcode is not (WebSocketOpcode.Continuation or WebSocketOpcode.Text or WebSocketOpcode.Binary
            or WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong))
            throw Protocol($"A frame uses the reserved opcode 0x{(int)opcode:X}.");
        if (control && !fin)
            throw Protocol($"A {opcode} frame is fragmented: control frames never are.");
        if (opcode == WebSocketOpcode.Continuation && !_inMessage)
            throw Protocol("A continuation frame arrives with no message in progress.");
        if (opcode is WebSocketOpcode.Text or WebSocketOpcode.Binary && _inMessage)
            throw Protocol($"A {opcode} frame starts a message while another is still in progress.");
        bool masked = (b1 & 0x80) != 0;
        if (masked != _expectMasked)
            throw Protocol(_expectMasked ? "A client frame is not masked." : "A server frame is masked.");
        int length7 = b1 & 0x7F;
        if (control && length7 > MaxControlPayload)
            throw Protocol($"A {opcode} frame announces more than {MaxControlPayload} bytes.");
        int lengthBytes = length7 switch { 126 => 2, 127 => 8, _ => 0 };
        int headerLength = 2 + lengthBytes + (masked ? 4 : 0);
        if (available < 2 + lengthBytes)
            return false;
        long length = length7;
        if (lengthBytes == 2)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
            if (length < 126)
                throw Protocol($"A frame announces {length} bytes in the 16-bit form: the 7-bit form is required.");
        }
        else if (lengthBytes == 8)
        {
            ulong wide = BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]);
            if (wide > long.MaxValue)
                throw Protocol("A frame's 64-bit length has its most significant bit set.");
            length = (long)wide;
            if (length <= ushort.MaxValue)
                throw Protocol($"A frame announces {length} bytes in the 64-bit form: the 16-bit form is required.");
        }
        if (!control && length > _maxMessageSize - _messageLength)
            throw new WebSocketProtocolException(WebSocketCloseCode.MessageTooBig,
                $"A message of at least {_messageLength + length} bytes is announced; the limit is {_maxMessageSize}.");
        if (available < headerLength)
            return false;
        int key = masked ? BinaryPrimitives.ReadInt32BigEndian(bytes[(2 + lengthBytes)..]) : 0;
        header = new Header(opcode, fin, headerLength, length, masked, key);
        return true;
    }

    /// <summary>Unmasks the bytes of <paramref name="payload"/> not yet checked and feeds them to the message's UTF-8 state.</summary>
    private void CheckText(ReadOnlySequence<byte> payload, in Header header)
    {
        if (payload.Length <= _checkedInFrame)
            return;
        Span<byte> scratch = stackalloc byte[256];
        foreach (var segment in payload.Slice(_checkedInFrame))
        {
            var span = segment.Span;
            while (span.Length > 0)
            {
                int take = Math.Min(span.Length, scratch.Length);
                var piece = scratch[..take];
                if (header.Masked)
                    WebSocketMask.Apply(span[..take], piece, header.Key, _checkedInFrame);
                else
                    span[..take].CopyTo(piece);
                CheckUtf8(piece);
                span = span[take..];
            }
        }
    }

    /// <summary>Feeds a whole frame's unmasked payload from where the partial checks stopped.</summary>
    private void CheckText(ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > _checkedInFrame)
            CheckUtf8(payload.Span[(int)_checkedInFrame..]);
    }

    private void CheckUtf8(ReadOnlySpan<byte> bytes)
    {
        int bad = _utf8.Feed(bytes);
        if (bad >= 0)
            throw InvalidText($"The text message is not UTF-8 at byte {_messageLength + _checkedInFrame + bad}.");
        _checkedInFrame += bytes.Length;
    }

    private static ReadOnlyMemory<byte> Unmask(in ReadOnlySequence<byte> payload, in Header header)
    {
        if (!header.Masked)
            return payload.IsSingleSegment ? payload.First : payload.ToArray();
        // Received chunks are never written to: the unmasked payload is a copy.
        byte[] copy = new byte[payload.Length];
        long offset = 0;
        foreach (var segment in payload)
        {
            WebSocketMask.Apply(segment.Span, copy.AsSpan((int)offset), header.Key, offset);
            offset += segment.Length;
        }
        return copy;
    }

    private void Advance(in Header header)
    {
        if (header.Opcode != WebSocketOpcode.Continuation)
            _messageIsText = header.Opcode == WebSocketOpcode.Text;
        _inMessage = !header.IsFinal;
        _messageLength = header.IsFinal ? 0 : _messageLength + header.PayloadLength;
        if (header.IsFinal)
            _utf8 = default;
    }

    private static WebSocketProtocolException Protocol(string message) => new(WebSocketCloseCode.ProtocolError, message);

    private static WebSocketProtocolException InvalidText(string message) => new(WebSocketCloseCode.InvalidPayloadData, message);

    private readonly record struct Header(WebSocketOpcode Opcode, bool IsFinal, int Length, long PayloadLength, bool Masked, int Key)
    {
        public bool IsControl => Opcode >= WebSocketOpcode.Close;
    }
}

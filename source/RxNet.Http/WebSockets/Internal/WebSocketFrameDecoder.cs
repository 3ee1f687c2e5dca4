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
/// <para>With permessage-deflate negotiated, RSV1 marks the first frame of a compressed message (never a continuation
/// or a control frame); a compressed message's text is checked after inflating, not here. With a piece size, a data
/// frame longer than it is handed out in pieces as its bytes arrive (the first with the frame's opcode, the others as
/// continuations, the last with its FIN), so a streamed message never waits whole in the buffer.</para>
/// </remarks>
internal sealed class WebSocketFrameDecoder : IDecoder<WebSocketFrame>
{
    private const int MaxControlPayload = 125;

    private readonly bool _expectMasked;
    private readonly long _maxMessageSize;
    private readonly bool _perMessageDeflate;
    private readonly long _pieceSize;
    private bool _inMessage;
    private bool _messageIsText;
    private bool _messageCompressed;
    private Header _piece;          // the frame being handed out in pieces
    private long _pieceOffset;      // how much of its payload went out
    private bool _inPiece;
    private long _messageLength;
    private Utf8Validator _utf8;
    private long _checkedInFrame;

    public WebSocketFrameDecoder(WebSocketRole role, long maxMessageSize, bool perMessageDeflate = false, long pieceSize = 0)
    {
        _expectMasked = role == WebSocketRole.Server;
        _maxMessageSize = maxMessageSize;
        _perMessageDeflate = perMessageDeflate;
        _pieceSize = pieceSize;
    }

    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out WebSocketFrame frame)
    {
        frame = default;
        if (_inPiece)
            return TryDecodePiece(ref buffer, out frame);
        if (!TryReadHeader(buffer, out var header))
            return false;
        long total = header.Length + header.PayloadLength;
        bool text = IsText(header);
        if (_pieceSize > 0 && !header.IsControl && header.PayloadLength > _pieceSize && buffer.Length < total)
        {
            // Too long to wait for whole: from here on its bytes go out as they come.
            buffer = buffer.Slice(header.Length);
            BeginFrame(header);
            (_piece, _pieceOffset, _inPiece) = (header, 0, true);
            return TryDecodePiece(ref buffer, out frame);
        }
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
        bool compressed = header.Compressed;
        if (!header.IsControl)
        {
            BeginFrame(header);
            EndFrame(header.IsFinal);
        }
        frame = new WebSocketFrame(header.Opcode, header.IsFinal, payload) { Compressed = compressed };
        buffer = buffer.Slice(total);
        return true;
    }

    /// <summary>Hands out the bytes of <see cref="_piece"/> that are there (none: false).</summary>
    private bool TryDecodePiece(ref ReadOnlySequence<byte> buffer, out WebSocketFrame frame)
    {
        frame = default;
        long left = _piece.PayloadLength - _pieceOffset;
        long take = Math.Min(left, buffer.Length);
        if (take == 0 && left > 0)
            return false;
        var bytes = buffer.Slice(0, take);
        var payload = Unmask(bytes, _piece, _pieceOffset);
        if (IsText(_piece))
        {
            _checkedInFrame = 0;
            CheckUtf8(payload.Span);
            if (take == left && _piece.IsFinal && !_utf8.AtBoundary)
                throw InvalidText("The text message ends inside a UTF-8 character.");
        }
        _checkedInFrame = 0;
        bool first = _pieceOffset == 0;
        _pieceOffset += take;
        bool last = take == left;
        frame = new WebSocketFrame(first ? _piece.Opcode : WebSocketOpcode.Continuation, last && _piece.IsFinal, payload)
        {
            Compressed = first && _piece.Compressed,
        };
        buffer = buffer.Slice(take);
        if (last)
        {
            _inPiece = false;
            EndFrame(_piece.IsFinal);
        }
        return true;
    }

    /// <summary>Whether the frame's payload is text to check here: text not compressed (inflated text is checked after inflating).</summary>
    private bool IsText(in Header header) =>
        header.Opcode == WebSocketOpcode.Text ? !header.Compressed
        : header.Opcode == WebSocketOpcode.Continuation && _messageIsText && !_messageCompressed;

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
        bool compressed = (b0 & 0x40) != 0;
        var opcode = (WebSocketOpcode)(b0 & 0x0F);
        bool control = opcode >= WebSocketOpcode.Close;
        if ((b0 & 0x30) != 0 || (compressed && !_perMessageDeflate))
            throw Protocol($"A frame sets reserved bits (0x{b0 & 0x70:X2}) and no extension was negotiated that defines them.");
        if (opcode is not (WebSocketOpcode.Continuation or WebSocketOpcode.Text or WebSocketOpcode.Binary
            or WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong))
            throw Protocol($"A frame uses the reserved opcode 0x{(int)opcode:X}.");
        if (control && !fin)
            throw Protocol($"A {opcode} frame is fragmented: control frames never are.");
        if (opcode == WebSocketOpcode.Continuation && !_inMessage)
            throw Protocol("A continuation frame arrives with no message in progress.");
        if (opcode is WebSocketOpcode.Text or WebSocketOpcode.Binary && _inMessage)
            throw Protocol($"A {opcode} frame starts a message while another is still in progress.");
        if (compressed && opcode is not (WebSocketOpcode.Text or WebSocketOpcode.Binary))
            throw Protocol($"A {opcode} frame sets RSV1: permessage-deflate marks only the first frame of a data message.");
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
        header = new Header(opcode, fin, headerLength, length, masked, key, compressed);
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

    /// <summary>The payload unmasked, <paramref name="start"/> bytes into its frame (for the key's phase).</summary>
    private static ReadOnlyMemory<byte> Unmask(in ReadOnlySequence<byte> payload, in Header header, long start = 0)
    {
        if (!header.Masked)
            return payload.IsSingleSegment ? payload.First : payload.ToArray();
        // Received chunks are never written to: the unmasked payload is a copy.
        byte[] copy = new byte[payload.Length];
        long offset = 0;
        foreach (var segment in payload)
        {
            WebSocketMask.Apply(segment.Span, copy.AsSpan((int)offset), header.Key, start + offset);
            offset += segment.Length;
        }
        return copy;
    }

    /// <summary>A data frame's header is consumed: its message's type and length so far.</summary>
    private void BeginFrame(in Header header)
    {
        if (header.Opcode != WebSocketOpcode.Continuation)
        {
            _messageIsText = header.Opcode == WebSocketOpcode.Text;
            _messageCompressed = header.Compressed;
        }
        _inMessage = true;
        _messageLength += header.PayloadLength;
    }

    /// <summary>A data frame's payload is all out: a final one ends its message.</summary>
    private void EndFrame(bool isFinal)
    {
        _inMessage = !isFinal;
        if (isFinal)
        {
            _messageLength = 0;
            _utf8 = default;
        }
    }

    private static WebSocketProtocolException Protocol(string message) => new(WebSocketCloseCode.ProtocolError, message);

    private static WebSocketProtocolException InvalidText(string message) => new(WebSocketCloseCode.InvalidPayloadData, message);

    private readonly record struct Header(WebSocketOpcode Opcode, bool IsFinal, int Length, long PayloadLength, bool Masked, int Key, bool Compressed)
    {
        public bool IsControl => Opcode >= WebSocketOpcode.Close;
    }
}

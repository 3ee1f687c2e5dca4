namespace RxNet.Http;

/// <summary>One WebSocket frame (RFC 6455 §5.2), unmasked: what <see cref="WebSocketFrameCodec"/> decodes and encodes.</summary>
/// <param name="Opcode">What the frame carries.</param>
/// <param name="IsFinal">The FIN bit: the last frame of its message (always set on control frames).</param>
/// <param name="Payload">The application data, already unmasked on receipt; masked on the wire by a client's encoder.</param>
/// <remarks>A decoded payload is the decoder's own copy (unmasking writes a new buffer) or, for an unmasked frame that
/// arrived in one chunk, a slice of that chunk, which never changes (see the connection contract).</remarks>
public readonly record struct WebSocketFrame(WebSocketOpcode Opcode, bool IsFinal, ReadOnlyMemory<byte> Payload)
{
    /// <summary>Whether this is a control frame (close, ping, pong): at most 125 bytes and never fragmented.</summary>
    public bool IsControl => Opcode >= WebSocketOpcode.Close;

    /// <summary>The RSV1 bit, which permessage-deflate (RFC 7692) sets on the first frame of a compressed message; only
    /// a socket that negotiated it decodes or sends it.</summary>
    internal bool Compressed { get; init; }
}

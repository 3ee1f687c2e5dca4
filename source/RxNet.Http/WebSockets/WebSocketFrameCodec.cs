using System.Security.Cryptography;
using RxNet.Http.WebSockets.Internal;

namespace RxNet.Http;

/// <summary>
/// The RFC 6455 frame format as an RxNet codec: <c>connection.Framed(new WebSocketFrameCodec(WebSocketRole.Server))</c>
/// reads and writes <see cref="WebSocketFrame"/>s. The server's WebSocket is built on it; use it directly for a
/// protocol of your own over frames.
/// </summary>
/// <remarks>
/// <para><b>Strict.</b> The decoder fails with <see cref="WebSocketProtocolException"/> at the first byte that
/// breaks a rule: reserved bits set (no extension is negotiated), a reserved opcode, a frame masked or not against
/// <see cref="Role"/>, a length not in its shortest form or with the 64-bit form's top bit set, a control frame
/// fragmented or longer than 125 bytes, a continuation with no message in progress or a new message inside one
/// (<see cref="WebSocketCloseCode.ProtocolError"/>); text (whole messages across their fragments, and close reasons)
/// that is not UTF-8, detected at the first bad byte even before its frame is complete
/// (<see cref="WebSocketCloseCode.InvalidPayloadData"/>); a close code that must not be sent
/// (<see cref="WebSocketCloseCode.ProtocolError"/>).</para>
/// <para><b>Bounded.</b> A data message (all its fragments) longer than <see cref="MaxMessageSize"/> fails with
/// <see cref="WebSocketCloseCode.MessageTooBig"/> as soon as a frame header announces it, before any of its payload
/// is buffered.</para>
/// <para><b>Encoding.</b> The encoder writes each frame in the shortest length form; as a
/// <see cref="WebSocketRole.Client"/> it masks with a fresh key from <see cref="RandomNumberGenerator"/>. It checks
/// nothing: sending valid frames is the caller's part (the WebSocket type does).</para>
/// <para>One decoder serves one stream (it follows fragmentation); the encoder is shared.</para>
/// </remarks>
public sealed class WebSocketFrameCodec : ICodec<WebSocketFrame>
{
    /// <summary>The default <see cref="MaxMessageSize"/>: 1 MiB, the limit Python's <c>websockets</c> applies by
    /// default, and the amount RxNet holds for a peer that does not read (<see cref="WriteOptions.MaxHeldBytes"/>).</summary>
    public const int DefaultMaxMessageSize = 1024 * 1024;

    private readonly Func<int>? _maskKeys;

    /// <summary>Creates the codec for one end of a connection.</summary>
    /// <param name="role">Which end this is: it decides which frames must be masked.</param>
    /// <param name="maxMessageSize">The longest data message accepted, all its fragments together, in bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxMessageSize"/> is negative or above
    /// <see cref="Array.MaxLength"/> (a message is delivered as one buffer).</exception>
    public WebSocketFrameCodec(WebSocketRole role, long maxMessageSize = DefaultMaxMessageSize)
        : this(role, maxMessageSize, null)
    {
    }

    /// <summary>A codec whose client encoder takes its masking keys from <paramref name="maskKeys"/> (specs only).</summary>
    internal WebSocketFrameCodec(WebSocketRole role, long maxMessageSize, Func<int>? maskKeys)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxMessageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessageSize, Array.MaxLength);
        Role = role;
        MaxMessageSize = maxMessageSize;
        _maskKeys = maskKeys;
        Encoder = maskKeys is not null && role == WebSocketRole.Client ? new WebSocketFrameEncoder(maskKeys) : EncoderFor(role);
    }

    /// <summary>Which end this codec serves.</summary>
    public WebSocketRole Role { get; }

    /// <summary>The longest data message accepted, in bytes (all its fragments together).</summary>
    public long MaxMessageSize { get; }

    /// <inheritdoc/>
    public IEncoder<WebSocketFrame> Encoder { get; }

    /// <inheritdoc/>
    public IDecoder<WebSocketFrame> CreateDecoder() => new WebSocketFrameDecoder(Role, MaxMessageSize);

    /// <summary>The shared encoder of <paramref name="role"/>'s frames (a client's masks each with a random key).</summary>
    internal static WebSocketFrameEncoder EncoderFor(WebSocketRole role) => role == WebSocketRole.Client ? ClientEncoder : ServerEncoder;

    private static readonly WebSocketFrameEncoder ServerEncoder = new(null);
    private static readonly WebSocketFrameEncoder ClientEncoder = new(RandomKey);

    private static int RandomKey()
    {
        Span<byte> key = stackalloc byte[4];
        RandomNumberGenerator.Fill(key);
        return BitConverter.ToInt32(key);
    }
}

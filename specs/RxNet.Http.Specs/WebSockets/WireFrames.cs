using System.Buffers.Binary;
using System.Text;
using RxNet.Http.WebSockets.Internal;

namespace RxNet.Http.Specs.WebSockets;

/// <summary>
/// Builds WebSocket frames byte by byte, independently of the codec under test (any length form, any bits, masked or
/// not), and runs bytes through a decoder at every split, describing what came out as one string.
/// </summary>
internal static class WireFrames
{
    public const int Key = 0x37FA213D; // RFC 6455 §5.7's example key

    /// <summary>One frame. <paramref name="lengthForm"/> forces 0 (7-bit), 2 or 8 length bytes; <paramref name="announced"/>
    /// replaces the length written (the payload given is still appended).</summary>
    public static byte[] Frame(int opcode, ReadOnlySpan<byte> payload, bool fin = true, int? key = Key, int rsv = 0,
        int? lengthForm = null, ulong? announced = null)
    {
        ulong length = announced ?? (ulong)payload.Length;
        int form = lengthForm ?? (length < 126 ? 0 : length <= 0xFFFF ? 2 : 8);
        var bytes = new List<byte> { (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode) };
        byte maskBit = key is null ? (byte)0 : (byte)0x80;
        switch (form)
        {
            case 0:
                bytes.Add((byte)(maskBit | (int)length));
                break;
            case 2:
                bytes.Add((byte)(maskBit | 126));
                bytes.Add((byte)(length >> 8));
                bytes.Add((byte)length);
                break;
            default:
                bytes.Add((byte)(maskBit | 127));
                byte[] wide = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(wide, length);
                bytes.AddRange(wide);
                break;
        }
        if (key is { } k)
        {
            byte[] keyBytes = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(keyBytes, k);
            bytes.AddRange(keyBytes);
            for (int i = 0; i < payload.Length; i++)
                bytes.Add((byte)(payload[i] ^ keyBytes[i % 4]));
        }
        else
        {
            bytes.AddRange(payload.ToArray());
        }
        return [.. bytes];
    }

    public static byte[] Text(string text, bool fin = true, int? key = Key) => Frame(1, Encoding.UTF8.GetBytes(text), fin, key);

    public static byte[] Close(int code, string reason = "", int? key = Key)
    {
        byte[] reasonBytes = Encoding.UTF8.GetBytes(reason);
        byte[] payload = new byte[2 + reasonBytes.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        reasonBytes.CopyTo(payload, 2);
        return Frame(8, payload, key: key);
    }

    /// <summary>Decodes <paramref name="chunks"/> as <paramref name="role"/> and describes every frame, then the error.</summary>
    public static string Run(byte[][] chunks, WebSocketRole role = WebSocketRole.Server, long maxMessageSize = WebSocketFrameCodec.DefaultMaxMessageSize,
        bool perMessageDeflate = false)
    {
        var run = Chunking.Decode(chunks, input => input.Decode(() => new WebSocketFrameDecoder(role, maxMessageSize, perMessageDeflate)));
        var parts = run.Frames.Select(Describe).ToList();
        if (run.Error is WebSocketProtocolException e)
            parts.Add(FormattableString.Invariant($"error {(int)e.CloseCode}"));
        else if (run.Error is { } other)
            parts.Add("error " + other.GetType().Name);
        return string.Join("; ", parts);
    }

    /// <summary>Runs <paramref name="bytes"/> whole, byte by byte, and cut into two and three chunks everywhere; every
    /// run must give <paramref name="expected"/>.</summary>
    public static void AtEverySplit(byte[] bytes, string expected, WebSocketRole role = WebSocketRole.Server, long maxMessageSize = WebSocketFrameCodec.DefaultMaxMessageSize,
        bool perMessageDeflate = false)
    {
        Assert.Equal(expected, Run([bytes], role, maxMessageSize, perMessageDeflate));
        foreach (byte[][] chunks in Chunking.Boundaries(bytes))
        {
            string actual = Run(chunks, role, maxMessageSize, perMessageDeflate);
            if (actual != expected)
                Assert.Fail($"Cut as [{string.Join(", ", chunks.Select(c => c.Length))}] it gave \"{actual}\", whole it gave \"{expected}\".");
        }
    }

    /// <summary>A frame as "Opcode:payload" (text as text, the rest as hex), with "~" for a frame that is not final.</summary>
    public static string Describe(WebSocketFrame frame)
    {
        string payload = frame.Opcode switch
        {
            _ when frame.Compressed => Convert.ToHexString(frame.Payload.Span),
            WebSocketOpcode.Text => Encoding.UTF8.GetString(frame.Payload.Span),
            WebSocketOpcode.Close when frame.Payload.Length >= 2 => FormattableString.Invariant(
                $"{BinaryPrimitives.ReadUInt16BigEndian(frame.Payload.Span)} {Encoding.UTF8.GetString(frame.Payload.Span[2..])}").TrimEnd(),
            _ => Convert.ToHexString(frame.Payload.Span),
        };
        return $"{frame.Opcode}{(frame.Compressed ? "*" : "")}{(frame.IsFinal ? "" : "~")}:{payload}";
    }

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}

using System.Buffers.Binary;
using System.Text;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>The body of a close frame (RFC 6455 §5.5.1): empty, or a two-byte status code and a UTF-8 reason.</summary>
internal static class ClosePayload
{
    /// <summary>The longest reason that fits a control frame's 125 bytes after the code.</summary>
    public const int MaxReasonBytes = 123;

    /// <summary>Whether <paramref name="code"/> may appear in a close frame: the assigned codes that are not reserved
    /// for reporting (1005, 1006, 1015), and 3000-4999.</summary>
    public static bool IsValidOnTheWire(int code) =>
        code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    /// <summary>Checks a received close body; throws <see cref="WebSocketProtocolException"/> if it is invalid.</summary>
    public static void Validate(ReadOnlySpan<byte> payload)
    {
        if (payload.Length == 0)
            return;
        if (payload.Length == 1)
            throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, "A close frame carries 1 byte: a status code needs 2.");
        int code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (!IsValidOnTheWire(code))
            throw new WebSocketProtocolException(WebSocketCloseCode.ProtocolError, $"A close frame carries status code {code}, which must not be sent.");
        var validator = default(Utf8Validator);
        int bad = validator.Feed(payload[2..]);
        if (bad >= 0 || !validator.AtBoundary)
            throw new WebSocketProtocolException(WebSocketCloseCode.InvalidPayloadData,
                bad >= 0 ? $"The close reason is not UTF-8 at byte {bad}." : "The close reason ends inside a UTF-8 character.");
    }

    /// <summary>Reads a body already validated: its code (<see cref="WebSocketCloseCode.NoStatusReceived"/> when empty) and reason.</summary>
    public static (WebSocketCloseCode Code, string Reason) Read(ReadOnlySpan<byte> payload) =>
        payload.Length < 2
            ? (WebSocketCloseCode.NoStatusReceived, "")
            : ((WebSocketCloseCode)BinaryPrimitives.ReadUInt16BigEndian(payload), Encoding.UTF8.GetString(payload[2..]));

    /// <summary>The body for <paramref name="code"/> and <paramref name="reason"/>: empty for
    /// <see cref="WebSocketCloseCode.NoStatusReceived"/>; the reason cut at a character boundary to fit.</summary>
    public static byte[] Write(WebSocketCloseCode code, string reason)
    {
        if (code == WebSocketCloseCode.NoStatusReceived)
            return [];
        byte[] text = Encoding.UTF8.GetBytes(reason);
        int length = Math.Min(text.Length, MaxReasonBytes);
        while (length < text.Length && length > 0 && (text[length] & 0xC0) == 0x80)
            length--; // never cut a character in two
        byte[] payload = new byte[2 + length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        text.AsSpan(0, length).CopyTo(payload.AsSpan(2));
        return payload;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>The opening handshake's computations (RFC 6455 §4.2): the key check, the accept value, list fields.</summary>
internal static class Handshake
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Whether <paramref name="key"/> is the base64 of 16 bytes, as §4.1 requires of a client.</summary>
    public static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out int written) && written == 16;
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> value for <paramref name="key"/>: base64(SHA-1(key + GUID)).</summary>
#pragma warning disable CA5350 // RFC 6455 fixes SHA-1 here: a checksum that proves a WebSocket server answered, not security.
    public static string Accept(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
#pragma warning restore CA5350

    /// <summary>The comma-separated elements of every <paramref name="name"/> field, trimmed, empty ones dropped.</summary>
    public static IEnumerable<string> Elements(HttpHeaders headers, string name) =>
        headers.GetValues(name).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Whether a list field holds <paramref name="token"/>, compared case-insensitively.</summary>
    public static bool HasToken(HttpHeaders headers, string name, string token) =>
        Elements(headers, name).Any(e => string.Equals(e, token, StringComparison.OrdinalIgnoreCase));
}

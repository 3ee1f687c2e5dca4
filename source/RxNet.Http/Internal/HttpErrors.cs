using System.Text;

namespace RxNet.Http;

/// <summary>Builds the <see cref="HttpProtocolException"/>s of the wire layer, with what was seen made printable.</summary>
internal static class HttpErrors
{
    /// <summary>How many bytes of the offending input a message quotes at most.</summary>
    private const int MaxQuoted = 64;

    /// <summary>A 400 (or <paramref name="status"/>) for a broken rule, quoting <paramref name="seen"/>.</summary>
    public static HttpProtocolException Create(HttpProtocolError error, int status, string rule, ReadOnlySpan<byte> seen) =>
        new(error, status, $"{rule}; seen \"{Printable(seen)}\".");

    /// <summary>
    /// An error in a message of <paramref name="kind"/>: a request's carries <paramref name="requestStatus"/>, the
    /// status a server answers it with; a response's carries 502, since a client has nobody to answer and reports
    /// that the upstream's answer was bad.
    /// </summary>
    public static HttpProtocolException Create(HttpMessageKind kind, HttpProtocolError error, int requestStatus, string rule, ReadOnlySpan<byte> seen) =>
        Create(error, kind == HttpMessageKind.Response ? 502 : requestStatus, rule, seen);

    /// <summary>A 400 (502 in a response) <see cref="HttpProtocolError.InvalidChunk"/>: a broken rule of the chunked coding.</summary>
    public static HttpProtocolException InvalidChunk(HttpMessageKind kind, string what, ReadOnlySpan<byte> seen) =>
        Create(kind, HttpProtocolError.InvalidChunk, 400, $"Invalid chunk (RFC 9112 §7.1): {what}", seen);

    /// <summary>
    /// The bytes as text a log can hold: printable ASCII as is, CR, LF, HTAB and NUL as <c>\r \n \t \0</c>, other
    /// bytes as <c>\xNN</c>, a quote or backslash escaped, cut after <see cref="MaxQuoted"/> bytes with an ellipsis.
    /// </summary>
    public static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(Math.Min(bytes.Length, MaxQuoted) + 8);
        foreach (byte b in bytes[..Math.Min(bytes.Length, MaxQuoted)])
        {
            _ = b switch
            {
                (byte)'\r' => text.Append("\\r"),
                (byte)'\n' => text.Append("\\n"),
                (byte)'\t' => text.Append("\\t"),
                0 => text.Append("\\0"),
                (byte)'"' or (byte)'\\' => text.Append('\\').Append((char)b),
                >= 0x20 and < 0x7F => text.Append((char)b),
                _ => text.Append("\\x").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)),
            };
        }
        if (bytes.Length > MaxQuoted)
            text.Append('…');
        return text.ToString();
    }

    /// <summary>A byte named for a message: <c>'a'</c>, <c>CR</c>, <c>LF</c>, <c>NUL</c> or <c>0xNN</c>.</summary>
    public static string Describe(byte b) => b switch
    {
        (byte)'\r' => "CR",
        (byte)'\n' => "LF",
        (byte)'\t' => "HTAB",
        (byte)' ' => "SP",
        0 => "NUL",
        >= 0x21 and < 0x7F => $"'{(char)b}'",
        _ => $"0x{b:X2}",
    };
}

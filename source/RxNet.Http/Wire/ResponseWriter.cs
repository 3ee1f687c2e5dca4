using System.Buffers;
using System.Net;

namespace RxNet.Http;

/// <summary>
/// Serializes response heads and the chunked coding's framing (RFC 9112 §4, §7.1). The status line is always
/// <c>HTTP/1.1</c>, which RFC 9110 §2.5 says a server sends to HTTP/1.0 clients too.
/// </summary>
/// <remarks>A head is written as: status line, <c>Date</c>, the response's own fields in order, then the framing
/// field (<c>Content-Length</c> or <c>Transfer-Encoding: chunked</c>) and <c>Connection</c>, each of the added
/// ones only when the response does not carry it already; then the empty line. Field names and values were
/// checked when set, so nothing here can split a response.</remarks>
internal static class ResponseWriter
{
    /// <summary>Writes the status line, the header section and the empty line.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="response">The response whose head it is.</param>
    /// <param name="requestVersion">The request's version: an HTTP/1.0 keep-alive needs <c>Connection: keep-alive</c>.</param>
    /// <param name="chunked">Send <c>Transfer-Encoding: chunked</c>; otherwise <c>Content-Length</c> when the response's length is known.</param>
    /// <param name="keepAlive">Whether the connection stays open after this exchange; if not, <c>Connection: close</c>.</param>
    /// <param name="date">The IMF-fixdate bytes of <c>Date</c> (from <see cref="HttpDate.Now"/>).</param>
    /// <exception cref="InvalidOperationException">The response's reason phrase holds a control character.</exception>
    public static void WriteHead(IBufferWriter<byte> output, HttpResponse response, Version requestVersion,
        bool chunked, bool keepAlive, ReadOnlySpan<byte> date)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(requestVersion);
        HttpHeaders headers = response.Headers;
        int status = response.StatusCode;
        string reason = response.ReasonPhrase ?? ReasonPhrases.For(status) ?? "";
        foreach (char c in reason)
        {
            if (!HttpSyntax.IsFieldValueChar(c) || c > 0xFF)
                throw new InvalidOperationException($"The response's reason phrase holds U+{(int)c:X4}: a reason phrase is visible characters, SP and HTAB only (RFC 9112 §4).");
        }

        bool writeDate = !headers.Contains("Date");
        // RFC 9110 §8.6, §6.1: no framing field on a 1xx or 204.
        bool bodiless = status is < 200 or 204;
        bool writeChunked = chunked && !bodiless && !headers.Contains("Transfer-Encoding");
        long? length = !chunked && !bodiless && !headers.Contains("Content-Length") ? response.ContentLength : null;
        string? connection = headers.Contains("Connection") ? null
            : !keepAlive ? "close"
            : requestVersion == HttpVersion.Version10 ? "keep-alive"
            : null;

        int size = "HTTP/1.1 000 \r\n".Length + reason.Length + 2;
        if (writeDate)
            size += "Date: \r\n".Length + date.Length;
        size += SpanWriter.FieldsLength(headers) + SpanWriter.FramingLength(writeChunked, length);
        if (connection is not null)
            size += SpanWriter.FieldLength("Connection", connection);

        var writer = new SpanWriter(output.GetSpan(size));
        writer.Write("HTTP/1.1 "u8);
        writer.WriteDecimal(status);
        writer.Write(" "u8);
        writer.Write(reason);
        writer.Write("\r\n"u8);
        if (writeDate)
        {
            writer.Write("Date: "u8);
            writer.Write(date);
            writer.Write("\r\n"u8);
        }
        writer.WriteFields(headers);
        writer.WriteFraming(writeChunked, length);
        if (connection is not null)
            writer.WriteField("Connection", connection);
        writer.Write("\r\n"u8);
        output.Advance(writer.Written);
    }

    /// <summary>Writes a chunk's size line, <c>{hex}\r\n</c>, before its data.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="length">The chunk's data length, 1 or more (0 is the last chunk: <see cref="WriteLastChunk"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is below 1.</exception>
    public static void WriteChunkHeader(IBufferWriter<byte> output, long length)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Span<byte> span = output.GetSpan(18);
        length.TryFormat(span, out int written, "x", System.Globalization.CultureInfo.InvariantCulture);
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        output.Advance(written);
    }

    /// <summary>Writes the CRLF that ends a chunk's data.</summary>
    /// <param name="output">Where the bytes go.</param>
    public static void WriteChunkTrailer(IBufferWriter<byte> output) => Write(output, "\r\n"u8);

    /// <summary>Writes the last chunk and an empty trailer section: <c>0\r\n\r\n</c>.</summary>
    /// <param name="output">Where the bytes go.</param>
    public static void WriteLastChunk(IBufferWriter<byte> output) => Write(output, "0\r\n\r\n"u8);

    /// <summary>Writes the interim <c>HTTP/1.1 100 Continue</c> response.</summary>
    /// <param name="output">Where the bytes go.</param>
    public static void WriteContinue(IBufferWriter<byte> output) => Write(output, "HTTP/1.1 100 Continue\r\n\r\n"u8);

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(output);
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}

using System.Buffers;

namespace RxNet.Http;

/// <summary>Serializes request heads (RFC 9112 §3): the client's side of <see cref="RequestHeadParser"/>.</summary>
/// <remarks>A head is written as: request line, <c>Host</c> (when given and the request has none), the request's
/// own fields in order, the framing field, the empty line. Methods, targets and fields were checked when the
/// request was made, so nothing here can split a request.</remarks>
internal static class RequestWriter
{
    /// <summary>Writes <c>method SP target SP HTTP/x.y CRLF</c>, the request's fields, the framing field and the empty line.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="request">The request; its method, target and fields were checked when it was made.</param>
    /// <param name="chunked">Add <c>Transfer-Encoding: chunked</c> (unless present); otherwise <c>Content-Length</c>
    /// when the request's <see cref="HttpRequest.ContentLength"/> is set and the field is not present.</param>
    public static void WriteHead(IBufferWriter<byte> output, HttpRequest request, bool chunked)
    {
        ArgumentNullException.ThrowIfNull(request);
        Write(output, request, request.Target, host: null, chunked);
    }

    /// <summary>Writes a client's request head: the request line with <paramref name="target"/>, <c>Host</c>
    /// first, then the request's fields, the framing field and the empty line.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="request">The request; its method and fields were checked when it was made.</param>
    /// <param name="target">The request target as sent: origin-form (<c>/path?query</c>), authority-form
    /// (<c>host:port</c>) for CONNECT, or <c>*</c> for a server-wide OPTIONS; the caller derives it from the
    /// request's absolute URI.</param>
    /// <param name="host">The <c>Host</c> field's value (<c>host[:port]</c>), written first unless the request
    /// has its own Host field.</param>
    /// <param name="chunked">Add <c>Transfer-Encoding: chunked</c> (unless present); otherwise <c>Content-Length</c>
    /// when the request's <see cref="HttpRequest.ContentLength"/> is set and the field is not present.</param>
    public static void WriteHead(IBufferWriter<byte> output, HttpRequest request, string target, string host, bool chunked)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(host);
        Write(output, request, target, request.Headers.Contains("Host") ? null : host, chunked);
    }

    private static void Write(IBufferWriter<byte> output, HttpRequest request, string target, string? host, bool chunked)
    {
        ArgumentNullException.ThrowIfNull(output);
        HttpHeaders headers = request.Headers;
        bool writeChunked = chunked && !headers.Contains("Transfer-Encoding");
        long? length = !chunked && !headers.Contains("Content-Length") ? request.ContentLength : null;

        int size = request.Method.Length + target.Length + " HTTP/1.1\r\n".Length + 1 + 2;
        if (host is not null)
            size += SpanWriter.FieldLength("Host", host);
        size += SpanWriter.FieldsLength(headers) + SpanWriter.FramingLength(writeChunked, length);

        var writer = new SpanWriter(output.GetSpan(size));
        writer.Write(request.Method);
        writer.Write(" "u8);
        writer.Write(target);
        writer.Write(request.Version.Minor == 0 ? " HTTP/1.0\r\n"u8 : " HTTP/1.1\r\n"u8);
        if (host is not null)
            writer.WriteField("Host", host);
        writer.WriteFields(headers);
        writer.WriteFraming(writeChunked, length);
        writer.Write("\r\n"u8);
        output.Advance(writer.Written);
    }
}

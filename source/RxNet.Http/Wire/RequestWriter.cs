using System.Buffers;

namespace RxNet.Http;

/// <summary>Serializes request heads (RFC 9112 §3): the client's side of <see cref="RequestHeadParser"/>.</summary>
internal static class RequestWriter
{
    /// <summary>Writes <c>method SP target SP HTTP/x.y CRLF</c>, the request's fields, the framing field and the empty line.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="request">The request; its method, target and fields were checked when it was made.</param>
    /// <param name="chunked">Add <c>Transfer-Encoding: chunked</c> (unless present); otherwise <c>Content-Length</c>
    /// when the request's <see cref="HttpRequest.ContentLength"/> is set and the field is not present.</param>
    public static void WriteHead(IBufferWriter<byte> output, HttpRequest request, bool chunked)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(request);
        HttpHeaders headers = request.Headers;
        bool writeChunked = chunked && !headers.Contains("Transfer-Encoding");
        long? length = !chunked && !headers.Contains("Content-Length") ? request.ContentLength : null;

        int size = request.Method.Length + request.Target.Length + " HTTP/1.1\r\n".Length + 1 + 2;
        size += SpanWriter.FieldsLength(headers) + SpanWriter.FramingLength(writeChunked, length);

        var writer = new SpanWriter(output.GetSpan(size));
        writer.Write(request.Method);
        writer.Write(" "u8);
        writer.Write(request.Target);
        writer.Write(request.Version.Minor == 0 ? " HTTP/1.0\r\n"u8 : " HTTP/1.1\r\n"u8);
        writer.WriteFields(headers);
        writer.WriteFraming(writeChunked, length);
        writer.Write("\r\n"u8);
        output.Advance(writer.Written);
    }
}

using System.IO.Compression;

namespace RxNet.Http.Server.Compression;

/// <summary>
/// Response compression (gzip, br) with <c>System.IO.Compression</c>: when the handler allows it and the client asks,
/// the body is compressed as it streams, never buffered whole.
/// </summary>
/// <remarks>
/// <para><b>When.</b> A response is compressed only if all hold: <see cref="HttpResponse.AllowCompression"/> (off by
/// default: compressing secrets beside attacker-chosen text leaks them, BREACH); it has a <see cref="HttpResponse.Body"/>
/// and its <see cref="HttpResponse.ContentLength"/> is not 0; its status has a body (not 1xx, 204, 304) and is not a
/// 206, nor has it a <c>Content-Range</c> (a range is of the unencoded representation); it has no
/// <c>Content-Encoding</c> yet; the request is not HEAD; and <see cref="AcceptEncoding.Choose"/> picks a coding.</para>
/// <para><b>What changes.</b> A response that qualifies except for the request's <c>Accept-Encoding</c> gets
/// <c>Vary: Accept-Encoding</c> (a cache must know the answer depends on it) and nothing else. A compressed one also
/// gets <c>Content-Encoding</c>, loses its <see cref="HttpResponse.ContentLength"/> (the length is known only at the
/// end, so the server sends it chunked), and a strong <c>ETag</c> becomes weak (the bytes differ from the unencoded
/// ones, RFC 9110 §8.8.3). The handler's response is never changed: a changed one is a copy, so a handler may answer
/// every request with the same response object.</para>
/// <para><b>Levels.</b> <see cref="CompressionLevel.Fastest"/> for both (Brotli quality 1, zlib level 1): a server
/// compresses on the request's critical path, once per response, and the fastest level already takes most of the
/// gain on text; the slower levels cost several times the CPU for a few percent. Brotli is preferred at equal
/// weight: at these levels it is as fast as gzip and smaller.</para>
/// <para><b>Back-pressure.</b> A body that can pause (<see cref="IPausableObservable{T}"/>) stays one
/// (<see cref="PausableCompressedBody"/>): pausing the compressed body pauses the handler's producer. Any other body
/// stays a plain observable (<see cref="CompressedBody"/>).</para>
/// </remarks>
internal static class ResponseCompression
{
    /// <summary>An empty gzip member (RFC 1952): header, an empty final fixed-Huffman block, CRC-32 and size of zero.</summary>
    private static ReadOnlySpan<byte> EmptyGzip => [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0x04, 0xff, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>The response to send for <paramref name="request"/>: <paramref name="response"/> itself when compression
    /// does not apply, or a copy with a compressed body (or with only <c>Vary</c> added; see the remarks of
    /// <see cref="ResponseCompression"/>).</summary>
    /// <param name="request">The request, for its method and <c>Accept-Encoding</c>.</param>
    /// <param name="response">The handler's response; never changed.</param>
    /// <returns>The response to write.</returns>
    public static HttpResponse Apply(HttpRequest request, HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        if (!Qualifies(request, response))
            return response;
        var coding = AcceptEncoding.Choose(request.Headers);
        var result = Copy(response);
        AddVary(result.Headers);
        if (coding == ContentCoding.Identity)
            return result;
        result.Headers.Set("Content-Encoding", coding == ContentCoding.Brotli ? "br" : "gzip");
        result.ContentLength = null;
        result.Body = Compress(response.Body!, coding);
        if (result.Headers["ETag"] is { } etag && !etag.StartsWith("W/", StringComparison.Ordinal))
            result.Headers.Set("ETag", "W/" + etag);
        return result;
    }

    /// <summary>A body compressed as it streams: pausable when <paramref name="body"/> is.</summary>
    /// <param name="body">The body.</param>
    /// <param name="coding"><see cref="ContentCoding.Gzip"/> or <see cref="ContentCoding.Brotli"/>.</param>
    /// <returns>The compressed body.</returns>
    public static IObservable<ReadOnlyMemory<byte>> Compress(IObservable<ReadOnlyMemory<byte>> body, ContentCoding coding) =>
        body is IPausableObservable<ReadOnlyMemory<byte>> pausable
            ? new PausableCompressedBody(pausable, coding)
            : new CompressedBody(body, coding);

    /// <summary>A compressor writing into <paramref name="output"/> (left open), at the level the remarks name.</summary>
    internal static Stream CreateCompressor(Stream output, ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
        ContentCoding.Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(coding), coding, "Only gzip and br compress."),
    };

    /// <summary>A whole, valid compressed stream of no bytes, for a body that ends without any (the compressors write
    /// nothing at all then, which a client would reject as a truncated stream).</summary>
    internal static byte[] EmptyStream(ContentCoding coding)
    {
        if (coding == ContentCoding.Gzip)
            return [.. EmptyGzip];
        byte[] output = new byte[16];
        return BrotliEncoder.TryCompress([], output, out int written) ? output[..written] : throw new InvalidOperationException("Brotli could not encode an empty stream.");
    }

    private static bool Qualifies(HttpRequest request, HttpResponse response) =>
        response.AllowCompression
        && response.HasBody
        && response.ContentLength != 0
        && response.StatusCode is >= 200 and not 204 and not 206 and not 304
        && request.Method != "HEAD"
        && !response.Headers.Contains("Content-Encoding")
        && !response.Headers.Contains("Content-Range");

    private static HttpResponse Copy(HttpResponse response)
    {
        var copy = new HttpResponse(response.StatusCode)
        {
            ReasonPhrase = response.ReasonPhrase,
            Body = response.Body,
            ContentLength = response.ContentLength,
            AllowCompression = response.AllowCompression,
        };
        foreach (var (name, value) in response.Headers)
            copy.Headers.AddChecked(name, value);
        return copy;
    }

    /// <summary>Adds <c>Accept-Encoding</c> to <c>Vary</c> unless it is there or <c>Vary</c> is <c>*</c>.</summary>
    private static void AddVary(HttpHeaders headers)
    {
        foreach (string value in headers.GetValues("Vary"))
        {
            foreach (var range in value.AsSpan().Split(','))
            {
                var member = value.AsSpan()[range].Trim(" \t");
                if (member is "*" || member.Equals("Accept-Encoding", StringComparison.OrdinalIgnoreCase))
                    return;
            }
        }
        headers.Add("Vary", "Accept-Encoding");
    }
}

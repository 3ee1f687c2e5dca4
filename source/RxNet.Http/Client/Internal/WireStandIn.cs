// TEMPORARY: stand-ins for the wire layer's client contract (ResponseHead, HttpMessageLimits, ResponseHeadParser,
// RequestWriter's client overload) until the wire branch lands; deleted when it is merged.
#pragma warning disable SA1402, SA1649, CA1812, MA0048
using System.Buffers;
using System.Net;
using System.Text;

namespace RxNet.Http;

internal readonly record struct ResponseHead(
    Version Version, int StatusCode, string ReasonPhrase, HttpHeaders Headers,
    BodyFraming Framing, long ContentLength, bool KeepAlive, string? Upgrade);

internal readonly record struct HttpMessageLimits(int MaxStartLineSize, int MaxHeadersTotalSize, int MaxHeaderCount)
{
    public static HttpMessageLimits Of(HttpServerOptions options) =>
        new(options.MaxRequestLineSize, options.MaxRequestHeadersTotalSize, options.MaxRequestHeaderCount);
}

internal sealed class ResponseHeadParser(HttpMessageLimits limits)
{
    public bool TryParse(in ReadOnlySequence<byte> buffer, string requestMethod, out ResponseHead head, out SequencePosition consumed)
    {
        head = default;
        consumed = buffer.Start;
        byte[] bytes = buffer.Slice(0, Math.Min(buffer.Length, limits.MaxStartLineSize + limits.MaxHeadersTotalSize + 4)).ToArray();
        int end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            if (bytes.Length >= limits.MaxStartLineSize + limits.MaxHeadersTotalSize)
                throw new HttpProtocolException(HttpProtocolError.HeadersTooLarge, 502, "The response head is too large.");
            return false;
        }
        string text = Encoding.Latin1.GetString(bytes, 0, end);
        string[] lines = text.Split("\r\n");
        string status = lines[0];
        if (status.Length < 12 || !status.StartsWith("HTTP/1.", StringComparison.Ordinal) || status[8] != ' ')
            throw new HttpProtocolException(HttpProtocolError.InvalidHeader, 502, $"Bad status line '{status}'.");
        var version = status[7] == '0' ? HttpVersion.Version10 : HttpVersion.Version11;
        int code = int.Parse(status.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        string reason = status.Length > 13 ? status[13..] : "";
        var headers = new HttpHeaders();
        for (int i = 1; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                throw new HttpProtocolException(HttpProtocolError.InvalidHeader, 502, $"Bad field line '{lines[i]}'.");
            headers.Add(lines[i][..colon], lines[i][(colon + 1)..].Trim());
        }
        string? connection = headers["Connection"];
        bool keepAlive = version == HttpVersion.Version11
            ? connection is null || !connection.Contains("close", StringComparison.OrdinalIgnoreCase)
            : connection is not null && connection.Contains("keep-alive", StringComparison.OrdinalIgnoreCase);
        BodyFraming framing;
        long length = 0;
        if (requestMethod == "HEAD" || code < 200 || code is 204 or 304 || (requestMethod == "CONNECT" && code < 300))
            framing = BodyFraming.None;
        else if (headers["Transfer-Encoding"] is { } te && te.EndsWith("chunked", StringComparison.OrdinalIgnoreCase))
            framing = BodyFraming.Chunked;
        else if (headers["Content-Length"] is { } cl)
        {
            framing = BodyFraming.ContentLength;
            length = long.Parse(cl, System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            framing = BodyFraming.UntilClose;
            keepAlive = false;
        }
        head = new ResponseHead(version, code, reason, headers, framing, length, keepAlive, code == 101 ? headers["Upgrade"] : null);
        consumed = buffer.GetPosition(end + 4);
        return true;
    }
}

internal static class ClientRequestWriterStandIn
{
    public static void WriteHead(IBufferWriter<byte> output, HttpRequest request, string target, string host, bool chunked)
    {
        var text = new StringBuilder();
        text.Append(request.Method).Append(' ').Append(target).Append(request.Version.Minor == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
        if (!request.Headers.Contains("Host"))
            text.Append("Host: ").Append(host).Append("\r\n");
        foreach (var field in request.Headers)
            text.Append(field.Key).Append(": ").Append(field.Value).Append("\r\n");
        if (chunked && !request.Headers.Contains("Transfer-Encoding"))
            text.Append("Transfer-Encoding: chunked\r\n");
        else if (!chunked && request.ContentLength is long length && !request.Headers.Contains("Content-Length"))
            text.Append("Content-Length: ").Append(length).Append("\r\n");
        text.Append("\r\n");
        output.Write(Encoding.Latin1.GetBytes(text.ToString()));
    }
}

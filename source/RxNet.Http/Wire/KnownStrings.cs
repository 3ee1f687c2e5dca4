using System.Text;

namespace RxNet.Http;

/// <summary>
/// The methods and field names most requests use, as shared string instances: the parser hands these out
/// instead of allocating a new string per request (a name is matched by its exact bytes, in its usual case
/// and in lower case, as HTTP/2-minded clients send it).
/// </summary>
internal static class KnownStrings
{
    private static readonly string[] s_methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];

    private static readonly string[] s_fieldNames =
    [
        "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Accept-Ranges", "Authorization",
        "Cache-Control", "Connection", "Content-Encoding", "Content-Language", "Content-Length", "Content-Location",
        "Content-MD5", "Content-Range", "Content-Type", "Cookie", "Date", "DNT", "Expect", "Forwarded", "From", "Host",
        "If-Match", "If-Modified-Since", "If-None-Match", "If-Range", "If-Unmodified-Since", "Keep-Alive",
        "Max-Forwards", "Origin", "Pragma", "Priority", "Proxy-Authorization", "Range", "Referer",
        "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User", "Sec-WebSocket-Extensions",
        "Sec-WebSocket-Key", "Sec-WebSocket-Protocol", "Sec-WebSocket-Version", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Upgrade-Insecure-Requests", "User-Agent", "Via", "Warning",
        "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Request-ID", "X-Requested-With",
    ];

    /// <summary>Values so common that a browser, curl or a load generator sends them on almost every request.</summary>
    private static readonly string[] s_values =
    [
        "*/*", "0", "100-continue", "Keep-Alive", "Upgrade", "application/json", "application/x-www-form-urlencoded",
        "br", "chunked", "close", "deflate", "gzip", "gzip, deflate", "gzip, deflate, br", "gzip, deflate, br, zstd",
        "identity", "keep-alive", "localhost", "max-age=0", "no-cache", "text/plain", "upgrade", "websocket",
    ];

    private static readonly Entry[][] s_methodsByLength = Index(s_methods);
    private static readonly Entry[][] s_valuesByLength = Index(s_values);
    private static readonly Entry[][] s_namesByLength = Index([.. s_fieldNames, .. s_fieldNames.Select(n => n.ToLowerInvariant())]);

    /// <summary>How many ids <see cref="FieldName"/> hands out (for a cache indexed by them).</summary>
    public static int FieldNameCount { get; } = s_fieldNames.Length * 2;

    /// <summary>The method's string: a shared instance for a standard method, a new string otherwise.</summary>
    public static string Method(ReadOnlySpan<byte> bytes) =>
        Find(s_methodsByLength, bytes) is { } entry ? entry.Text : Encoding.ASCII.GetString(bytes);

    /// <summary>A shared instance for a very common value, or <see langword="null"/>.</summary>
    public static string? CommonValue(ReadOnlySpan<byte> bytes) => Find(s_valuesByLength, bytes)?.Text;

    /// <summary>The field name's string and its id (-1 for a name not in the table, returned as a new string).</summary>
    public static string FieldName(ReadOnlySpan<byte> bytes, out int id)
    {
        if (Find(s_namesByLength, bytes) is { } entry)
        {
            id = entry.Id;
            return entry.Text;
        }
        id = -1;
        return Encoding.ASCII.GetString(bytes);
    }

    private static Entry? Find(Entry[][] byLength, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= byLength.Length)
            return null;
        foreach (var entry in byLength[bytes.Length])
        {
            if (bytes.SequenceEqual(entry.Bytes))
                return entry;
        }
        return null;
    }

    private static Entry[][] Index(string[] texts)
    {
        int longest = texts.Max(t => t.Length);
        var byLength = new Entry[longest + 1][];
        for (int length = 0; length <= longest; length++)
        {
            byLength[length] = [.. texts.Select((t, i) => new Entry(t, Encoding.ASCII.GetBytes(t), i)).Where(e => e.Text.Length == length)];
        }
        return byLength;
    }

    private sealed record Entry(string Text, byte[] Bytes, int Id);
}

using System.Text;

namespace RxNet.Http.Specs.Client.Interop;

/// <summary>The routes every interop server answers, and the body they carry.</summary>
internal static class InteropRoutes
{
    /// <summary>200, <see cref="Body"/> with Content-Length.</summary>
    public const string Length = "/length";

    /// <summary>200, <see cref="Body"/> chunked.</summary>
    public const string Chunked = "/chunked";

    /// <summary>204 No Content.</summary>
    public const string Empty = "/empty";

    /// <summary>200 with an ETag and <see cref="Body"/>; 304 to a request whose If-None-Match names that tag.</summary>
    public const string ETag = "/etag";

    /// <summary>A redirect (301 or 302) to <see cref="Length"/>.</summary>
    public const string Redirect = "/redirect";

    /// <summary>200, <see cref="Body"/> with Content-Encoding gzip (nginx only when the request accepts gzip).</summary>
    public const string Gzip = "/gzip";

    /// <summary>As <see cref="Length"/>, then the server closes the connection without having said so in the head.</summary>
    public const string Close = "/close";

    /// <summary>A head for 100000 bytes and 1000 of them, then a TCP reset.</summary>
    public const string Reset = "/reset";

    /// <summary>The body of <see cref="Length"/>, <see cref="Chunked"/>, <see cref="ETag"/>, <see cref="Gzip"/> (decoded)
    /// and <see cref="Close"/>: 200 numbered lines, 6000 bytes.</summary>
    public static readonly byte[] Body = Encoding.ASCII.GetBytes(string.Concat(
        Enumerable.Range(0, 200).Select(i => $"line {i:D4} of the interop body\n")));

    /// <summary>The URL of <paramref name="path"/> on <paramref name="server"/>.</summary>
    public static Uri Url(this IInteropServer server, string path) => new($"http://127.0.0.1:{server.Port}{path}");
}

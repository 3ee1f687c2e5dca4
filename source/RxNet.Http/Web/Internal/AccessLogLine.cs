using System.Globalization;
using System.Net;

namespace RxNet.Http.Web.Internal;

/// <summary>One line of the Combined Log Format: <c>host - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 2326
/// "referer" "agent"</c>, with <c>-</c> for what is missing (and for a zero byte count, as Apache's <c>%b</c>).</summary>
internal static class AccessLogLine
{
    public static string Format(HttpRequest request, int status, long bytes, DateTimeOffset time)
    {
        string host = request.RemoteEndPoint switch
        {
            IPEndPoint ip => ip.Address.ToString(),
            DnsEndPoint dns => dns.Host,
            { } other => other.ToString() ?? "-",
            null => "-",
        };
        var utc = time.ToUniversalTime();
        return string.Create(CultureInfo.InvariantCulture,
            $"{host} - - [{utc:dd/MMM/yyyy:HH:mm:ss} +0000] \"{Quote(request.Method)} {Quote(request.Target)} HTTP/{request.Version.Major}.{request.Version.Minor}\" {status} {(bytes == 0 ? "-" : bytes)} \"{Quote(request.Headers["Referer"] ?? "-")}\" \"{Quote(request.Headers["User-Agent"] ?? "-")}\"");
    }

    // Quotes and backslashes escaped as Apache does, so a field cannot forge the next one.
    private static string Quote(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}

using System.Net;

namespace RxNet.Http.Client.Handler.Internal;

/// <summary>Turns an <see cref="HttpRequestMessage"/> into the <see cref="HttpRequest"/> an agent sends.</summary>
internal static class RequestMapping
{
    public static HttpRequest ToRxNet(HttpRequestMessage message)
    {
        Uri uri = message.RequestUri ?? throw new InvalidOperationException("The request has no URI: set HttpRequestMessage.RequestUri, or HttpClient.BaseAddress.");
        if (!uri.IsAbsoluteUri)
            throw new InvalidOperationException($"The request URI '{uri}' is relative: an RxNet agent needs an absolute URI (or HttpClient.BaseAddress).");
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw new NotSupportedException($"The '{uri.Scheme}' scheme is not supported: RxNetHttpHandler sends http and https.");

        var headers = new HttpHeaders();
        try
        {
            Copy(message.Headers.NonValidated, headers);
            if (message.Content is not null)
                Copy(message.Content.Headers.NonValidated, headers);
        }
        catch (ArgumentException e)
        {
            throw new HttpRequestException(HttpRequestError.Unknown, $"A field of the request to {uri} cannot be sent: {e.Message}", e);
        }

        string target = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped);
        HttpContent? content = message.Content;
        return new HttpRequest(message.Method.Method, target, headers, content is null ? null : new ContentBody(content))
        {
            Version = VersionOf(message, uri),
            // HttpContent computes the length when it can (bytes, strings, seekable streams); null sends chunked.
            // A POST, PUT or PATCH without content says Content-Length: 0, as SocketsHttpHandler does.
            ContentLength = content is null ? (RequiresLength(message.Method) ? 0 : null) : content.Headers.ContentLength,
        };
    }

    private static void Copy(System.Net.Http.Headers.HttpHeadersNonValidated source, HttpHeaders target)
    {
        foreach (var (name, values) in source)
        {
            // Framing is the agent's: it writes Content-Length from HttpRequest.ContentLength, or chunked.
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                continue;
            target.Add(name, values.Count == 1 ? values.ToString() : string.Join(Separator(name), values));
        }
    }

    // The separators HttpClient joins a field's values with: products and comments by spaces, cookies by "; ".
    private static string Separator(string name) =>
        name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase) ? " "
        : name.Equals("Cookie", StringComparison.OrdinalIgnoreCase) ? "; "
        : ", ";

    private static bool RequiresLength(HttpMethod method) =>
        method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch;

    private static Version VersionOf(HttpRequestMessage message, Uri uri)
    {
        Version asked = message.Version;
        if (asked.Major == 1 && asked.Minor == 0)
            return HttpVersion.Version10;
        if (asked.Major == 1 && asked.Minor == 1)
            return HttpVersion.Version11;
        if (asked < HttpVersion.Version11 || message.VersionPolicy != HttpVersionPolicy.RequestVersionOrLower)
            throw new HttpRequestException(HttpRequestError.VersionNegotiationError,
                $"The request to {uri} asks for HTTP/{asked} with {message.VersionPolicy}: RxNet's client speaks HTTP/1.0 and 1.1 (use HttpVersionPolicy.RequestVersionOrLower to fall back to 1.1).");
        return HttpVersion.Version11;
    }
}

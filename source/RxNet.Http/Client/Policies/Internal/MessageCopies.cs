namespace RxNet.Http.Client.Policies.Internal;

/// <summary>
/// Copies of requests and responses that a policy changes: the caller's objects are never modified, since a request
/// may be sent again (a retry, a second subscription) and a response may be shared.
/// </summary>
internal static class MessageCopies
{
    /// <summary>A copy of <paramref name="headers"/>, in order.</summary>
    public static HttpHeaders Copy(HttpHeaders headers)
    {
        var copy = new HttpHeaders(headers.Count);
        foreach (var (name, value) in headers)
            copy.AddChecked(name, value);
        return copy;
    }

    /// <summary>A request like <paramref name="request"/> (version kept), with these headers, body (none when
    /// <see langword="null"/>: an agent then sends no framing field), length, and optionally another target and method.</summary>
    public static HttpRequest Request(
        HttpRequest request, HttpHeaders headers, IObservable<ReadOnlyMemory<byte>>? body, long? contentLength,
        string? target = null, string? method = null) =>
        new(method ?? request.Method, target ?? request.Target, headers, body)
        {
            Version = request.Version,
            ContentLength = contentLength,
        };

    /// <summary>A request like <paramref name="request"/>, body included, with other headers.</summary>
    public static HttpRequest WithHeaders(HttpRequest request, HttpHeaders headers) =>
        Request(request, headers, request.HasBody ? request.Body : null, request.ContentLength);

    /// <summary>A response like <paramref name="response"/>, with these headers, body and length.</summary>
    public static HttpResponse Response(HttpResponse response, HttpHeaders headers, IObservable<ReadOnlyMemory<byte>>? body, long? contentLength)
    {
        var copy = new HttpResponse(response.StatusCode)
        {
            ReasonPhrase = response.ReasonPhrase,
            Body = body,
            ContentLength = contentLength,
            Version = response.Version,
            Request = response.Request,
            UpgradedConnection = response.UpgradedConnection,
        };
        foreach (var (name, value) in headers)
            copy.Headers.AddChecked(name, value);
        return copy;
    }

    /// <summary>Copies the trailer fields a body's end brought from one response to its copy.</summary>
    public static void CopyTrailers(HttpResponse from, HttpResponse to)
    {
        if (from.Trailers.Count == 0)
            return;
        foreach (var (name, value) in from.Trailers)
            to.Trailers.AddChecked(name, value);
    }
}

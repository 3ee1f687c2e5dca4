namespace RxNet.Http;

/// <summary>One parsed response head: the status line, the header fields and what they say about framing and the connection.</summary>
/// <param name="Version"><see cref="System.Net.HttpVersion.Version11"/> (also for a later HTTP/1.x) or <see cref="System.Net.HttpVersion.Version10"/>.</param>
/// <param name="StatusCode">The status code, 100 to 599.</param>
/// <param name="ReasonPhrase">The reason phrase as sent (maybe empty); a shared string when it is the registered one.</param>
/// <param name="Headers">The header fields, in order.</param>
/// <param name="Framing">How the body is delimited: <see cref="BodyFraming.None"/> for a response to HEAD, a 1xx,
/// 204 or 304, or a 2xx to CONNECT, whatever its fields say.</param>
/// <param name="ContentLength">The body's length when <paramref name="Framing"/> is <see cref="BodyFraming.ContentLength"/>; 0 otherwise.</param>
/// <param name="KeepAlive">HTTP/1.1 unless <c>Connection: close</c>; HTTP/1.0 only with <c>Connection: keep-alive</c>;
/// <see langword="false"/> when the body runs until the close.</param>
/// <param name="Upgrade">The Upgrade field's value on a 101; else <see langword="null"/>.</param>
internal readonly record struct ResponseHead(
    Version Version, int StatusCode, string ReasonPhrase, HttpHeaders Headers,
    BodyFraming Framing, long ContentLength,
    bool KeepAlive,
    string? Upgrade);

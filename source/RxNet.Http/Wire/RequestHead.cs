namespace RxNet.Http;

/// <summary>One parsed request head: the request line, the header fields and what they say about framing and the connection.</summary>
/// <param name="Method">The method (a shared string for the standard ones).</param>
/// <param name="Target">The request target as sent.</param>
/// <param name="Version"><see cref="System.Net.HttpVersion.Version11"/> or <see cref="System.Net.HttpVersion.Version10"/>.</param>
/// <param name="Headers">The header fields, in order.</param>
/// <param name="Framing">How the body is delimited.</param>
/// <param name="ContentLength">The body's length when <paramref name="Framing"/> is <see cref="BodyFraming.ContentLength"/>; 0 otherwise.</param>
/// <param name="KeepAlive">HTTP/1.1 unless <c>Connection: close</c>; HTTP/1.0 only with <c>Connection: keep-alive</c>.</param>
/// <param name="ExpectContinue"><c>Expect: 100-continue</c> on an HTTP/1.1 request.</param>
/// <param name="CloseAfter">The framing forces a close after this exchange. The parser rejects every ambiguous
/// framing instead (a 400), so it is <see langword="false"/> for every head it returns today.</param>
/// <param name="Upgrade">The Upgrade field's value when Connection lists <c>upgrade</c> (HTTP/1.1 only); else <see langword="null"/>.</param>
internal readonly record struct RequestHead(
    string Method, string Target, Version Version, HttpHeaders Headers,
    BodyFraming Framing, long ContentLength,
    bool KeepAlive,
    bool ExpectContinue,
    bool CloseAfter,
    string? Upgrade);

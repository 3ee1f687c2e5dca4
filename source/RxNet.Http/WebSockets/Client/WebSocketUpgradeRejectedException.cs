namespace RxNet.Http;

/// <summary>
/// A server answered a WebSocket client's opening handshake with something other than <c>101 Switching
/// Protocols</c> (Twisted's <c>ConnectionRejected</c>): <see cref="Response"/> says what, with the start of its body.
/// </summary>
/// <remarks>
/// The usual answers: <c>400</c> (a handshake the server does not accept), <c>401</c>/<c>403</c> (credentials or
/// <c>Origin</c> refused), <c>404</c> (no WebSocket there), <c>426</c> (another version, named in
/// <c>Sec-WebSocket-Version</c>), a redirect (not followed: a redirected handshake would be sent to a server the
/// caller did not name). A <c>101</c> that breaks the handshake's rules is an <see cref="HttpProtocolException"/>
/// instead (<see cref="HttpProtocolError.WebSocketHandshakeInvalid"/>, <see cref="HttpProtocolError.WebSocketNegotiationInvalid"/>).
/// </remarks>
public sealed class WebSocketUpgradeRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="response">The server's answer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    public WebSocketUpgradeRejectedException(HttpResponse response)
        : base($"The server refused the WebSocket upgrade: {response?.ToString() ?? throw new ArgumentNullException(nameof(response))}.") =>
        Response = response;

    /// <summary>The server's answer: status, reason and fields as received; its <see cref="HttpResponse.Body"/> is the
    /// body already read, at most <see cref="WebSocketClientOptions.MaxRejectionBodySize"/> bytes (its
    /// <see cref="HttpResponse.ContentLength"/> says how many), replayed to every subscriber.</summary>
    public HttpResponse Response { get; }
}

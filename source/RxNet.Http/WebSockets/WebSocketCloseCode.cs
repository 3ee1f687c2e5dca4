namespace RxNet.Http;

/// <summary>The status code of a WebSocket close (RFC 6455 §7.4 and the IANA registry).</summary>
/// <remarks>
/// <para>Any value from 3000 to 4999 is valid too (3000-3999 registered by libraries and frameworks, 4000-4999
/// private to an application): cast it, <c>(WebSocketCloseCode)4000</c>.</para>
/// <para><see cref="NoStatusReceived"/>, <see cref="AbnormalClosure"/> and <see cref="TlsHandshake"/> are never sent:
/// they only report what happened (no code in the peer's close frame, no close frame at all, a failed TLS handshake).
/// A close frame carrying one of them, or an unassigned code, fails the connection with <see cref="ProtocolError"/>.</para>
/// </remarks>
public enum WebSocketCloseCode
{
    /// <summary>1000: the purpose of the connection is fulfilled.</summary>
    NormalClosure = 1000,

    /// <summary>1001: the endpoint is going away (a server shutting down, a browser leaving the page).</summary>
    GoingAway = 1001,

    /// <summary>1002: the peer broke the protocol.</summary>
    ProtocolError = 1002,

    /// <summary>1003: a message of a type the endpoint cannot accept (binary to a text-only endpoint).</summary>
    UnsupportedData = 1003,

    /// <summary>1005: the peer's close frame had no status code. Reported, never sent.</summary>
    NoStatusReceived = 1005,

    /// <summary>1006: the connection ended without a close frame. Reported, never sent.</summary>
    AbnormalClosure = 1006,

    /// <summary>1007: a text message (or a close reason) was not valid UTF-8.</summary>
    InvalidPayloadData = 1007,

    /// <summary>1008: a message broke the endpoint's policy.</summary>
    PolicyViolation = 1008,

    /// <summary>1009: a message is larger than the endpoint accepts.</summary>
    MessageTooBig = 1009,

    /// <summary>1010: the client needed an extension the server did not negotiate.</summary>
    MandatoryExtension = 1010,

    /// <summary>1011: the server met an unexpected condition.</summary>
    InternalError = 1011,

    /// <summary>1012: the service is restarting.</summary>
    ServiceRestart = 1012,

    /// <summary>1013: try again later (the server is overloaded).</summary>
    TryAgainLater = 1013,

    /// <summary>1014: a gateway or proxy got an invalid answer upstream.</summary>
    BadGateway = 1014,

    /// <summary>1015: the TLS handshake failed. Reported, never sent.</summary>
    TlsHandshake = 1015,
}

namespace RxNet.Sockets.Tls;

/// <summary>What made a TLS handshake fail: the part of <see cref="TlsAuthenticationException"/> code can act on.</summary>
public enum TlsFailure
{
    /// <summary>The handshake itself failed: no protocol or cipher in common, a malformed message, an alert from the peer, or the peer left.</summary>
    Handshake,

    /// <summary>The peer's certificate does not name the host that was asked for.</summary>
    NameMismatch,

    /// <summary>The peer's certificate chain does not end at a trusted root.</summary>
    UntrustedRoot,

    /// <summary>A certificate of the peer's chain is expired or not yet valid.</summary>
    Expired,

    /// <summary>The peer sent no certificate where one was required.</summary>
    NoCertificate,

    /// <summary>The peer's certificate chain is invalid for another reason (revoked, wrong usage, bad signature...); the message lists the statuses.</summary>
    InvalidChain,

    /// <summary>The handshake did not finish within the options' <c>HandshakeTimeout</c>.</summary>
    Timeout,
}

namespace RxNet.Sockets.Tls;

/// <summary>Whether a TLS server asks its clients for a certificate (mutual TLS).</summary>
public enum ClientCertificateMode
{
    /// <summary>No client certificate is asked for (the default).</summary>
    None,

    /// <summary>A certificate is asked for; a client without one is accepted, a client whose certificate fails validation is refused.</summary>
    Optional,

    /// <summary>A valid client certificate is required: a client without one, or with one that fails validation, is refused.</summary>
    Required,
}

namespace RxNet.Sockets.Tls;

/// <summary>
/// A TLS handshake failed: the peer's certificate was refused (<see cref="Failure"/> says why: a name
/// mismatch, an untrusted root, an expired certificate, no certificate) or the handshake itself failed.
/// </summary>
/// <remarks>It is an <see cref="IOException"/>, as every connection fault in RxNet is; the message names
/// the peer's certificate and what was expected.</remarks>
public sealed class TlsAuthenticationException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public TlsAuthenticationException()
        : base("The TLS handshake failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public TlsAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the platform's own error.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The platform's error (an <see cref="System.Security.Authentication.AuthenticationException"/>, say).</param>
    public TlsAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a known failure.</summary>
    /// <param name="failure">What failed.</param>
    /// <param name="message">What happened, naming the certificate and what was expected.</param>
    /// <param name="innerException">The platform's error, if any.</param>
    public TlsAuthenticationException(TlsFailure failure, string message, Exception? innerException = null)
        : base(message, innerException) => Failure = failure;

    /// <summary>What failed.</summary>
    public TlsFailure Failure { get; } = TlsFailure.Handshake;
}

using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using RxNet.Sockets.Tls.Internal;

namespace RxNet.Sockets.Tls;

/// <summary>How a TLS client checks the server and, for mutual TLS, authenticates itself.</summary>
/// <remarks>
/// <para>By default the server's chain must end at a root the system trusts and its certificate must name
/// <see cref="ServerName"/>; a failure is a <see cref="TlsAuthenticationException"/> whose
/// <see cref="TlsAuthenticationException.Failure"/> says what failed. <see cref="TrustRoots"/> replaces the
/// system's roots (a private CA). <see cref="ValidateServerCertificate"/> = <see langword="false"/>
/// accepts any certificate: for tests only.</para>
/// <para>TLS 1.2 and 1.3 only; older versions are refused by <see cref="Validate"/>.</para>
/// </remarks>
public sealed record TlsClientOptions
{
    /// <summary>The host name sent as SNI and checked against the server's certificate; by default the host the
    /// client endpoint connects to (an IP address is checked against the certificate's IP addresses).</summary>
    public string? ServerName { get; init; }

    /// <summary>Whether the server's certificate is checked (chain and name): on by default. Turn it off in tests only.</summary>
    public bool ValidateServerCertificate { get; init; } = true;

    /// <summary>The roots the server's chain must end at, instead of the system's, or <see langword="null"/> for the system's.</summary>
    public X509Certificate2Collection? TrustRoots { get; init; }

    /// <summary>The client's own certificate (with its private key) for servers that ask for one, or <see langword="null"/>.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>ALPN protocols offered, most preferred first; empty for none.</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = [];

    /// <summary>The TLS versions allowed: 1.2 and 1.3 by default. Nothing older is accepted.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Flow-control limits of the TLS connection's plain-text side (water marks of its output); the defaults of <see cref="ConnectionOptions"/>.</summary>
    public ConnectionOptions Connection { get; init; } = ConnectionOptions.Default;

    /// <summary>Where the TLS layer runs its own work and its handshake timeout, or <see langword="null"/> for the
    /// thread pool and a timer. Give the simulated network's <c>TestScheduler</c> to run TLS in virtual time.</summary>
    public System.Reactive.Concurrency.IScheduler? Scheduler { get; init; }

    /// <summary>How long a handshake may take before the connection is dropped: 10 s by default.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where the TLS connection logs (writes after its output finished, say); nowhere by default.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory LoggerFactory { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    /// <summary>Checks the options: TLS 1.2 or newer only, a positive timeout, a client certificate with its key.</summary>
    /// <exception cref="ArgumentException">They are not usable, and the message says why.</exception>
    public void Validate()
    {
        TlsProtocols.Validate(Protocols);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(Connection);
        Connection.Validate();
        if (Certificate is { HasPrivateKey: false })
            throw new ArgumentException($"The client certificate {Certificate.Subject} has no private key.");
    }
}

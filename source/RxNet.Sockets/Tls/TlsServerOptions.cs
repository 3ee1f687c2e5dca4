using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RxNet.Sockets.Tls.Internal;

namespace RxNet.Sockets.Tls;

/// <summary>How a TLS server authenticates itself and its clients.</summary>
/// <remarks>
/// <para>Certificates come from PEM files (<see cref="FromPemFiles"/>), a PKCS#12 file
/// (<see cref="FromPfx"/>) or any <see cref="X509Certificate2"/> with a private key. Server Name
/// Indication picks a certificate per host name from <see cref="HostCertificates"/>, falling back to
/// <see cref="Certificate"/>.</para>
/// <para>TLS 1.2 and 1.3 only; older versions are refused by <see cref="Validate"/>.</para>
/// </remarks>
public sealed record TlsServerOptions
{
    /// <summary>The certificate (with its private key) for clients that ask for no host name, or for one not in <see cref="HostCertificates"/>.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Certificates per host name, chosen by the name the client sends (SNI); names compare without case.</summary>
    public IReadOnlyDictionary<string, X509Certificate2>? HostCertificates { get; init; }

    /// <summary>ALPN protocols this server speaks, most preferred first (<c>h2</c>, <c>http/1.1</c>); empty for none.</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; init; } = [];

    /// <summary>Whether clients must present a certificate: <see cref="ClientCertificateMode.None"/> by default.</summary>
    public ClientCertificateMode ClientCertificate { get; init; }

    /// <summary>The roots client certificates must chain to, or <see langword="null"/> for the system's trust store.</summary>
    public X509Certificate2Collection? ClientTrustRoots { get; init; }

    /// <summary>The TLS versions allowed: 1.2 and 1.3 by default. Nothing older is accepted.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Flow-control limits of the TLS connection's plain-text side (water marks of its output); the defaults of <see cref="ConnectionOptions"/>.</summary>
    public ConnectionOptions Connection { get; init; } = ConnectionOptions.Default;

    /// <summary>Where the TLS layer runs its own work and its handshake timeout, or <see langword="null"/> for the
    /// thread pool and a timer. Give the simulated network's <c>TestScheduler</c> to run TLS in virtual time.</summary>
    public System.Reactive.Concurrency.IScheduler? Scheduler { get; init; }

    /// <summary>How long a handshake may take before the connection is dropped: 10 s by default, as in Kestrel.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where refused handshakes are logged (a listener keeps serving others).</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Options serving the certificate in <paramref name="certificatePath"/> with the key in <paramref name="keyPath"/> (both PEM).</summary>
    /// <param name="certificatePath">A PEM file with the certificate, optionally followed by its chain.</param>
    /// <param name="keyPath">A PEM file with the private key (PKCS#8, RSA or EC), or <see langword="null"/> if it is in <paramref name="certificatePath"/>.</param>
    /// <returns>The options.</returns>
    public static TlsServerOptions FromPemFiles(string certificatePath, string? keyPath = null) =>
        new() { Certificate = TlsCertificates.LoadPem(certificatePath, keyPath) };

    /// <summary>Options serving the certificate of a PKCS#12 (PFX) file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="password">Its password, or <see langword="null"/>.</param>
    /// <returns>The options.</returns>
    public static TlsServerOptions FromPfx(string path, string? password = null) =>
        new() { Certificate = TlsCertificates.LoadPfx(path, password) };

    /// <summary>Checks that the options can serve: a certificate, TLS 1.2 or newer only, a positive timeout.</summary>
    /// <exception cref="ArgumentException">They cannot, and the message says why.</exception>
    public void Validate()
    {
        if (Certificate is null && (HostCertificates is null || HostCertificates.Count == 0))
            throw new ArgumentException("A TLS server needs a certificate: set Certificate (or HostCertificates for SNI).");
        foreach (var certificate in HostCertificates?.Values.Append(Certificate) ?? [Certificate])
        {
            if (certificate is not null && !certificate.HasPrivateKey)
                throw new ArgumentException($"The certificate {certificate.Subject} has no private key; a server needs one.");
        }
        TlsProtocols.Validate(Protocols);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(Connection);
        Connection.Validate();
    }
}

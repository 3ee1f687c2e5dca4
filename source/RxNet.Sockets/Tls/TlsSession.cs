using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace RxNet.Sockets.Tls;

/// <summary>What a TLS handshake agreed on.</summary>
/// <param name="Protocol">The TLS version (<see cref="SslProtocols.Tls12"/> or <see cref="SslProtocols.Tls13"/>).</param>
/// <param name="CipherSuite">The cipher suite.</param>
/// <param name="ApplicationProtocol">The ALPN protocol agreed (<c>h2</c>, <c>http/1.1</c>...), or <see langword="null"/> if none was.</param>
/// <param name="HostName">The server name: the one the client sent (SNI) as seen by the server, or the one the client asked for.</param>
/// <param name="RemoteCertificate">The peer's certificate, or <see langword="null"/> if it sent none (a client without one).</param>
public sealed record TlsSession(
    SslProtocols Protocol,
    TlsCipherSuite CipherSuite,
    string? ApplicationProtocol,
    string? HostName,
    X509Certificate2? RemoteCertificate);

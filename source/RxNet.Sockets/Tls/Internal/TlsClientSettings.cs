using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>Turns <see cref="TlsClientOptions"/> into the platform's options for one handshake.</summary>
internal static class TlsClientSettings
{
    /// <summary>A chain policy trusting only <paramref name="roots"/>, or <see langword="null"/> for the system's roots.</summary>
    public static X509ChainPolicy? Policy(X509Certificate2Collection? roots)
    {
        if (roots is null)
            return null;
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck, // private CAs rarely publish revocation lists
        };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }

    /// <summary>The name to ask for and check: the options', else the endpoint's host, else the peer's address.</summary>
    public static string ServerName(TlsClientOptions options, string? host, IConnection connection) =>
        options.ServerName ?? host ?? connection.RemoteEndPoint switch
        {
            DnsEndPoint dns => dns.Host,
            IPEndPoint ip => ip.Address.ToString(),
            _ => "",
        };

    public static SslClientAuthenticationOptions Create(TlsClientOptions options, string serverName, TlsValidation validation) => new()
    {
        TargetHost = serverName,
        ClientCertificateContext = options.Certificate is null ? null : SslStreamCertificateContext.Create(options.Certificate, null, offline: true),
        RemoteCertificateValidationCallback = validation.Check,
        CertificateChainPolicy = Policy(options.TrustRoots),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        EnabledSslProtocols = options.Protocols,
        ApplicationProtocols = options.ApplicationProtocols.Count == 0 ? null : [.. options.ApplicationProtocols.Select(p => new SslApplicationProtocol(p))],
    };
}

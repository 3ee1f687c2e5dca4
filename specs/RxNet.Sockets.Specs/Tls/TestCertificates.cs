using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RxNet.Sockets.Specs.Tls;

/// <summary>
/// Certificates made inside the specs with <see cref="CertificateRequest"/> (never committed keys): a CA, leaves it
/// signed for chosen names, an expired leaf, and a second CA nobody trusts. Each is re-imported through PKCS#12 so
/// that SslStream on Linux has a usable key. <see cref="WritePem"/> puts them where <c>openssl</c> can read them.
/// </summary>
internal static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> LazyCa = new(() => NewCa("RxNet Test CA"));
    private static readonly Lazy<X509Certificate2> LazyOtherCa = new(() => NewCa("RxNet Untrusted CA"));
    private static readonly Lazy<X509Certificate2> LazyLocalhost = new(() => Leaf(Ca, "localhost", ["localhost"], server: true));
    private static readonly Lazy<X509Certificate2> LazyClient = new(() => Leaf(Ca, "rxnet client", [], server: false));

    /// <summary>The CA the specs trust.</summary>
    public static X509Certificate2 Ca => LazyCa.Value;

    /// <summary>A CA no spec trusts.</summary>
    public static X509Certificate2 OtherCa => LazyOtherCa.Value;

    /// <summary>A server certificate from <see cref="Ca"/> for <c>localhost</c> and 127.0.0.1.</summary>
    public static X509Certificate2 Localhost => LazyLocalhost.Value;

    /// <summary>A client certificate from <see cref="Ca"/>.</summary>
    public static X509Certificate2 Client => LazyClient.Value;

    /// <summary>Just <see cref="Ca"/>, as trust roots.</summary>
    public static X509Certificate2Collection Roots => [Ca];

    /// <summary>A new CA certificate with its key.</summary>
    public static X509Certificate2 NewCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-90), DateTimeOffset.UtcNow.AddYears(1));
        return Reimport(ca);
    }

    /// <summary>A leaf signed by <paramref name="issuer"/> naming <paramref name="dnsNames"/> (and 127.0.0.1 for a server).</summary>
    public static X509Certificate2 Leaf(X509Certificate2 issuer, string name, string[] dnsNames, bool server, bool expired = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (string dns in dnsNames)
                names.AddDnsName(dns);
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        var notBefore = expired ? DateTimeOffset.UtcNow.AddDays(-30) : DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = expired ? DateTimeOffset.UtcNow.AddDays(-2) : DateTimeOffset.UtcNow.AddDays(30);
        byte[] serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        using var signed = request.Create(issuer, notBefore, notAfter, serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return Reimport(withKey);
    }

    /// <summary>A server leaf from <see cref="Ca"/> for <paramref name="dnsNames"/>.</summary>
    public static X509Certificate2 Server(params string[] dnsNames) => Leaf(Ca, dnsNames[0], dnsNames, server: true);

    /// <summary>Writes the certificate (and its key, if it has one) as PEM into <paramref name="directory"/>.</summary>
    /// <returns>The paths of the certificate and of the key (null without a key).</returns>
    public static (string Certificate, string? Key) WritePem(this X509Certificate2 certificate, string directory, string name)
    {
        string certPath = Path.Combine(directory, name + ".pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        if (!certificate.HasPrivateKey)
            return (certPath, null);
        string keyPath = Path.Combine(directory, name + ".key");
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    private static X509Certificate2 Reimport(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
}

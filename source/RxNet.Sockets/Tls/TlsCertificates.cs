using System.Security.Cryptography.X509Certificates;

namespace RxNet.Sockets.Tls;

/// <summary>Loads certificates for TLS from the files servers usually keep them in.</summary>
public static class TlsCertificates
{
    /// <summary>Loads a certificate and its private key from PEM files.</summary>
    /// <param name="certificatePath">The certificate (the first one in the file is the leaf).</param>
    /// <param name="keyPath">The private key, or <see langword="null"/> if it is in <paramref name="certificatePath"/>.</param>
    /// <returns>The certificate with its key, usable by <c>SslStream</c>.</returns>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The PEM is not a certificate or key, or they do not match.</exception>
    public static X509Certificate2 LoadPem(string certificatePath, string? keyPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        // Re-imported through PKCS#12 so the key is a persisted one every platform's TLS stack can use.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Loads a certificate and its private key from a PKCS#12 (PFX) file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="password">Its password, or <see langword="null"/>.</param>
    /// <returns>The certificate with its key.</returns>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The file is not PKCS#12 or the password is wrong.</exception>
    public static X509Certificate2 LoadPfx(string path, string? password = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return X509CertificateLoader.LoadPkcs12FromFile(path, password);
    }

    /// <summary>Loads every certificate of a PEM file: trust roots, typically.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The certificates, in file order.</returns>
    /// <exception cref="ArgumentException">The file holds no certificate.</exception>
    public static X509Certificate2Collection LoadRoots(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(path);
        if (roots.Count == 0)
            throw new ArgumentException($"{path} holds no PEM certificate.", nameof(path));
        return roots;
    }
}

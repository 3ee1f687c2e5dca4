using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>The <c>tls:</c> parameters server and client strings share: files of certificates and keys, ALPN lists.</summary>
internal static class TlsParameters
{
    /// <summary>The certificate of <c>certificate=</c> (with <c>privateKey=</c>) or <c>pfx=</c> (with <c>password=</c>), if any.</summary>
    public static X509Certificate2? Certificate(EndpointDescription d, bool required)
    {
        var p = d.Parameters;
        string? certificate = p.GetValueOrDefault("certificate"), key = p.GetValueOrDefault("privateKey");
        string? pfx = p.GetValueOrDefault("pfx"), password = p.GetValueOrDefault("password");
        if (certificate is not null && pfx is not null)
            throw d.Invalid("pfx", "give either certificate= (with privateKey=) or pfx=, not both");
        if (key is not null && certificate is null)
            throw d.Invalid("privateKey", "privateKey= goes with certificate=FILE");
        if (password is not null && pfx is null)
            throw d.Invalid("password", "password= goes with pfx=FILE");
        if (certificate is not null)
            return Load(d, key is null ? "certificate" : "privateKey", () => TlsCertificates.LoadPem(certificate, key));
        if (pfx is not null)
            return Load(d, "pfx", () => TlsCertificates.LoadPfx(pfx, password));
        if (required)
            throw d.Invalid(d.Scheme, "a TLS server needs certificate=FILE with privateKey=FILE (PEM), or pfx=FILE");
        return null;
    }

    /// <summary>The roots of <c>trustRoots=FILE</c> (PEM), if given.</summary>
    public static X509Certificate2Collection? TrustRoots(EndpointDescription d) =>
        d.Parameters.TryGetValue("trustRoots", out var path) ? Load(d, "trustRoots", () => TlsCertificates.LoadRoots(path)) : null;

    /// <summary>The protocols of <c>alpn=h2,http/1.1</c>, if given.</summary>
    public static IReadOnlyList<string>? Alpn(EndpointDescription d)
    {
        if (!d.Parameters.TryGetValue("alpn", out var list))
            return null;
        var protocols = list.Split(',');
        if (protocols.Any(p => p.Length == 0 || p.Length > 255))
            throw d.Invalid("alpn", "alpn is a comma-separated list of protocol names of 1 to 255 characters, as in 'alpn=h2,http/1.1'");
        return protocols;
    }

    /// <summary>The seconds of a timeout parameter.</summary>
    public static TimeSpan Seconds(EndpointDescription d, string key, string value)
    {
        if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds)
            || seconds <= 0 || seconds > 86400)
            throw d.Invalid(key, $"{key} must be a number of seconds above 0");
        return TimeSpan.FromSeconds(seconds);
    }

    private static T Load<T>(EndpointDescription d, string key, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is IOException or CryptographicException or ArgumentException or UnauthorizedAccessException)
        {
            throw d.Invalid(key, $"cannot load it: {e.Message.TrimEnd('.')}");
        }
    }

    /// <summary>What a TLS endpoint parsed from <paramref name="d"/> prints: its canonical string, password hidden.</summary>
    public static string PrintBack(EndpointDescription d) => d.ToString();
}

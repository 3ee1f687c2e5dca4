using System.Security.Authentication;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>The versions RxNet allows: TLS 1.2 and 1.3.</summary>
internal static class TlsProtocols
{
    private const SslProtocols Allowed = SslProtocols.Tls12 | SslProtocols.Tls13;

    public static void Validate(SslProtocols protocols)
    {
        if (protocols == SslProtocols.None || (protocols & ~Allowed) != 0)
            throw new ArgumentException($"TLS versions {protocols} are not allowed: RxNet speaks TLS 1.2 and 1.3 only (SslProtocols.Tls12 | SslProtocols.Tls13).");
    }
}

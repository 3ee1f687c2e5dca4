using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>
/// Checks the peer's certificate during one handshake and remembers why it refused it, so the handshake's
/// error can name what failed instead of the platform's generic "rejected by the callback".
/// </summary>
internal sealed class TlsValidation(bool validate, bool certificateOptional, string? expectedName, string peer)
{
    /// <summary>Why the certificate was refused, if it was.</summary>
    public TlsAuthenticationException? Refusal { get; private set; }

    public bool Check(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (!validate)
            return true;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            if (certificateOptional)
                return true;
            return Refuse(TlsFailure.NoCertificate, $"The {peer} sent no certificate, and one is required.");
        }
        string subject = certificate.Subject;
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = AllStatuses(chain);
            var flags = statuses.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
            string details = string.Join("; ", statuses.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
            {
                var cert = certificate as X509Certificate2;
                string when = cert is null ? "" : string.Create(CultureInfo.InvariantCulture,
                    $" (valid from {cert.NotBefore.ToUniversalTime():u} to {cert.NotAfter.ToUniversalTime():u})");
                return Refuse(TlsFailure.Expired, $"The {peer}'s certificate {subject} is expired or not yet valid{when}.");
            }
            if (flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain))
                return Refuse(TlsFailure.UntrustedRoot,
                    $"The {peer}'s certificate {subject} (issued by {certificate.Issuer}) does not chain to a trusted root: {details}.");
            return Refuse(TlsFailure.InvalidChain, $"The {peer}'s certificate {subject} has an invalid chain: {details}.");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            var names = certificate is X509Certificate2 cert2
                ? cert2.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToList()
                : [];
            return Refuse(TlsFailure.NameMismatch,
                $"The {peer}'s certificate {subject} does not name '{expectedName}'; it names {(names.Count == 0 ? "no DNS name" : string.Join(", ", names))}.");
        }
        if (errors != SslPolicyErrors.None)
            return Refuse(TlsFailure.InvalidChain, $"The {peer}'s certificate {subject} was refused: {errors}.");
        return true;
    }

    /// <summary>The handshake's error, as the exception to report: the refusal if there was one.</summary>
    public TlsAuthenticationException Failed(Exception error, string what)
    {
        if (Refusal is not null)
            return new TlsAuthenticationException(Refusal.Failure, Refusal.Message, error);
        if (error is TlsAuthenticationException typed)
            return typed;
        string detail = error.InnerException is { } inner ? $"{error.Message} ({inner.Message})" : error.Message;
        return new TlsAuthenticationException(TlsFailure.Handshake, $"The TLS handshake {what} failed: {detail}", error);
    }

    private bool Refuse(TlsFailure failure, string message)
    {
        Refusal = new TlsAuthenticationException(failure, message);
        return false;
    }

    private static List<X509ChainStatus> AllStatuses(X509Chain? chain)
    {
        if (chain is null)
            return [];
        var all = new List<X509ChainStatus>(chain.ChainStatus);
        foreach (var element in chain.ChainElements)
            all.AddRange(element.ChainElementStatus);
        return all;
    }
}

using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>What every handshake of one <see cref="TlsServerOptions"/> shares: certificate contexts (whose
/// chains are built once), the SNI table and the ALPN list.</summary>
internal sealed class TlsServerSettings
{
    private static readonly ConditionalWeakTable<TlsServerOptions, TlsServerSettings> Cache = [];

    private readonly TlsServerOptions _options;
    private readonly SslStreamCertificateContext? _default;
    private readonly Dictionary<string, X509Certificate2> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SslApplicationProtocol> _alpn;

    private TlsServerSettings(TlsServerOptions options)
    {
        options.Validate();
        _options = options;
        if (options.HostCertificates is not null)
        {
            foreach (var (host, certificate) in options.HostCertificates)
                _hosts[host] = certificate;
        }
        if (_hosts.Count == 0)
            _default = SslStreamCertificateContext.Create(options.Certificate!, additionalCertificates: null, offline: true);
        _alpn = [.. options.ApplicationProtocols.Select(p => new SslApplicationProtocol(p))];
    }

    public TlsServerOptions Options => _options;

    public static TlsServerSettings For(TlsServerOptions options) => Cache.GetValue(options, static o => new TlsServerSettings(o));

    public TlsValidation NewValidation(IConnection connection) =>
        new(_options.ClientCertificate != ClientCertificateMode.None, _options.ClientCertificate == ClientCertificateMode.Optional, null,
            $"client {connection.RemoteEndPoint}");

    public SslServerAuthenticationOptions Create(TlsValidation validation) => new()
    {
        ServerCertificateContext = _default,
        ServerCertificateSelectionCallback = _default is null ? SelectCertificate : null,
        ClientCertificateRequired = _options.ClientCertificate != ClientCertificateMode.None,
        RemoteCertificateValidationCallback = validation.Check,
        CertificateChainPolicy = TlsClientSettings.Policy(_options.ClientTrustRoots),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        EnabledSslProtocols = _options.Protocols,
        ApplicationProtocols = _alpn.Count == 0 ? null : _alpn,
    };

    private X509Certificate2 SelectCertificate(object sender, string? hostName) =>
        hostName is not null && _hosts.TryGetValue(hostName, out var certificate)
            ? certificate
            : _options.Certificate ?? throw new TlsAuthenticationException(TlsFailure.Handshake,
                $"No certificate for the host name '{hostName}' the client asked for, and no default certificate.");
}

using System.Net;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using RxNet.Sockets.Internal;
using RxNet.Sockets.Tls.Internal;

namespace RxNet.Sockets.Tls;

/// <summary>A TLS server endpoint: Twisted's <c>ssl:</c> server endpoint, over any server endpoint.</summary>
public sealed class TlsServerEndpoint : IServerEndpoint
{
    private readonly ILogger _logger;

    /// <summary>Creates an endpoint that runs a TLS handshake on every connection <paramref name="inner"/> accepts.</summary>
    /// <param name="inner">The endpoint underneath.</param>
    /// <param name="options">The server's TLS options.</param>
    /// <exception cref="ArgumentException">The options cannot serve.</exception>
    public TlsServerEndpoint(IServerEndpoint inner, TlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Inner = inner;
        Options = options;
        _logger = options.LoggerFactory.CreateLogger<TlsServerEndpoint>();
    }

    /// <summary>The endpoint underneath.</summary>
    public IServerEndpoint Inner { get; }

    /// <summary>The TLS options.</summary>
    public TlsServerOptions Options { get; }

    /// <summary>Parses a <c>tls:</c> server string; see <see cref="Parse(EndpointDescription, TcpOptions?)"/>.</summary>
    /// <param name="description">The endpoint string.</param>
    /// <param name="options">TCP options the string's parameters override.</param>
    /// <inheritdoc cref="Parse(EndpointDescription, TcpOptions?)" path="/returns|/exception"/>
    public static TlsServerEndpoint Parse(string description, TcpOptions? options = null) =>
        Parse(EndpointDescription.Parse(description), options);

    /// <summary>
    /// Parses <c>tls:PORT:certificate=CERT.pem:privateKey=KEY.pem</c> or <c>tls:port=PORT:pfx=FILE.pfx:password=SECRET</c>,
    /// with the TCP parameters <c>interface=ADDR</c>, <c>backlog=N</c>, <c>sndbuf=BYTES</c> and <c>rcvbuf=BYTES</c> and the TLS ones <c>alpn=h2,http/1.1</c>,
    /// <c>clientCertificate=none|optional|required</c>, <c>trustRoots=CA.pem</c> (the roots client certificates must
    /// chain to) and <c>handshakeTimeout=SECONDS</c>. Certificates per host name (SNI) are set from code
    /// (<see cref="TlsServerOptions.HostCertificates"/>).
    /// </summary>
    /// <param name="description">The parsed string.</param>
    /// <param name="options">TCP options the string's parameters override.</param>
    /// <returns>The endpoint, over a <see cref="TcpServerEndpoint"/>.</returns>
    /// <exception cref="FormatException">The string is malformed or a file cannot be loaded; the message points at the bad part.</exception>
    public static TlsServerEndpoint Parse(EndpointDescription description, TcpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(description);
        var d = description;
        if (d.Scheme != "tls")
            throw d.Invalid(d.Scheme, "a TLS server endpoint starts with 'tls:'");
        options ??= TcpOptions.Default;
        var tcp = TcpServerParameters.ReadLayered(d, "tls:8443:certificate=cert.pem:privateKey=key.pem", "a TLS server",
            "certificate", "privateKey", "pfx", "password", "alpn", "clientCertificate", "trustRoots", "handshakeTimeout");
        var tls = new TlsServerOptions { Connection = options.Connection, LoggerFactory = options.LoggerFactory };
        if (d.Parameters.TryGetValue("clientCertificate", out var mode))
        {
            tls = tls with
            {
                ClientCertificate = mode switch
                {
                    "none" => ClientCertificateMode.None,
                    "optional" => ClientCertificateMode.Optional,
                    "required" => ClientCertificateMode.Required,
                    _ => throw d.Invalid("clientCertificate", "clientCertificate must be none, optional or required"),
                },
            };
        }
        if (d.Parameters.TryGetValue("handshakeTimeout", out var seconds))
            tls = tls with { HandshakeTimeout = TlsParameters.Seconds(d, "handshakeTimeout", seconds) };
        tls = tls with
        {
            Certificate = TlsParameters.Certificate(d, required: true),
            ClientTrustRoots = TlsParameters.TrustRoots(d),
            ApplicationProtocols = TlsParameters.Alpn(d) ?? [],
        };
        return new TlsServerEndpoint(TcpServerEndpoint.From(tcp, options), tls) { Description = TlsParameters.PrintBack(d) };
    }

    /// <inheritdoc/>
    public IObservable<IConnection> Listen(Action<EndPoint>? onListening = null) => Listeners.Exclusive(new TlsListen(Inner, Options, _logger, onListening), ToString());

    /// <summary>The endpoint string this endpoint was parsed from, in canonical form (a password shows as
    /// <c>***</c>, so it never reaches a log); for one made in code, <c>tls over</c> the endpoint underneath.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Description ?? $"tls over {Inner}";

    /// <summary>The canonical string this endpoint was parsed from, if it was.</summary>
    internal string? Description { get; init; }
}

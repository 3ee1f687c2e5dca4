using System.Reactive.Linq;
using RxNet.Sockets.Internal;
using RxNet.Sockets.Tls.Internal;

namespace RxNet.Sockets.Tls;

/// <summary>A TLS client endpoint: Twisted's <c>ssl:</c>/<c>tls:</c> client endpoint, over any client endpoint.</summary>
public sealed class TlsClientEndpoint : IClientEndpoint
{
    /// <summary>Creates an endpoint that runs a TLS handshake on every connection <paramref name="inner"/> makes.</summary>
    /// <param name="inner">The endpoint underneath; a <see cref="TcpClientEndpoint"/>'s host is the default server name.</param>
    /// <param name="options">The client's TLS options.</param>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public TlsClientEndpoint(IClientEndpoint inner, TlsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Inner = inner;
        Options = options;
    }

    /// <summary>The endpoint underneath.</summary>
    public IClientEndpoint Inner { get; }

    /// <summary>The TLS options.</summary>
    public TlsClientOptions Options { get; }

    /// <summary>Parses a <c>tls:</c> client string; see <see cref="Parse(EndpointDescription, TcpOptions?)"/>.</summary>
    /// <param name="description">The endpoint string.</param>
    /// <param name="options">TCP options the string's parameters override.</param>
    /// <inheritdoc cref="Parse(EndpointDescription, TcpOptions?)" path="/returns|/exception"/>
    public static TlsClientEndpoint Parse(string description, TcpOptions? options = null) =>
        Parse(EndpointDescription.Parse(description), options);

    /// <summary>
    /// Parses <c>tls:host=HOST:port=PORT</c> or <c>tls:HOST:PORT</c>, with <c>timeout=SECONDS</c> (connect),
    /// <c>sndbuf=BYTES</c> and <c>rcvbuf=BYTES</c> (the kernel buffers, as on <c>tcp:</c>),
    /// <c>trustRoots=CA.pem</c> (instead of the system's roots), <c>certificate=CERT.pem:privateKey=KEY.pem</c> or
    /// <c>pfx=FILE:password=SECRET</c> (the client's certificate), <c>alpn=h2,http/1.1</c>,
    /// <c>serverName=NAME</c> (SNI and the name checked; the host by default) and <c>handshakeTimeout=SECONDS</c>.
    /// The server's certificate is always checked.
    /// </summary>
    /// <param name="description">The parsed string.</param>
    /// <param name="options">TCP options the string's parameters override.</param>
    /// <returns>The endpoint, over a <see cref="TcpClientEndpoint"/>.</returns>
    /// <exception cref="FormatException">The string is malformed or a file cannot be loaded; the message points at the bad part.</exception>
    public static TlsClientEndpoint Parse(EndpointDescription description, TcpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(description);
        var d = description;
        if (d.Scheme != "tls")
            throw d.Invalid(d.Scheme, "a TLS client endpoint starts with 'tls:'");
        options ??= TcpOptions.Default;
        var (host, port) = d.ReadHostAndPort("tls:host=example.com:port=443");
        var tls = new TlsClientOptions { Connection = options.Connection, LoggerFactory = options.LoggerFactory };
        foreach (var (key, value) in d.Parameters)
        {
            switch (key)
            {
                case "host" or "port" or "certificate" or "privateKey" or "pfx" or "password" or "trustRoots" or "alpn" or "sndbuf" or "rcvbuf":
                    break;
                case "timeout":
                    options = options with { ConnectTimeout = TlsParameters.Seconds(d, key, value) };
                    break;
                case "handshakeTimeout":
                    tls = tls with { HandshakeTimeout = TlsParameters.Seconds(d, key, value) };
                    break;
                case "serverName":
                    if (value.Length == 0)
                        throw d.Invalid(key, "the server name is empty");
                    tls = tls with { ServerName = value };
                    break;
                default:
                    throw d.UnknownParameter(key, "unknown parameter; a TLS client takes host, port, timeout, sndbuf, rcvbuf, trustRoots, "
                        + "certificate, privateKey, pfx, password, alpn, serverName and handshakeTimeout");
            }
        }
        tls = tls with
        {
            Certificate = TlsParameters.Certificate(d, required: false),
            TrustRoots = TlsParameters.TrustRoots(d),
            ApplicationProtocols = TlsParameters.Alpn(d) ?? [],
        };
        options = BufferSizeParameters.Read(d, options);
        return new TlsClientEndpoint(new TcpClientEndpoint(host, port, options), tls) { Description = TlsParameters.PrintBack(d) };
    }

    /// <inheritdoc/>
    public IObservable<IConnection> Connect() => new TlsConnect(Inner, Options, (Inner as TcpClientEndpoint)?.Host);

    /// <summary>The endpoint string this endpoint was parsed from, in canonical form (a password shows as
    /// <c>***</c>, so it never reaches a log); for one made in code, <c>tls over</c> the endpoint underneath.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Description ?? $"tls over {Inner}";

    /// <summary>The canonical string this endpoint was parsed from, if it was.</summary>
    internal string? Description { get; init; }
}

using System.Net;
using System.Security.Cryptography.X509Certificates;
using RxNet.Sockets.Tls;
using Xunit;

namespace RxNet.Sockets.Specs.Tls;

/// <summary><c>tls:</c> endpoint strings for servers and clients: every key, and errors that point at the bad part.</summary>
public sealed class TlsEndpointParseSpecs : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("rxnet-tls-parse-");
    private readonly string _cert, _key, _ca, _pfx, _clientCert, _clientKey;

    public TlsEndpointParseSpecs()
    {
        var (cert, key) = TestCertificates.Localhost.WritePem(_directory.FullName, "localhost");
        var (clientCert, clientKey) = TestCertificates.Client.WritePem(_directory.FullName, "client");
        (_cert, _key, _clientCert, _clientKey) = (cert, key!, clientCert, clientKey!);
        _ca = TestCertificates.Ca.WritePem(_directory.FullName, "ca").Certificate;
        _pfx = Path.Combine(_directory.FullName, "server.pfx");
        File.WriteAllBytes(_pfx, TestCertificates.Localhost.Export(X509ContentType.Pkcs12, "s3cret"));
    }

    [Fact]
    public void SocketReactor_TlsStrings_PrintBackAsTheirCanonicalFormWhichParsesToTheSameEndpoint()
    {
        using var reactor = new SocketReactor();
        string server = $"TLS:port=8443:certificate={EndpointDescription.Escape(_cert)}:privateKey={EndpointDescription.Escape(_key)}:alpn=h2,http/1.1";
        string client = $"tls:localhost:8443:trustRoots={EndpointDescription.Escape(_ca)}:timeout=5";

        var serverEndpoint = Assert.IsType<TlsServerEndpoint>(reactor.ServerEndpoint(server));
        var clientEndpoint = Assert.IsType<TlsClientEndpoint>(reactor.ClientEndpoint(client));

        Assert.Equal(EndpointDescription.Parse(server).ToString(), serverEndpoint.ToString());
        Assert.StartsWith("tls:port=8443:certificate=", serverEndpoint.ToString(), StringComparison.Ordinal);
        Assert.Equal(serverEndpoint.ToString(), reactor.ServerEndpoint(serverEndpoint.ToString()!).ToString());
        Assert.Equal(clientEndpoint.ToString(), reactor.ClientEndpoint(clientEndpoint.ToString()!).ToString());
        Assert.Equal("localhost", Assert.IsType<TcpClientEndpoint>(clientEndpoint.Inner).Host);
    }

    [Fact]
    public void SocketReactor_PfxPassword_IsNeverPrinted()
    {
        using var reactor = new SocketReactor();

        var endpoint = reactor.ServerEndpoint($"tls:8443:pfx={EndpointDescription.Escape(_pfx)}:password=s3cret");

        Assert.DoesNotContain("s3cret", endpoint.ToString(), StringComparison.Ordinal);
        Assert.EndsWith(":password=***", endpoint.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ServerParse_PortCertificateAndKey_ListensEverywhereWithThatCertificate()
    {
        var endpoint = TlsServerEndpoint.Parse($"tls:8443:certificate={_cert}:privateKey={_key}");

        Assert.Equal(new IPEndPoint(IPAddress.Any, 8443), Assert.IsType<TcpServerEndpoint>(endpoint.Inner).EndPoint);
        Assert.Equal("CN=localhost", endpoint.Options.Certificate?.Subject);
        Assert.True(endpoint.Options.Certificate?.HasPrivateKey);
        Assert.Equal(ClientCertificateMode.None, endpoint.Options.ClientCertificate);
        Assert.Empty(endpoint.Options.ApplicationProtocols);
    }

    [Fact]
    public void ServerParse_TcpKeys_BuildTheTcpEndpointUnderneath()
    {
        var endpoint = TlsServerEndpoint.Parse($"tls:port=8443:interface=127.0.0.1:backlog=64:certificate={_cert}:privateKey={_key}",
            new TcpOptions { Connection = new ConnectionOptions { HighWaterMark = 2048, LowWaterMark = 1024 } });

        var tcp = Assert.IsType<TcpServerEndpoint>(endpoint.Inner);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8443), tcp.EndPoint);
        Assert.Equal(64, tcp.Options.Backlog);
        Assert.Equal(2048, endpoint.Options.Connection.HighWaterMark);
    }

    [Fact]
    public void ServerParse_BufferKeys_SetTheBuffersOfTheTcpEndpointUnderneath()
    {
        var endpoint = TlsServerEndpoint.Parse($"tls:8443:certificate={_cert}:privateKey={_key}:sndbuf=32768:rcvbuf=65536");

        var tcp = Assert.IsType<TcpServerEndpoint>(endpoint.Inner);
        Assert.Equal(32768, tcp.Options.SendBufferSize);
        Assert.Equal(65536, tcp.Options.ReceiveBufferSize);
    }

    [Fact]
    public void ClientParse_BufferKeys_SetTheBuffersOfTheTcpEndpointUnderneath()
    {
        var endpoint = TlsClientEndpoint.Parse("tls:example.com:443:rcvbuf=8192:sndbuf=4096", new TcpOptions { SendBufferSize = 1024 });

        var tcp = Assert.IsType<TcpClientEndpoint>(endpoint.Inner);
        Assert.Equal(4096, tcp.Options.SendBufferSize);                       // the string wins over the options
        Assert.Equal(8192, tcp.Options.ReceiveBufferSize);
    }

    [Fact]
    public void ServerParse_PfxWithPassword_LoadsItsCertificate()
    {
        var endpoint = TlsServerEndpoint.Parse($"tls:8443:pfx={_pfx}:password=s3cret");

        Assert.Equal("CN=localhost", endpoint.Options.Certificate?.Subject);
        Assert.True(endpoint.Options.Certificate?.HasPrivateKey);
    }

    [Fact]
    public void ServerParse_AlpnClientCertificateTrustRootsAndHandshakeTimeout_AreAllSet()
    {
        var endpoint = TlsServerEndpoint.Parse(
            $"tls:8443:certificate={_cert}:privateKey={_key}:alpn=h2,http/1.1:clientCertificate=required:trustRoots={_ca}:handshakeTimeout=2.5");

        Assert.Equal(["h2", "http/1.1"], endpoint.Options.ApplicationProtocols);
        Assert.Equal(ClientCertificateMode.Required, endpoint.Options.ClientCertificate);
        Assert.Equal("CN=RxNet Test CA", Assert.Single(endpoint.Options.ClientTrustRoots!).Subject);
        Assert.Equal(TimeSpan.FromSeconds(2.5), endpoint.Options.HandshakeTimeout);
        Assert.Equal(ClientCertificateMode.Optional, TlsServerEndpoint.Parse($"tls:1:certificate={_cert}:privateKey={_key}:clientCertificate=optional").Options.ClientCertificate);
        Assert.Equal(ClientCertificateMode.None, TlsServerEndpoint.Parse($"tls:1:certificate={_cert}:privateKey={_key}:clientCertificate=none").Options.ClientCertificate);
    }

    [Theory]
    [InlineData("tls:8443", "at position 0: 'tls': a TLS server needs certificate=FILE with privateKey=FILE (PEM), or pfx=FILE")]
    [InlineData("tcp:8443:certificate={cert}", "'tcp': a TLS server endpoint starts with 'tls:'")]
    [InlineData("tls:certificate={cert}:privateKey={key}", "a port is required, as in 'tls:8443:certificate=cert.pem:privateKey=key.pem'")]
    [InlineData("tls:8443:certificate={cert}:privateKey={key}:pfx={pfx}", "(pfx): give either certificate= (with privateKey=) or pfx=, not both")]
    [InlineData("tls:8443:privateKey={key}", "(privateKey): privateKey= goes with certificate=FILE")]
    [InlineData("tls:8443:certificate={cert}:privateKey={key}:password=x", "(password): password= goes with pfx=FILE")]
    [InlineData("tls:8443:certificate={dir}/missing.pem:privateKey={key}", "(privateKey): cannot load it")]
    [InlineData("tls:8443:certificate={ca}", "(certificate): cannot load it")]
    [InlineData("tls:8443:pfx={pfx}:password=wrong", "(pfx): cannot load it")]
    [InlineData("tls:8443:certificate={cert}:privateKey={key}:clientCertificate=sometimes", "'sometimes' (clientCertificate): clientCertificate must be none, optional or required")]
    [InlineData("tls:8443:certificate={cert}:privateKey={key}:alpn=h2,", "'h2,' (alpn): alpn is a comma-separated list of protocol names of 1 to 255 characters")]
    [InlineData("tls:8443:certificate={cert}:privateKey={key}:trustRoots={dir}/none.pem", "(trustRoots): cannot load it")]
    [InlineData("tls:8443:certificate={cert}:privateKey={key}:interface=nowhere", "'nowhere' (interface): interface must be an IP address")]
    [InlineData("tls:8443:certificate={cert}:privateKey={key}:interface=\\:\\:1", "'::1' (interface): 'tls:' takes an IPv4 interface")]
    [InlineData("tls:8443:certificate={cert}:privateKey={key}:backlog=0", "'0' (backlog): backlog must be a whole number from 1 to 65535")]
    [InlineData("tls:8443:certificate={cert}:privateKey={key}:handshakeTimeout=0", "'0' (handshakeTimeout): handshakeTimeout must be a number of seconds above 0")]
    [InlineData("tls:8443:certificate={cert}:privateKey={key}:sni=a.test", "'sni': unknown parameter; a TLS server takes port, interface, backlog, sndbuf, rcvbuf, certificate, privateKey, pfx, password, alpn, clientCertificate, trustRoots and handshakeTimeout")]
    [InlineData("tls:8443:certificate={cert}:privateKey={key}:sndbuf=0", "'0' (sndbuf): sndbuf must be a whole number from 1 to ")]
    [InlineData("tls:99999:certificate={cert}:privateKey={key}", "port must be a whole number from 0 to 65535")]
    public void ServerParse_BadString_FailsNamingTheBadPart(string description, string message)
    {
        var error = Assert.Throws<FormatException>(() => TlsServerEndpoint.Parse(Fill(description)));

        Assert.Contains(Fill(message), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientParse_HostAndPort_ChecksTheServerAgainstTheSystemRootsByDefault()
    {
        var endpoint = TlsClientEndpoint.Parse("tls:host=example.com:port=443");

        var tcp = Assert.IsType<TcpClientEndpoint>(endpoint.Inner);
        Assert.Equal(("example.com", 443), (tcp.Host, tcp.Port));
        Assert.True(endpoint.Options.ValidateServerCertificate);
        Assert.Null(endpoint.Options.TrustRoots);
        Assert.Null(endpoint.Options.ServerName);
        Assert.Null(endpoint.Options.Certificate);
    }

    [Fact]
    public void ClientParse_PositionalHostAndPort_AreTheHostAndPort()
    {
        var tcp = Assert.IsType<TcpClientEndpoint>(TlsClientEndpoint.Parse("tls:example.com:443").Inner);

        Assert.Equal(("example.com", 443), (tcp.Host, tcp.Port));
    }

    [Fact]
    public void ClientParse_EveryKey_IsSet()
    {
        var endpoint = TlsClientEndpoint.Parse(
            $"tls:host=127.0.0.1:port=8443:trustRoots={_ca}:certificate={_clientCert}:privateKey={_clientKey}:alpn=h2:serverName=localhost:timeout=3:handshakeTimeout=4");

        Assert.Equal("CN=RxNet Test CA", Assert.Single(endpoint.Options.TrustRoots!).Subject);
        Assert.Equal("CN=rxnet client", endpoint.Options.Certificate?.Subject);
        Assert.Equal(["h2"], endpoint.Options.ApplicationProtocols);
        Assert.Equal("localhost", endpoint.Options.ServerName);
        Assert.Equal(TimeSpan.FromSeconds(3), Assert.IsType<TcpClientEndpoint>(endpoint.Inner).Options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), endpoint.Options.HandshakeTimeout);
    }

    [Fact]
    public void ClientParse_PfxWithPassword_IsTheClientCertificate()
    {
        Assert.Equal("CN=localhost", TlsClientEndpoint.Parse($"tls:h:1:pfx={_pfx}:password=s3cret").Options.Certificate?.Subject);
    }

    [Theory]
    [InlineData("tls:port=443", "'tls': a host is required, as in 'tls:host=example.com:port=443'")]
    [InlineData("tls:host=example.com", "'example.com': a port is required")]
    [InlineData("tls:host=example.com:port=0", "'0' (port): port must be a whole number from 1 to 65535")]
    [InlineData("tls:example.com:443:extra", "'extra': unexpected extra argument")]
    [InlineData("tls:host=example.com:port=443:serverName=", "(serverName): the server name is empty")]
    [InlineData("tls:host=example.com:port=443:timeout=soon", "'soon' (timeout): timeout must be a number of seconds above 0")]
    [InlineData("tls:host=example.com:port=443:trustRoots={dir}/none.pem", "(trustRoots): cannot load it")]
    [InlineData("tls:host=example.com:port=443:privateKey={key}", "(privateKey): privateKey= goes with certificate=FILE")]
    [InlineData("tls:host=example.com:port=443:verify=no", "'verify': unknown parameter; a TLS client takes host, port, timeout, sndbuf, rcvbuf, trustRoots, certificate, privateKey, pfx, password, alpn, serverName and handshakeTimeout")]
    [InlineData("tls:host=example.com:port=443:rcvbuf=big", "'big' (rcvbuf): rcvbuf must be a whole number from 1 to ")]
    public void ClientParse_BadString_FailsNamingTheBadPart(string description, string message)
    {
        var error = Assert.Throws<FormatException>(() => TlsClientEndpoint.Parse(Fill(description)));

        Assert.Contains(Fill(message), error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a temporary directory left behind is harmless
        }
    }

    private string Fill(string text) => text
        .Replace("{cert}", _cert, StringComparison.Ordinal)
        .Replace("{key}", _key, StringComparison.Ordinal)
        .Replace("{ca}", _ca, StringComparison.Ordinal)
        .Replace("{pfx}", _pfx, StringComparison.Ordinal)
        .Replace("{dir}", _directory.FullName, StringComparison.Ordinal);
}

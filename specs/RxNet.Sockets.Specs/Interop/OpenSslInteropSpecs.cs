using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Security.Authentication;
using System.Text;
using RxNet.Sockets.Specs.Tcp;
using RxNet.Sockets.Specs.Tls;
using RxNet.Sockets.Tls;
using Xunit;

namespace RxNet.Sockets.Specs.Interop;

/// <summary>
/// RxNet's TLS against OpenSSL's own command-line peers (<c>openssl s_client</c>, <c>openssl s_server</c>), with
/// certificates the specs make and write as PEM into a temporary directory: echo both ways, SNI, ALPN, a required
/// client certificate, and the refusals a client owes its user (wrong name, untrusted root, expired).
/// </summary>
[Trait("Category", "Integration")]
[Collection(OpenSslInteropRunsAlone.Collection)]
public sealed class OpenSslInteropSpecs : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("rxnet-tls-");
    private readonly List<IDisposable> _owned = [];

    public OpenSslInteropSpecs()
    {
        TestCertificates.Ca.WritePem(Dir, "ca");
        TestCertificates.Localhost.WritePem(Dir, "localhost");
        TestCertificates.Client.WritePem(Dir, "client");
    }

    private string Dir => _directory.FullName;

    [Fact]
    public async Task SClient_EchoedByAnRxNetTlsServer_GetsItsLineBack()
    {
        var (port, accepted) = await ServeAsync(new TlsServerOptions { Certificate = TestCertificates.Localhost });
        using var client = Own(OpenSslProcess.Start(Dir, "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost",
            "-CAfile", "ca.pem", "-verify_return_error", "-verify_hostname", "localhost", "-quiet"));
        var server = await accepted;
        using var echo = server.Input.Subscribe(server.Output);

        await client.WriteAsync("hello through TLS\n");

        await client.LineAsync("hello through TLS", what: "the echo of the line s_client sent");
        Assert.Contains(server.Session.Protocol, new[] { SslProtocols.Tls12, SslProtocols.Tls13 });
        Assert.Equal("localhost", server.Session.HostName);
        Assert.DoesNotContain("verify error", client.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RxNetClient_ConnectedToSServer_BytesFlowBothWays()
    {
        var (server, port) = await OpenSslProcess.StartServerAsync(Dir, "-cert", "localhost.pem", "-key", "localhost.key");
        Own(server);
        var connection = await ConnectAsync(port, new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots });
        var received = new InputCollector();
        using var reading = connection.Input.Subscribe(received);

        connection.Output.OnNext("from rxnet\n"u8.ToArray());
        await server.LineAsync("from rxnet", what: "s_server to print what the RxNet client sent");
        await server.WriteAsync("from openssl\n");

        await received.WhenReceived("from openssl\n".Length);
        Assert.Equal("from openssl\n", Encoding.ASCII.GetString(received.Bytes()));
        Assert.Equal("localhost", connection.Session.HostName);
        Assert.Equal("CN=localhost", connection.Session.RemoteCertificate?.Subject);
    }

    [Fact]
    public async Task RxNetServer_WithCertificatesPerHostName_PicksTheOneSClientAsksForBySni()
    {
        var a = TestCertificates.Server("a.test");
        var b = TestCertificates.Server("b.test");
        var options = new TlsServerOptions
        {
            Certificate = TestCertificates.Localhost,
            HostCertificates = new Dictionary<string, System.Security.Cryptography.X509Certificates.X509Certificate2> { ["a.test"] = a, ["B.TEST"] = b },
        };
        foreach (string host in new[] { "b.test", "a.test" })
        {
            var (port, accepted) = await ServeAsync(options);
            using var client = Own(OpenSslProcess.Start(Dir, "s_client", "-connect", $"127.0.0.1:{port}", "-servername", host,
                "-CAfile", "ca.pem", "-verify_return_error", "-verify_hostname", host));
            var server = await accepted;

            await client.LineAsync("Verify return code: 0 (ok)", what: $"s_client to verify the certificate for {host}");
            Assert.Contains($"CN = {host}", client.Output, StringComparison.Ordinal);
            Assert.Equal(host, server.Session.HostName);
        }
    }

    [Fact]
    public async Task Alpn_RxNetServerAndSClient_AgreeOnTheProtocolTheyShare()
    {
        var (port, accepted) = await ServeAsync(new TlsServerOptions { Certificate = TestCertificates.Localhost, ApplicationProtocols = ["h2", "http/1.1"] });
        using var client = Own(OpenSslProcess.Start(Dir, "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost",
            "-CAfile", "ca.pem", "-alpn", "http/1.1,spdy/1"));
        var server = await accepted;

        await client.LineAsync("ALPN protocol: http/1.1", what: "s_client to report the ALPN protocol");
        Assert.Equal("http/1.1", server.Session.ApplicationProtocol);
    }

    [Fact]
    public async Task Alpn_RxNetClientAndSServer_AgreeOnTheProtocolTheyShare()
    {
        var (server, port) = await OpenSslProcess.StartServerAsync(Dir, "-cert", "localhost.pem", "-key", "localhost.key", "-alpn", "h2");
        Own(server);

        var connection = await ConnectAsync(port, new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots, ApplicationProtocols = ["http/1.1", "h2"] });

        Assert.Equal("h2", connection.Session.ApplicationProtocol);
    }

    [Fact]
    public async Task ClientCertificateRequired_SClientWithOne_IsAcceptedAndSeen()
    {
        var options = new TlsServerOptions { Certificate = TestCertificates.Localhost, ClientCertificate = ClientCertificateMode.Required, ClientTrustRoots = TestCertificates.Roots };
        var (port, accepted) = await ServeAsync(options);
        using var client = Own(OpenSslProcess.Start(Dir, "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost",
            "-CAfile", "ca.pem", "-cert", "client.pem", "-key", "client.key", "-quiet"));
        var server = await accepted;
        using var echo = server.Input.Subscribe(server.Output);

        await client.WriteAsync("mutual\n");

        await client.LineAsync("mutual", what: "the echo over mutual TLS");
        Assert.Equal("CN=rxnet client", server.Session.RemoteCertificate?.Subject);
    }

    [Fact]
    public async Task ClientCertificateRequired_SClientWithout_IsRefusedWithNoCertificate()
    {
        var options = new TlsServerOptions { Certificate = TestCertificates.Localhost, ClientCertificate = ClientCertificateMode.Required, ClientTrustRoots = TestCertificates.Roots };
        var (port, accepted) = await ServeAsync(options);
        using var client = Own(OpenSslProcess.Start(Dir, "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", "-CAfile", "ca.pem", "-quiet"));

        var error = await Assert.ThrowsAsync<TlsAuthenticationException>(() => accepted);

        Assert.Equal(TlsFailure.NoCertificate, error.Failure);
        Assert.Contains("sent no certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCertificateRequired_SClientWithACertificateFromAnotherCa_IsRefusedAsUntrusted()
    {
        var stranger = TestCertificates.Leaf(TestCertificates.OtherCa, "stranger", [], server: false);
        stranger.WritePem(Dir, "stranger");
        var options = new TlsServerOptions { Certificate = TestCertificates.Localhost, ClientCertificate = ClientCertificateMode.Required, ClientTrustRoots = TestCertificates.Roots };
        var (port, accepted) = await ServeAsync(options);
        using var client = Own(OpenSslProcess.Start(Dir, "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost",
            "-CAfile", "ca.pem", "-cert", "stranger.pem", "-key", "stranger.key", "-quiet"));

        var error = await Assert.ThrowsAsync<TlsAuthenticationException>(() => accepted);

        Assert.Equal(TlsFailure.UntrustedRoot, error.Failure);
        Assert.Contains("CN=stranger", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RxNetClient_SServerCertificateForAnotherName_IsRefusedWithNameMismatch()
    {
        var (server, port) = await OpenSslProcess.StartServerAsync(Dir, "-cert", "localhost.pem", "-key", "localhost.key");
        Own(server);

        var error = await Assert.ThrowsAsync<TlsAuthenticationException>(() =>
            ConnectAsync(port, new TlsClientOptions { ServerName = "wrong.test", TrustRoots = TestCertificates.Roots }));

        Assert.Equal(TlsFailure.NameMismatch, error.Failure);
        Assert.Contains("does not name 'wrong.test'", error.Message, StringComparison.Ordinal);
        Assert.Contains("localhost", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RxNetClient_SServerCertificateFromAnUntrustedCa_IsRefusedAsUntrusted()
    {
        TestCertificates.Leaf(TestCertificates.OtherCa, "localhost", ["localhost"], server: true).WritePem(Dir, "untrusted");
        var (server, port) = await OpenSslProcess.StartServerAsync(Dir, "-cert", "untrusted.pem", "-key", "untrusted.key");
        Own(server);

        var error = await Assert.ThrowsAsync<TlsAuthenticationException>(() =>
            ConnectAsync(port, new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots }));

        Assert.Equal(TlsFailure.UntrustedRoot, error.Failure);
        Assert.Contains("RxNet Untrusted CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RxNetClient_SServerCertificateExpired_IsRefusedAsExpired()
    {
        TestCertificates.Leaf(TestCertificates.Ca, "localhost", ["localhost"], server: true, expired: true).WritePem(Dir, "expired");
        var (server, port) = await OpenSslProcess.StartServerAsync(Dir, "-cert", "expired.pem", "-key", "expired.key");
        Own(server);

        var error = await Assert.ThrowsAsync<TlsAuthenticationException>(() =>
            ConnectAsync(port, new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots }));

        Assert.Equal(TlsFailure.Expired, error.Failure);
    }

    [Fact]
    public async Task RxNetClient_ValidationTurnedOff_AcceptsAnUntrustedCertificate()
    {
        TestCertificates.Leaf(TestCertificates.OtherCa, "localhost", ["localhost"], server: true).WritePem(Dir, "untrusted");
        var (server, port) = await OpenSslProcess.StartServerAsync(Dir, "-cert", "untrusted.pem", "-key", "untrusted.key");
        Own(server);

        var connection = await ConnectAsync(port, new TlsClientOptions { ServerName = "elsewhere.test", ValidateServerCertificate = false });

        Assert.Equal("CN=localhost", connection.Session.RemoteCertificate?.Subject);
    }

    [Fact]
    public async Task RxNetClient_WithACertificate_IsAcceptedBySServerThatRequiresOne()
    {
        var (server, port) = await OpenSslProcess.StartServerAsync(Dir, "-cert", "localhost.pem", "-key", "localhost.key",
            "-Verify", "1", "-CAfile", "ca.pem", "-verify_return_error");
        Own(server);
        var connection = await ConnectAsync(port, new TlsClientOptions { ServerName = "localhost", TrustRoots = TestCertificates.Roots, Certificate = TestCertificates.Client });

        connection.Output.OnNext("signed\n"u8.ToArray());

        await server.LineAsync("signed", what: "s_server to print what the client with a certificate sent");
        Assert.Contains("CN=rxnet client", server.Output.Replace(" = ", "=", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
            owned.Dispose();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a temporary directory left behind is harmless
        }
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>An RxNet TCP server on 127.0.0.1 whose first connection is upgraded with <paramref name="options"/>.</summary>
    private async Task<(int Port, Task<ITlsConnection> Accepted)> ServeAsync(TlsServerOptions options)
    {
        var server = Own(await LoopbackServer.StartAsync());
        var accepted = AcceptAsync();
        return (server.Port, accepted);

        async Task<ITlsConnection> AcceptAsync()
        {
            var plain = await server.NextAsync();
            var tls = await plain.StartTls(options).ToTask(Bounded.Cancel).Within();
            Own(tls);
            return tls;
        }
    }

    private async Task<ITlsConnection> ConnectAsync(int port, TlsClientOptions options)
    {
        var connection = (ITlsConnection)await new TcpClientEndpoint(new IPEndPoint(IPAddress.Loopback, port)).Tls(options).Connect().FirstWithin();
        return Own(connection);
    }
}

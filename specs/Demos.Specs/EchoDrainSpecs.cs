using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Xunit;

namespace Demos.Specs;

/// <summary>The echo server on the Generic Host stops gracefully: SIGTERM stops accepting, open connections
/// finish within the drain deadline, the rest are aborted and reported, and the process exits 0.</summary>
[Trait("Category", "Integration")]
public sealed class EchoDrainSpecs
{
    internal const int Sigterm = 15;
    internal const int Half = 4 * 1024 * 1024;
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    internal static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EchoServer_SigtermMidTransfer_TransferCompletesInsideTheDeadlineAndExitsZero()
    {
        using var server = DemoProcess.Demo("EchoServer", "--listen", "tcp:0:interface=127.0.0.1", "--drain", "30");
        int port = await server.Listening(Timeout);
        var data = RandomNumberGenerator.GetBytes(2 * Half);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Cancel).AsTask().WaitAsync(Timeout, Cancel);
        var firstEcho = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var echoed = ReadAllAsync(client, firstEcho);

        await SendAsync(client, data.AsMemory(0, Half));
        await firstEcho.Task.WaitAsync(Timeout, Cancel);
        server.Signal(Sigterm);
        await server.Printed("draining 1 connections", Timeout); // the stop has begun, with this transfer half done
        await SendAsync(client, data.AsMemory(Half));
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await echoed.WaitAsync(Timeout, Cancel)));
        Assert.Equal(0, await server.ExitCode(Timeout));
        Assert.Contains("stopped: Drained", server.Output, StringComparison.Ordinal);
        Assert.Contains("1 finished, 0 aborted", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EchoServer_SigtermWithAClientThatNeverCloses_AbortsItAtTheDeadlineReportsItAndExitsZero()
    {
        using var server = DemoProcess.Demo("EchoServer", "--listen", "tcp:0:interface=127.0.0.1", "--drain", "1");
        int port = await server.Listening(Timeout);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Cancel).AsTask().WaitAsync(Timeout, Cancel);
        await SendAsync(client, "ping"u8.ToArray());
        var buffer = new byte[4];
        Assert.Equal(4, await client.ReceiveAsync(buffer, Cancel).AsTask().WaitAsync(Timeout, Cancel)); // accepted and served

        server.Signal(Sigterm);

        Assert.Equal(0, await server.ExitCode(Timeout));
        Assert.Contains("stopped: DeadlineHit", server.Output, StringComparison.Ordinal);
        Assert.Contains($"0 finished, 1 aborted ({client.LocalEndPoint})", server.Output, StringComparison.Ordinal);
        var reset = await Assert.ThrowsAsync<SocketException>(() => client.ReceiveAsync(buffer, Cancel).AsTask().WaitAsync(Timeout, Cancel));
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
    }

    [Theory]
    [InlineData("rx", "rx")]
    [InlineData("twisted", "twisted")]
    public async Task EchoClient_OverAUnixSocket_GetsItsGreetingBackAndTheFileIsRemovedAfterwards(string serverStyle, string clientStyle)
    {
        string folder = Directory.CreateTempSubdirectory("rxnet-demo-").FullName;
        try
        {
            string path = Path.Combine(folder, "echo.sock");
            using var server = DemoProcess.Demo("EchoServer", "--style", serverStyle, "--listen", $"unix:{path}:mode=600");
            await server.Printed($"listening {path}", Timeout);

            using var client = DemoProcess.Demo("EchoClient", "--style", clientStyle, "--connect", $"unix:{path}");
            Assert.Equal(0, await client.ExitCode(Timeout));
            Assert.StartsWith("Received: Hello, RxNet Server!\n", client.Output, StringComparison.Ordinal);

            server.Signal(Sigterm);
            Assert.Equal(0, await server.ExitCode(Timeout));
            Assert.False(File.Exists(path), "the socket file outlived the server");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("rx", "rx")]
    [InlineData("twisted", "twisted")]
    public async Task EchoClient_OverTls_ChecksTheServersCertificateAndGetsItsGreetingBack(string serverStyle, string clientStyle)
    {
        string folder = Directory.CreateTempSubdirectory("rxnet-demo-tls-").FullName;
        try
        {
            var (cert, key) = SelfSignedLocalhost(folder);
            using var server = DemoProcess.Demo("EchoServer", "--style", serverStyle, "--listen", $"tls:0:interface=127.0.0.1:certificate={cert}:privateKey={key}");
            string port = (await server.Listening(Timeout)).ToString(CultureInfo.InvariantCulture);

            using var client = DemoProcess.Demo("EchoClient", "--style", clientStyle, "--connect", $"tls:host=localhost:port={port}:trustRoots={cert}");
            Assert.Equal(0, await client.ExitCode(Timeout));
            Assert.StartsWith("Received: Hello, RxNet Server!\n", client.Output, StringComparison.Ordinal);

            // Without the certificate as a trust root, the client refuses the server and says why.
            using var doubting = DemoProcess.Demo("EchoClient", "--style", clientStyle, "--connect", $"tls:host=localhost:port={port}");
            Assert.Equal(1, await doubting.ExitCode(Timeout));
            Assert.Contains("Connection failed", doubting.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A self-signed certificate for localhost, written as PEM: the server's, and the client's trust root.</summary>
    private static (string Certificate, string Key) SelfSignedLocalhost(string folder)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        string certPath = Path.Combine(folder, "cert.pem"), keyPath = Path.Combine(folder, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    [Fact]
    public async Task EchoServer_UdpEndpoint_EchoesDatagramsFromNcAndFromEchoClient()
    {
        using var server = DemoProcess.Demo("EchoServer", "--listen", "udp:0:interface=127.0.0.1");
        string port = (await server.Listening(Timeout)).ToString(CultureInfo.InvariantCulture);

        using var client = DemoProcess.Demo("EchoClient", "--connect", $"udp:0:interface=127.0.0.1:remoteHost=127.0.0.1:remotePort={port}");
        Assert.Equal(0, await client.ExitCode(Timeout));
        Assert.StartsWith("Received: Hello, RxNet Server!\n", client.Output, StringComparison.Ordinal);

        // nc -u sends each line as a datagram and prints what comes back.
        using var nc = DemoProcess.Tool("nc", "netcat-openbsd", "-u", "127.0.0.1", port);
        await nc.Input.WriteAsync("one datagram\n".AsMemory(), Cancel);
        await nc.Input.FlushAsync(Cancel);
        await nc.Printed("one datagram", Timeout);

        server.Signal(Sigterm);
        Assert.Equal(0, await server.ExitCode(Timeout));
    }

    internal static async Task SendAsync(Socket socket, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
            data = data[await socket.SendAsync(data, Cancel).AsTask().WaitAsync(Timeout, Cancel)..];
    }

    internal static async Task<byte[]> ReadAllAsync(Socket socket, TaskCompletionSource first)
    {
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, Cancel).AsTask().WaitAsync(Timeout, Cancel)) > 0)
        {
            received.Write(buffer, 0, n);
            first.TrySetResult();
        }
        return received.ToArray();
    }
}

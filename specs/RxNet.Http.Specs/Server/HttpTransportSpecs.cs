using System.Reactive.Linq;
using RxNet.Sockets.Specs.Tls;
using RxNet.Specs.Shared;

namespace RxNet.Http.Specs.Server;

/// <summary>The HTTP server over the transports other than plain TCP, each reached by curl as a user reaches it: a
/// Unix socket, TLS with ALPN <c>http/1.1</c>, and the PROXY protocol in front of TCP. The server code is the same
/// in every case; only the endpoint string changes.</summary>
[Collection(nameof(HttpInteropRunsAlone))]
public sealed class HttpTransportSpecs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rxnet-http-transports-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Serve_UnixSocketEndpoint_AnswersCurlOverTheSocket()
    {
        string curl = Peers.Require("curl", "curl");
        string path = Path.Combine(_directory, "http.sock");
        using var served = Serve($"unix:{path}");

        var (code, output, error) = await PeerRun.RunAsync(curl, "-sS", "--unix-socket", path, "http://localhost/over-unix");

        Assert.True(code == 0, error);
        Assert.StartsWith("GET /over-unix over ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_TlsEndpointWithAlpn_NegotiatesHttp11AndAnswersCurl()
    {
        string curl = Peers.Require("curl", "curl");
        var (certificate, key) = TestCertificates.Localhost.WritePem(_directory, "localhost");
        var (ca, _) = TestCertificates.Ca.WritePem(_directory, "ca");
        using var served = Serve($"tls:0:interface=127.0.0.1:certificate={certificate}:privateKey={key}:alpn=http/1.1");

        var (code, output, error) = await PeerRun.RunAsync(curl, "-sS", "-v", "--http1.1", "--cacert", ca,
            $"https://localhost:{served.Port}/over-tls");

        Assert.True(code == 0, error);
        Assert.StartsWith("GET /over-tls over ", output, StringComparison.Ordinal);
        Assert.Contains("ALPN: server accepted http/1.1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_HaproxyEndpoint_TakesThePeerFromTheProxyHeaderAndRefusesARequestWithoutOne()
    {
        string curl = Peers.Require("curl", "curl");
        using var served = Serve("haproxy:tcp:0:interface=127.0.0.1");
        string url = $"http://127.0.0.1:{served.Port}/over-proxy";

        var (code, output, error) = await PeerRun.RunAsync(curl, "-sS", "--haproxy-protocol", url);
        var (plainCode, plainOutput, _) = await PeerRun.RunAsync(curl, "-sS", "--max-time", "20", url);

        Assert.True(code == 0, error);
        // curl's PROXY header names its own socket's addresses, so the server sees 127.0.0.1 as the client.
        Assert.StartsWith("GET /over-proxy over 127.0.0.1:", output, StringComparison.Ordinal);
        Assert.True(plainCode != 0 || !plainOutput.StartsWith("GET ", StringComparison.Ordinal),
            $"A request without a PROXY header was answered: {plainOutput}");
    }

    private static LoopbackHttpServer Serve(string endpoint) => new(PeerRun.Bound, endpoint,
        request => Observable.Return(HttpResponse.Text($"{request.Method} {request.Path} over {request.RemoteEndPoint}")));
}

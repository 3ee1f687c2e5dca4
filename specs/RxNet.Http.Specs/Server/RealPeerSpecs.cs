using System.Net;
using System.Reactive.Linq;
using RxNet.Sockets;
using RxNet.Specs.Shared;

namespace RxNet.Http.Specs.Server;

/// <summary>The server on a real loopback socket against curl and Python's http.client.</summary>
[Trait("Category", "Integration")]
public sealed class RealPeerSpecs : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly SocketReactor _reactor = new();
    private readonly IDisposable _listening;
    private readonly int _port;

    public RealPeerSpecs()
    {
        var server = new HttpServer(Handle, _reactor.Scheduler);
        var bound = new TaskCompletionSource<EndPoint>();
        _listening = server.Listen(new TcpServerEndpoint(new IPEndPoint(IPAddress.Loopback, 0)).Listen(bound.SetResult));
        if (!bound.Task.Wait(Bound, TestContext.Current.CancellationToken))
            throw new TimeoutException("The server did not bind.");
        _port = ((IPEndPoint)bound.Task.Result).Port;
    }

    public void Dispose()
    {
        _listening.Dispose();
        _reactor.Dispose();
    }

    [Fact]
    public async Task Curl_TwoUrlsOnOneConnection_ReusesItForTheSecond()
    {
        var (_, output, error) = await PeerRun.RunAsync(Peers.Require("curl", "curl"), "-sv", Url("/hello"), Url("/hello"));

        Assert.Equal("hello /hellohello /hello", output);
        Assert.Contains("Re-using existing connection", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Curl_Http10_GetsTheBodyAndAClose()
    {
        var (_, output, error) = await PeerRun.RunAsync(Peers.Require("curl", "curl"), "-sv", "--http1.0", Url("/old"));

        Assert.Equal("hello /old", output);
        Assert.Contains("< HTTP/1.1 200", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_ChunkedUploadWithExpectContinue_IsEchoed()
    {
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, new string('u', 100_000), TestContext.Current.CancellationToken);
        try
        {
            var (_, output, error) = await PeerRun.RunAsync(Peers.Require("curl", "curl"), "-sv", "-H", "Transfer-Encoding: chunked", "-H", "Expect: 100-continue",
                "--data-binary", "@" + file, Url("/echo"));

            Assert.Equal(new string('u', 100_000), output);
            Assert.Contains("HTTP/1.1 100 Continue", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Curl_Head_GetsTheLengthAndNoBody()
    {
        var (_, output, _) = await PeerRun.RunAsync(Peers.Require("curl", "curl"), "-sI", Url("/hello"));

        Assert.StartsWith("HTTP/1.1 200", output, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 12", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PythonHttpClient_ThreeRequestsOnOneConnection_AllAnswered()
    {
        const string Script = """
            import http.client, sys
            c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
            for path in ["/a", "/b"]:
                c.request("GET", path)
                r = c.getresponse()
                print(r.status, r.read().decode())
            c.request("POST", "/echo", body=b"x" * 70000)
            r = c.getresponse()
            print(r.status, len(r.read()))
            """;
        var (_, output, _) = await PeerRun.RunAsync(Peers.Require("/usr/bin/python3", "python3"), "-c", Script, _port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("200 hello /a\n200 hello /b\n200 70000\n", output);
    }

    private static IObservable<HttpResponse> Handle(HttpRequest request)
    {
        if (request.Path == "/echo")
        {
            request.MaxBodySize = null;
            return Observable.Return(new HttpResponse { Body = request.Body, ContentLength = request.ContentLength });
        }
        return Observable.Return(HttpResponse.Text("hello " + request.Path));
    }

    private string Url(string path) => $"http://127.0.0.1:{_port}{path}";
}

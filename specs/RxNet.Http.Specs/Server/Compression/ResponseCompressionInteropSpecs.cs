using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Text;
using RxNet.Http.Server.Compression;
using RxNet.Specs.Shared;

namespace RxNet.Http.Specs.Server.Compression;

/// <summary>
/// curl (built with zlib and brotli) decodes what <see cref="ResponseCompression"/> produces: a one-shot loopback server
/// reads curl's request head, applies compression for its <c>Accept-Encoding</c>, and sends the head and the compressed
/// chunks, then closes (the body runs to the close, so no framing code of the server is needed here).
/// </summary>
[Trait("Category", "Integration")]
public sealed class ResponseCompressionInteropSpecs
{
    private static readonly string[] Events = [.. Enumerable.Range(0, 300).Select(i => $"data: event {i}, the same words again and again\n\n")];

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("br", "br")]
    [InlineData("gzip, br", "br")]
    public async Task Curl_CompressedStreamingBody_DecodesToTheOriginal(string accept, string coding)
    {
        string curl = Peers.Require("curl", "curl");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // fails instead of hanging
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var body = Events.Select(e => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(e)).ToObservable();
        string? sentCoding = null;
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(timeout.Token);
            var stream = client.GetStream();
            var request = await ReadRequest(stream, timeout.Token);
            var response = ResponseCompression.Apply(request, new HttpResponse { AllowCompression = true, Body = body });
            sentCoding = response.Headers["Content-Encoding"];
            var bytes = new MemoryStream();
            bytes.Write(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Encoding: {sentCoding}\r\nConnection: close\r\n\r\n"));
            using (response.Body!.Subscribe(chunk => bytes.Write(chunk.Span)))
                await stream.WriteAsync(bytes.ToArray(), timeout.Token);
        }, timeout.Token);

        var run = PeerRun.RunAsync(curl, "-sS", "--compressed", "-H", $"Accept-Encoding: {accept}", $"http://127.0.0.1:{port}/events");
        await serve;
        var (exitCode, output, errors) = await run;

        Assert.Equal(coding, sentCoding);
        Assert.True(exitCode == 0, errors);
        Assert.Equal(string.Concat(Events), output);
    }

    private static async Task<HttpRequest> ReadRequest(NetworkStream stream, CancellationToken cancel)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer, cancel);
            Assert.NotEqual(0, read);
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        var lines = head.ToString().Split("\r\n");
        var headers = new HttpHeaders();
        foreach (string line in lines.Skip(1).TakeWhile(l => l.Length > 0))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(line[..colon], line[(colon + 1)..]);
        }
        return new HttpRequest("GET", lines[0].Split(' ')[1], headers);
    }
}

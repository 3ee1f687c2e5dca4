using System.Globalization;
using System.Security.Cryptography;
using Xunit;

namespace Demos.Specs;

/// <summary>demos/HttpServer answered by curl over loopback: its routes, a streamed echo of a chunked upload,
/// static files, 404, and a clean exit on SIGTERM.</summary>
[Trait("Category", "Integration")]
public sealed class HttpDemoSpecs : IDisposable
{
    private static readonly TimeSpan Timeout = EchoDrainSpecs.Timeout;
    private readonly string _folder = Directory.CreateTempSubdirectory("rxnet-http-demo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("rx")]
    [InlineData("twisted")]
    public async Task Plaintext_GetWithCurl_IsHelloWorldAsTextPlain(string style)
    {
        var output = await ServeAndCurlAsync(style, "/plaintext", "-i");

        Assert.StartsWith("HTTP/1.1 200", output, StringComparison.Ordinal);
        Assert.Contains("content-type: text/plain", output, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("\n\nHello, World!\n", output.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rx")]
    [InlineData("twisted")]
    public async Task Json_GetWithCurl_IsTheMessageAsApplicationJson(string style)
    {
        var output = await ServeAndCurlAsync(style, "/json", "-w", "\n%{content_type}");

        Assert.Equal("{\"message\":\"Hello, World!\"}\napplication/json\n", output);
    }

    [Theory]
    [InlineData("rx")]
    [InlineData("twisted")]
    public async Task Echo_OneMebibyteChunkedUpload_IsSentBackExactly(string style)
    {
        var data = RandomNumberGenerator.GetBytes(1024 * 1024);
        string sent = Path.Combine(_folder, "sent.bin"), received = Path.Combine(_folder, "received.bin");
        await File.WriteAllBytesAsync(sent, data, EchoDrainSpecs.Cancel);

        var output = await ServeAndCurlAsync(style, "/echo", "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/octet-stream",
            "--data-binary", $"@{sent}", "-o", received, "-w", "%{http_code}");

        Assert.Equal("200\n", output);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(received, EchoDrainSpecs.Cancel)));
    }

    [Theory]
    [InlineData("rx")]
    [InlineData("twisted")]
    public async Task StaticFile_GetWithCurl_IsTheFilesBytes(string style)
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "hello.txt"), "a static file\n", EchoDrainSpecs.Cancel);

        Assert.Equal("a static file\n", await ServeAndCurlAsync(style, "/hello.txt"));
    }

    [Theory]
    [InlineData("rx", "/missing.txt")]
    [InlineData("rx", "/../etc/passwd")]
    [InlineData("twisted", "/missing.txt")]
    [InlineData("twisted", "/../etc/passwd")]
    public async Task MissingOrOutsideTheFolder_GetWithCurl_Is404(string style, string path)
    {
        Assert.Equal("404\n", await ServeAndCurlAsync(style, path, "--path-as-is", "-o", "/dev/null", "-w", "%{http_code}"));
    }

    [Theory]
    [InlineData("rx")]
    [InlineData("twisted")]
    public async Task Sigterm_AfterServing_ExitsZero(string style)
    {
        using var server = Start(style);
        Assert.Equal((0, "Hello, World!\n"), await CurlAsync(await Url(server, "/plaintext")));

        server.Signal(EchoDrainSpecs.Sigterm);

        Assert.Equal(0, await server.ExitCode(Timeout));
    }

    private DemoProcess Start(string style) =>
        DemoProcess.Demo("HttpServer", "--listen", "tcp:0:interface=127.0.0.1", "--path", _folder, "--style", style);

    private static async Task<string> Url(DemoProcess server, string path) =>
        $"http://127.0.0.1:{(await server.Listening(Timeout)).ToString(CultureInfo.InvariantCulture)}{path}";

    // Starts the demo in that style, runs curl on the path with those options, checks that curl succeeded.
    private async Task<string> ServeAndCurlAsync(string style, string path, params string[] options)
    {
        using var server = Start(style);
        var (code, output) = await CurlAsync([.. options, await Url(server, path)]);
        Assert.Equal(0, code);
        return output;
    }

    // curl's exit code and standard output (as lines, each ending in \n).
    private static async Task<(int Code, string Output)> CurlAsync(params string[] args)
    {
        using var curl = DemoProcess.Tool("curl", "curl", ["--silent", "--max-time", "30", .. args]);
        int code = await curl.ExitCode(Timeout);
        return (code, curl.Output);
    }
}

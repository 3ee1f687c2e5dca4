using System.Globalization;
using System.Security.Cryptography;
using Xunit;

namespace Demos.Specs;

/// <summary>demos/HttpGet against this repository's HttpServer demo (over TCP and a Unix socket) and against Python's
/// http.server: the body on stdout or in a file, the head on stderr, redirects followed, and the exit codes of a 404
/// and of a refused connection.</summary>
[Trait("Category", "Integration")]
public sealed class HttpGetDemoSpecs : IDisposable
{
    private static readonly TimeSpan Timeout = EchoDrainSpecs.Timeout;
    private readonly string _folder = Directory.CreateTempSubdirectory("rxnet-httpget-demo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task HttpGet_Plaintext_PrintsTheBodyToStdoutAndTheHeadToStderr()
    {
        using var server = StartServer();

        var (code, output, errors) = await GetAsync(await Url(server, "/plaintext"));

        Assert.Equal(0, code);
        Assert.Equal("Hello, World!\n", output);
        Assert.StartsWith("HTTP/1.1 200 OK\n", errors, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain", errors, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task HttpGet_WithOutputFile_WritesTheBodyThereExactly()
    {
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "big.bin"), data, EchoDrainSpecs.Cancel);
        string saved = Path.Combine(_folder, "saved.bin");
        using var server = StartServer();

        var (code, output, _) = await GetAsync(await Url(server, "/big.bin"), "-o", saved);

        Assert.Equal((0, ""), (code, output));
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(saved, EchoDrainSpecs.Cancel)));
    }

    [Fact]
    public async Task HttpGet_FolderWithoutSlash_FollowsTheRedirectToItsListing()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "sub"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "sub", "inside.txt"), "x", EchoDrainSpecs.Cancel);
        using var server = StartServer();
        string url = await Url(server, "/sub");

        var (code, output, errors) = await GetAsync(url);

        Assert.Equal(0, code);
        Assert.Contains($"* redirected to {url}/\n", errors, StringComparison.Ordinal);
        Assert.Contains("inside.txt", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpGet_EndpointStringAndPath_GetsOverAUnixSocket()
    {
        string socket = Path.Combine(_folder, "http.sock");
        using var server = DemoProcess.Demo("HttpServer", "--listen", $"unix:{socket}", "--path", _folder);
        await server.Printed("listening", Timeout);

        var (code, output, errors) = await GetAsync($"unix:{socket}", "/plaintext");

        Assert.Equal((0, "Hello, World!\n"), (code, output));
        Assert.StartsWith("HTTP/1.1 200 OK\n", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpGet_MissingFile_ExitsOneWithThe404Printed()
    {
        using var server = StartServer();

        var (code, _, errors) = await GetAsync(await Url(server, "/missing.txt"));

        Assert.Equal(1, code);
        Assert.StartsWith("HTTP/1.1 404", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpGet_RefusedConnection_ExitsThreeNamingTheError()
    {
        int port = FreePort();

        var (code, output, errors) = await GetAsync($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");

        Assert.Equal((3, ""), (code, output));
        Assert.StartsWith("httpget: ConnectionRefusedException", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpGet_NotAUrl_ExitsTwo()
    {
        var (code, _, errors) = await GetAsync("ftp://127.0.0.1/");

        Assert.Equal(2, code);
        Assert.Contains("is not an http:// or https:// URL", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpGet_PythonHttpServer_GetsAFileFromARealPeer()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "hello.txt"), "from python\n", EchoDrainSpecs.Cancel);
        using var python = DemoProcess.Tool("/usr/bin/python3", "python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", _folder);
        await python.Printed("Serving HTTP on", Timeout);
        string port = python.Output.Split(" port ")[1].Split(' ')[0];

        var (code, output, errors) = await GetAsync($"http://127.0.0.1:{port}/hello.txt");

        Assert.Equal((0, "from python\n"), (code, output));
        Assert.Matches(@"^HTTP/1\.[01] 200 OK\n", errors);
    }

    private DemoProcess StartServer() => DemoProcess.Demo("HttpServer", "--listen", "tcp:0:interface=127.0.0.1", "--path", _folder);

    private static async Task<string> Url(DemoProcess server, string path) =>
        $"http://127.0.0.1:{(await server.Listening(Timeout)).ToString(CultureInfo.InvariantCulture)}{path}";

    // HttpGet's exit code, standard output and standard error, once it has exited.
    private static async Task<(int Code, string Output, string Errors)> GetAsync(params string[] args)
    {
        using var get = DemoProcess.Demo("HttpGet", args);
        int code = await get.ExitCode(Timeout);
        return (code, get.Output, get.Errors);
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
